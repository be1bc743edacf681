import { describe, expect, it } from 'vitest';
import { canDeletePayment, canTransitionPaymentStatus, paymentStatuses, type PaymentStatus } from './payment-status.ts';

// Every pair, written out: rows are the status a payment is in, columns the one it asks for,
// in the order INITIATED, PENDING, PROCESSING, SUCCEEDED, OVERPAID, FAILED, REFUNDED,
// PARTIALLY_REFUNDED, VOIDED. 1 = allowed.
const allowed: Record<PaymentStatus, string> = {
  //                  IN PE PR SU OV FA RE PA VO
  INITIATED: /*    */ '1  1  1  1  1  1  0  0  0',
  PENDING: /*      */ '0  1  1  1  1  1  0  0  0',
  PROCESSING: /*   */ '0  0  1  1  1  1  0  0  0',
  SUCCEEDED: /*    */ '0  0  0  1  1  0  1  1  1',
  OVERPAID: /*     */ '0  0  0  0  1  0  1  1  0',
  FAILED: /*       */ '0  0  0  0  0  1  0  0  0',
  REFUNDED: /*     */ '0  0  0  0  0  0  1  0  0',
  PARTIALLY_REFUNDED: '0  0  0  0  0  0  1  1  0',
  VOIDED: /*       */ '0  0  0  0  0  0  0  0  1',
};

const pairs = paymentStatuses.flatMap((from) => {
  const row = allowed[from].split(/\s+/);
  return paymentStatuses.map((to, i) => [from, to, row[i] === '1'] as [PaymentStatus, PaymentStatus, boolean]);
});

describe('canTransitionPaymentStatus: every pair of the nine statuses', () => {
  it('covers 81 pairs', () => {
    expect(pairs).toHaveLength(81);
  });

  it.each(pairs)('%s → %s: %s', (from, to, ok) => {
    expect(canTransitionPaymentStatus(from, to)).toBe(ok);
  });
});

describe('canDeletePayment', () => {
  it.each(paymentStatuses.map((s) => [s, s === 'INITIATED' || s === 'FAILED'] as const))('%s: %s', (status, ok) => {
    expect(canDeletePayment(status)).toBe(ok);
  });
});
