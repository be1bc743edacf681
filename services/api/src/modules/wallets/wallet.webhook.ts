import { canonicalDecimal } from '../../wire/canonical-decimal.ts';
import type { NewWebhookEvent } from '../webhooks/index.ts';
import { walletBalance } from './wallet.convert.ts';
import type { Wallet } from './wallet.entity.ts';
import type { WalletTransaction } from './wallet-transaction.entity.ts';

/** FlexPrice's trimmed wallet of a webhook, a snapshot taken in the transaction of the change. */
export function walletWebhookPayload(w: Wallet): Record<string, unknown> {
  return {
    wallet: {
      id: w.id,
      customer_id: w.customerId,
      currency: w.currency,
      balance: walletBalance(w),
      credit_balance: canonicalDecimal(w.creditBalance),
      wallet_status: w.walletStatus,
      name: w.name,
      wallet_type: w.walletType,
      conversion_rate: canonicalDecimal(w.conversionRate),
    },
  };
}

/** FlexPrice's trimmed wallet transaction of a webhook (`transaction`); unset reference, description and expiry left out. */
export function walletTransactionWebhookPayload(t: WalletTransaction): Record<string, unknown> {
  const transaction: Record<string, unknown> = {
    id: t.id,
    wallet_id: t.walletId,
    customer_id: t.customerId,
    type: t.type,
    amount: canonicalDecimal(t.amount),
    credit_amount: canonicalDecimal(t.creditAmount),
    credit_balance_before: canonicalDecimal(t.creditBalanceBefore),
    credit_balance_after: canonicalDecimal(t.creditBalanceAfter),
    transaction_status: t.transactionStatus,
    transaction_reason: t.transactionReason,
    currency: t.currency,
    metadata: t.metadata ?? {},
  };
  const optional = { reference_type: t.referenceType, reference_id: t.referenceId, description: t.description, expiry_date: t.expiryDate?.toISOString() };
  for (const [key, value] of Object.entries(optional)) if (value) transaction[key] = value;
  return { transaction };
}

export function walletEvent(eventType: 'wallet.created' | 'wallet.updated' | 'wallet.terminated', w: Wallet, at: Date): NewWebhookEvent {
  return { eventType, entityType: 'wallet', entityId: w.id, payload: walletWebhookPayload(w), at };
}

export function walletTransactionEvent(t: WalletTransaction, at: Date): NewWebhookEvent {
  return { eventType: 'wallet.transaction.created', entityType: 'wallet_transaction', entityId: t.id, payload: walletTransactionWebhookPayload(t), at };
}
