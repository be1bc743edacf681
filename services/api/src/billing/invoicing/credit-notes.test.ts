import { describe, expect, it } from 'vitest';
import { applyCreditNote, checkCreditLines, creditNoteTypeFor, maxCreditable, reverseAdjustment, type CreditedInvoice } from './credit-notes.ts';
import { paymentStatuses } from './payment-status.ts';

const invoice = (over: Partial<CreditedInvoice> = {}): CreditedInvoice => ({ total: '100', amountDue: '100', amountRemaining: '100', amountPaid: '0', refundedAmount: '0', adjustmentAmount: '0', paymentStatus: 'PENDING', ...over });

describe('creditNoteTypeFor: the type follows the invoice payment status', () => {
  it.each(paymentStatuses.map((s) => [s]))('%s', (status) => {
    const expected = { SUCCEEDED: 'REFUND', PARTIALLY_REFUNDED: 'REFUND', PENDING: 'ADJUSTMENT', PROCESSING: 'ADJUSTMENT', FAILED: 'ADJUSTMENT' }[status as string] ?? null;
    expect(creditNoteTypeFor(status)).toBe(expected);
  });
});

describe('maxCreditable', () => {
  it.each<[string, Partial<CreditedInvoice>, 'REFUND' | 'ADJUSTMENT', string]>([
    ['$100 paid: all of it refundable', { amountPaid: '100', paymentStatus: 'SUCCEEDED' }, 'REFUND', '100'],
    ['$100 paid, $30 refunded: $70', { amountPaid: '100', refundedAmount: '30' }, 'REFUND', '70'],
    ['$100 paid, all refunded: 0', { amountPaid: '100', refundedAmount: '100' }, 'REFUND', '0'],
    ['$100 unpaid: all of it adjustable', {}, 'ADJUSTMENT', '100'],
    ['$100 unpaid, $40 adjusted: $60', { adjustmentAmount: '40' }, 'ADJUSTMENT', '60'],
    ['$100 with $40 paid: $60 (what is paid stays owed)', { amountPaid: '40' }, 'ADJUSTMENT', '60'],
    ['$100, $40 paid, $60 adjusted: 0', { amountPaid: '40', adjustmentAmount: '60' }, 'ADJUSTMENT', '0'],
    ['never below 0: $100 overpaid by $20', { amountPaid: '120' }, 'ADJUSTMENT', '0'],
    ['to the cent: $70.78 paid, $0.78 refunded', { total: '70.78', amountPaid: '70.78', refundedAmount: '0.78' }, 'REFUND', '70'],
  ])('%s', (_case, over, type, max) => {
    expect(maxCreditable(invoice(over), type, 'usd')).toBe(max);
  });
});

describe('applyCreditNote', () => {
  it('refunds $30 of $100 paid: PARTIALLY_REFUNDED, nothing owed changes', () => {
    expect(applyCreditNote(invoice({ amountPaid: '100', amountRemaining: '0', paymentStatus: 'SUCCEEDED' }), 'REFUND', '30', 'usd')).toEqual({
      refundedAmount: '30',
      adjustmentAmount: '0',
      amountDue: '100',
      amountRemaining: '0',
      paymentStatus: 'PARTIALLY_REFUNDED',
    });
  });

  it('refunds the remaining $70: REFUNDED (30 + 70 = 100 paid)', () => {
    expect(applyCreditNote(invoice({ amountPaid: '100', refundedAmount: '30', paymentStatus: 'PARTIALLY_REFUNDED' }), 'REFUND', '70', 'usd')).toMatchObject({ refundedAmount: '100', paymentStatus: 'REFUNDED' });
  });

  it('adjusts $40 off an unpaid $100: $60 due and remaining, still PENDING', () => {
    expect(applyCreditNote(invoice(), 'ADJUSTMENT', '40', 'usd')).toEqual({ refundedAmount: '0', adjustmentAmount: '40', amountDue: '60', amountRemaining: '60', paymentStatus: 'PENDING' });
  });

  it('adjusts the $60 left of $100 with $40 paid: settled, SUCCEEDED', () => {
    expect(applyCreditNote(invoice({ amountPaid: '40' }), 'ADJUSTMENT', '60', 'usd')).toEqual({ refundedAmount: '0', adjustmentAmount: '60', amountDue: '40', amountRemaining: '0', paymentStatus: 'SUCCEEDED' });
  });

  it('keeps a FAILED invoice FAILED while something remains', () => {
    expect(applyCreditNote(invoice({ paymentStatus: 'FAILED' }), 'ADJUSTMENT', '0.01', 'usd')).toMatchObject({ amountDue: '99.99', amountRemaining: '99.99', paymentStatus: 'FAILED' });
  });

  it('refuses an amount finer than the currency', () => {
    expect(() => applyCreditNote(invoice(), 'ADJUSTMENT', '0.5', 'jpy')).toThrow(RangeError);
  });
});

describe('reverseAdjustment', () => {
  it('gives back a voided $40: $100 due again', () => {
    expect(reverseAdjustment(invoice({ adjustmentAmount: '40' }), '40', 'usd')).toEqual({ refundedAmount: '0', adjustmentAmount: '0', amountDue: '100', amountRemaining: '100', paymentStatus: 'PENDING' });
  });

  it('reopens an invoice the adjustment settled: $100, $40 paid, $60 adjusted → $60 remaining, PENDING', () => {
    expect(reverseAdjustment(invoice({ amountPaid: '40', adjustmentAmount: '60', paymentStatus: 'SUCCEEDED' }), '60', 'usd')).toEqual({
      refundedAmount: '0',
      adjustmentAmount: '0',
      amountDue: '100',
      amountRemaining: '60',
      paymentStatus: 'PENDING',
    });
  });

  it('keeps the other adjustments: $25 + $15 adjusted, the $15 voided → $75 due', () => {
    expect(reverseAdjustment(invoice({ adjustmentAmount: '40' }), '15', 'usd')).toMatchObject({ adjustmentAmount: '25', amountDue: '75', amountRemaining: '75' });
  });
});

describe('checkCreditLines', () => {
  const lines = new Map([
    ['inv_line_a', '60'],
    ['inv_line_b', '40'],
  ]);

  it('totals lines within their invoice lines: $25 + $5 = $30', () => {
    expect(checkCreditLines([{ invoiceLineItemId: 'inv_line_a', amount: '25' }, { invoiceLineItemId: 'inv_line_b', amount: '5' }], lines, 'usd')).toEqual({ total: '30', problems: {} });
  });

  it('allows a whole line: $60 of $60', () => {
    expect(checkCreditLines([{ invoiceLineItemId: 'inv_line_a', amount: '60' }], lines, 'usd').problems).toEqual({});
  });

  it('refuses a line beyond its invoice line, alone or summed with another line of the note', () => {
    expect(checkCreditLines([{ invoiceLineItemId: 'inv_line_b', amount: '40.01' }], lines, 'usd').problems).toEqual({
      'line_items[0].amount': 'credits 40.01 against invoice line inv_line_b, which was charged only 40',
    });
    expect(checkCreditLines([{ invoiceLineItemId: 'inv_line_b', amount: '30' }, { invoiceLineItemId: 'inv_line_b', amount: '11' }], lines, 'usd').problems).toEqual({
      'line_items[1].amount': 'credits 41 against invoice line inv_line_b, which was charged only 40',
    });
  });

  it('refuses a line of another invoice and an amount finer than the currency', () => {
    expect(checkCreditLines([{ invoiceLineItemId: 'inv_line_z', amount: '1' }, { invoiceLineItemId: 'inv_line_a', amount: '1.005' }], lines, 'usd').problems).toEqual({
      'line_items[0].invoice_line_item_id': 'inv_line_z is not a line of this invoice',
      'line_items[1].amount': 'has more than the 2 decimals of usd',
    });
  });
});
