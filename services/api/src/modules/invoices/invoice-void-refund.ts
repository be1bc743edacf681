import type { AuthContext } from '../../auth-context.ts';
import { voidRefund } from '../../billing/invoicing/index.ts';
import { ExactDecimal, formatDecimal } from '../../billing/money/index.ts';
import type { Tx } from '../../db/transactions.ts';
import type { Invoice } from './invoice.entity.ts';

/**
 * What voiding asks of wallets (the wallets module, wired in src/services.ts): `amount` of the invoice's
 * currency deposited into the customer's PRE_PAID wallet in that currency (made when there is none),
 * reason INVOICE_VOID_REFUND, once per key.
 */
export type VoidRefundWallets = {
  refund(tx: Tx, auth: AuthContext, r: { customerId: string; currency: string; amount: string; invoiceId: string; idempotencyKey: string; at: Date }): Promise<unknown>;
};

/** Runs in the void's unit of work once the invoice is voided (a purchase of credits it was for fails). */
export type InvoiceVoidHook = (tx: Tx, auth: AuthContext, invoice: Invoice, at: Date) => Promise<void>;

/** The key of an invoice's one void refund. */
export const voidRefundKey = (invoiceId: string) => `invoice-void-refund-${invoiceId}`;

/**
 * The refund of an invoice being voided (docs/api/wallet-invoices.md#voiding-a-funded-invoice), in the void's
 * unit of work: what funded it — amount_paid plus the prepaid credits applied, less what credit notes
 * already refunded — goes to the customer's PRE_PAID wallet; `refunded_amount` grows by it and the
 * payment status becomes REFUNDED. Nothing funded it: nothing changes.
 */
export async function refundVoidedInvoice(tx: Tx, auth: AuthContext, wallets: VoidRefundWallets, invoice: Invoice, at: Date): Promise<void> {
  const refund = voidRefund(invoice, invoice.currency);
  if (!new ExactDecimal(refund.walletCredit).gt(0)) return;
  await wallets.refund(tx, auth, { customerId: invoice.customerId, currency: invoice.currency, amount: refund.walletCredit, invoiceId: invoice.id, idempotencyKey: voidRefundKey(invoice.id), at });
  invoice.refundedAmount = formatDecimal(new ExactDecimal(invoice.refundedAmount).plus(refund.walletCredit));
  invoice.paymentStatus = refund.paymentStatus;
}
