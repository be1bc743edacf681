import { describe, expect, it } from 'vitest';
import { reconcileInvoicePayments } from './payment-reconciliation.ts';

describe('reconcileInvoicePayments: amount_paid, amount_remaining and status from SUCCEEDED payments', () => {
  it.each<[string, string, string[], [string, string, string, string, boolean]]>([
    // [case, amount_due, payments, [paid, remaining, overpaid, status, fully paid]]
    ['nothing paid yet', '70.78', [], ['0', '70.78', '0', 'PENDING', false]],
    ['partly paid: $50 of $70.78', '70.78', ['50'], ['50', '20.78', '0', 'PENDING', false]],
    ['paid in two parts to the cent', '70.78', ['50', '20.78'], ['70.78', '0', '0', 'SUCCEEDED', true]],
    ['paid beyond the amount due', '70.78', ['50', '30'], ['80', '0', '9.22', 'OVERPAID', true]],
    ['an invoice of 0 is paid', '0', [], ['0', '0', '0', 'SUCCEEDED', true]],
  ])('%s', (_case, due, payments, [paid, remaining, overpaid, status, fullyPaid]) => {
    expect(reconcileInvoicePayments(due, payments, 'usd')).toEqual({ amountPaid: paid, amountRemaining: remaining, overpaidAmount: overpaid, paymentStatus: status, fullyPaid });
  });

  it('refuses a payment finer than the currency', () => {
    expect(() => reconcileInvoicePayments('100', ['0.5'], 'jpy')).toThrow(RangeError);
  });
});
