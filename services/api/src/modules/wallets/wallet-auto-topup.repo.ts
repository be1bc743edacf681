import { scopeOf, type AuthContext } from '../../auth-context.ts';
import type { Tx } from '../../db/transactions.ts';
import { WalletTransaction } from './wallet-transaction.entity.ts';

/** The queries of automatic top-ups: transactions marked `metadata.auto_topup` "true". */
export class WalletAutoTopUpRepo {
  /** The wallet's latest automatic top-up (read under the wallet's lock). */
  last(tx: Tx, auth: AuthContext, walletId: string): Promise<WalletTransaction | null> {
    return tx.findOne(WalletTransaction, { ...scopeOf(auth), walletId, type: 'credit', metadata: { auto_topup: 'true' } } as never, { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
  }
}
