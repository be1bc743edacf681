import { scopeOf, type AuthContext } from '../../auth-context.ts';
import type { Tx } from '../../db/transactions.ts';
import { Wallet } from './wallet.entity.ts';

/**
 * Whether the customer holds an active wallet (of any currency or type), read in the caller's unit
 * of work: such a customer cannot be deleted until the wallet is terminated.
 */
export async function hasActiveWallet(tx: Tx, auth: AuthContext, customerId: string): Promise<boolean> {
  return (await tx.count(Wallet, { ...scopeOf(auth), customerId, walletStatus: 'active', status: 'published' })) > 0;
}
