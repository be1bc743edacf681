import type { AuthContext } from '../../auth-context.ts';
import type { Tx } from '../../db/transactions.ts';
import type { Invoice } from './invoice.entity.ts';
import type { OneOffInvoices } from './one-off-invoices.ts';

/** A purchase of wallet credits to invoice: one line for their value, tagged with the pending wallet transaction. */
export type CreditPurchase = {
  customerId: string;
  currency: string;
  /** The credits' value in the currency, in its minor units. */
  amount: string;
  credits: string;
  walletId: string;
  walletTransactionId: string;
  billingReason: 'MANUAL' | 'WALLET_AUTO_TOPUP';
  metadata: Record<string, string>;
};

/**
 * The ONE_OFF invoice of a purchase of wallet credits (docs/api/wallet-invoices.md#credits-bought-on-an-invoice),
 * made and finalized in the caller's unit of work: one FIXED line "Purchased credits" for the credits'
 * value, with `metadata.wallet_transaction_id` naming the pending credit it pays for.
 */
export async function invoiceCreditPurchase(tx: Tx, auth: AuthContext, oneOff: OneOffInvoices, p: CreditPurchase): Promise<Invoice> {
  const view = await oneOff.createIn(tx, auth, {
    customerId: p.customerId,
    currency: p.currency,
    invoiceType: 'ONE_OFF',
    draft: false,
    subtotal: p.amount,
    total: p.amount,
    amountDue: p.amount,
    subscriptionId: null,
    description: `Purchase of ${p.credits} credits`,
    billingPeriod: null,
    periodStart: null,
    periodEnd: null,
    dueDate: null,
    issueDate: null,
    invoicePdfUrl: null,
    billingReason: p.billingReason,
    metadata: { ...p.metadata, wallet_id: p.walletId, wallet_transaction_id: p.walletTransactionId },
    lines: [{
      amount: p.amount,
      quantity: p.credits,
      displayName: 'Purchased credits',
      priceId: null,
      priceType: 'FIXED',
      planId: null,
      planDisplayName: null,
      meterId: null,
      meterDisplayName: null,
      entityId: null,
      entityType: null,
      priceUnit: null,
      priceUnitAmount: null,
      periodStart: null,
      periodEnd: null,
      subscriptionId: null,
      subscriptionLineItemId: null,
      metadata: { wallet_transaction_id: p.walletTransactionId },
    }],
    couponIds: [],
    taxRateOverrides: [],
    idempotencyKey: null,
  });
  return view.invoice;
}
