import { scopeOf, type AuthContext } from '../../auth-context.ts';
import type { Tx } from '../../db/transactions.ts';
import type { AutoTopUpInvoicing } from './wallet-alerts.ts';
import { WalletTransaction } from './wallet-transaction.entity.ts';
import type { WalletService } from './wallet.service.ts';

/**
 * The automatic top-up by invoice (`auto_topup.invoicing: true`): a PURCHASED_CREDIT_INVOICED
 * purchase of the settings' credits whose ONE_OFF invoice has billing_reason WALLET_AUTO_TOPUP and
 * whose transaction is marked `metadata.auto_topup = "true"`; the credits land when the invoice is
 * paid. While an earlier automatic purchase is still pending (its invoice unpaid), no other is made.
 */
export function autoTopUpInvoicing(wallets: Pick<WalletService, 'purchaseInvoiced'>): AutoTopUpInvoicing {
  return {
    purchaseInvoiced: (tx, auth, wallet, credits, idempotencyKey) =>
      wallets.purchaseInvoiced(tx, auth, wallet.id, { credits, idempotencyKey, billingReason: 'WALLET_AUTO_TOPUP', description: 'auto top-up', metadata: { auto_topup: 'true' } }),
    hasUnpaidAutoTopUp: async (tx: Tx, auth: AuthContext, wallet) =>
      (await tx.count(WalletTransaction, {
        ...scopeOf(auth),
        walletId: wallet.id,
        transactionReason: 'PURCHASED_CREDIT_INVOICED',
        transactionStatus: 'pending',
        metadata: { auto_topup: 'true' },
      } as never)) > 0,
  };
}
