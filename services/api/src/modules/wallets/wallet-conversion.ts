import type { AuthContext } from '../../auth-context.ts';
import { newRecord } from '../../records.ts';
import type { Wallet } from './wallet.entity.ts';

/** The modifications `POST /wallets/{id}/modify` knows (FlexPrice's one). */
export type WalletModification = 'prepaid_to_postpaid';

/** The idempotency keys of a conversion's two ledger entries: the original wallet's debit, the new wallet's credit. */
export const conversionDebitKey = (originalId: string) => `${originalId}_conversion_debit`;
export const conversionCreditKey = (originalId: string) => `conversion-from-${originalId}`;

/**
 * The POST_PAID wallet a PRE_PAID one is converted into (docs/api/wallets.md#converting-a-prepaid-wallet-to-postpaid),
 * as FlexPrice makes it: named for its currency, allowed every price type, `metadata.converted_from`
 * naming the original, with the original's rates, alert settings and automatic top-up; empty (the
 * credits arrive as a top-up) and in alert state `ok`.
 */
export function postpaidConversionOf(original: Wallet, id: string, auth: AuthContext, now: Date) {
  return {
    id,
    customerId: original.customerId,
    name: `Postpaid Wallet - ${original.currency.toUpperCase()}`,
    description: `Converted from prepaid wallet ${original.id}`,
    currency: original.currency,
    walletType: 'POST_PAID' as const,
    walletStatus: 'active' as const,
    creditBalance: '0',
    conversionRate: original.conversionRate,
    topupConversionRate: original.topupConversionRate,
    config: { allowed_price_types: ['ALL' as const] },
    alertSettings: original.alertSettings ?? null,
    alertState: 'ok',
    autoTopup: original.autoTopup ?? null,
    metadata: { converted_from: original.id },
    ...newRecord(auth, now),
  };
}
