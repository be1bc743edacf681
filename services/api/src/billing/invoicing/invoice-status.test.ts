import { describe, expect, it } from 'vitest';
import type { BillingReason } from './billing-reason.ts';
import { canVoidInvoice, computedInvoiceStatus, invoiceStatuses, voidRefund, type InvoiceStatus, type InvoiceType } from './invoice-status.ts';
import { paymentStatuses, type PaymentStatus } from './payment-status.ts';

describe('computedInvoiceStatus: zero subscription invoices are SKIPPED', () => {
  it.each<[string, InvoiceType, BillingReason | null, string, 'DRAFT' | 'SKIPPED']>([
    ['an opening invoice of 0', 'SUBSCRIPTION', 'SUBSCRIPTION_CREATE', '0', 'SKIPPED'],
    ['a period-end invoice of 0', 'SUBSCRIPTION', 'SUBSCRIPTION_CYCLE', '0', 'SKIPPED'],
    ['a trial-start invoice of 0 is raised anyway', 'SUBSCRIPTION', 'SUBSCRIPTION_TRIAL_START', '0', 'DRAFT'],
    ['a trial-end invoice of 0', 'SUBSCRIPTION', 'SUBSCRIPTION_TRIAL_END', '0', 'SKIPPED'],
    ['a period-end invoice of $0.01', 'SUBSCRIPTION', 'SUBSCRIPTION_CYCLE', '0.01', 'DRAFT'],
    ['a one-off invoice of 0', 'ONE_OFF', 'MANUAL', '0', 'DRAFT'],
    ['a credit invoice of 0', 'CREDIT', null, '0', 'DRAFT'],
  ])('%s → %s', (_case, type, reason, subtotal, status) => {
    expect(computedInvoiceStatus(type, reason, subtotal)).toBe(status);
  });
});

describe('canVoidInvoice: every invoice status × payment status', () => {
  const voidableInvoice: InvoiceStatus[] = ['DRAFT', 'FINALIZED', 'SKIPPED'];
  const voidablePayment: PaymentStatus[] = ['PENDING', 'FAILED', 'SUCCEEDED', 'PARTIALLY_REFUNDED', 'OVERPAID'];
  const pairs = invoiceStatuses.flatMap((i) => paymentStatuses.map((p) => [i, p, voidableInvoice.includes(i) && voidablePayment.includes(p)] as [InvoiceStatus, PaymentStatus, boolean]));
  it('covers 36 pairs, 15 of them voidable', () => {
    expect(pairs).toHaveLength(36);
    expect(pairs.filter(([, , ok]) => ok)).toHaveLength(15);
  });
  it.each(pairs)('%s with %s: %s', (invoiceStatus, paymentStatus, ok) => {
    expect(canVoidInvoice(invoiceStatus, paymentStatus)).toBe(ok);
  });
});

describe('voidRefund: funded value back to the PRE_PAID wallet', () => {
  it.each<[string, [string, string, string, PaymentStatus], [string, PaymentStatus]]>([
    ['a paid invoice: the payment comes back, REFUNDED', ['70.78', '5', '0', 'SUCCEEDED'], ['75.78', 'REFUNDED']],
    ['partly refunded by a credit note already', ['100', '0', '30', 'PARTIALLY_REFUNDED'], ['70', 'REFUNDED']],
    ['an unpaid invoice: nothing to credit, status unchanged', ['0', '0', '0', 'PENDING'], ['0', 'PENDING']],
    ['prepaid credits alone funded it', ['0', '12.5', '0', 'PENDING'], ['12.5', 'REFUNDED']],
  ])('%s', (_case, [amountPaid, totalPrepaidCreditsApplied, refundedAmount, paymentStatus], [credit, status]) => {
    expect(voidRefund({ amountPaid, totalPrepaidCreditsApplied, refundedAmount, paymentStatus }, 'usd')).toEqual({ walletCredit: credit, paymentStatus: status });
  });
});
