import { describe, expect, it } from 'vitest';
import { readPrice } from '../pricing/index.ts';
import { applyCommitment } from './commitment.ts';
import { couponApplies } from './coupon-cadence.ts';
import { invoiceDueDate } from './due-date.ts';
import { fixedChargeAmount } from './fixed-charge.ts';
import { allowancePlan } from './included-allowance.ts';
import { planInvoiceLines } from './invoice-composition.ts';
import { applyInvoiceDiscounts } from './invoice-discounts.ts';
import { invoiceNumber } from './invoice-number.ts';
import { computedInvoiceStatus } from './invoice-status.ts';
import { invoiceTotals } from './invoice-totals.ts';
import type { InvoicingSubscription } from './invoicing-subscription.ts';
import { reconcileInvoicePayments } from './payment-reconciliation.ts';
import { applyPrepaidCredits } from './prepaid-credits.ts';
import { usageCharge } from './usage-charge.ts';

// One subscription through its first two invoices, every step of the arithmetic in order:
// $20/month platform fee in advance, $0.01 per call in arrear with 1,000 calls included a month,
// a 10% forever coupon on the invoice, 8.25% sales tax, 30 NET, anniversary from Jan 1 2026.
const t = (iso: string) => new Date(iso);
const usd = (amount: string) => readPrice({ currency: 'usd', billingModel: 'FLAT_FEE', billingPeriodCount: 1, amount });
const sub: InvoicingSubscription = {
  billingPeriod: 'MONTHLY',
  billingPeriodCount: 1,
  billingAnchor: t('2026-01-01T00:00:00Z'),
  billingCycle: 'anniversary',
  timezone: 'UTC',
  startDate: t('2026-01-01T00:00:00Z'),
  prorationBehavior: 'none',
  lineItems: [
    { id: 'subs_line_platform', price: { id: 'price_platform', type: 'FIXED', invoiceCadence: 'ADVANCE', billingPeriod: 'MONTHLY', billingPeriodCount: 1, rated: usd('20') }, quantity: '1', startDate: t('2026-01-01T00:00:00Z') },
    { id: 'subs_line_calls', price: { id: 'price_calls', type: 'USAGE', invoiceCadence: 'ARREAR', billingPeriod: 'MONTHLY', billingPeriodCount: 1, rated: usd('0.01') }, quantity: '0', startDate: t('2026-01-01T00:00:00Z') },
  ],
};
const january = { start: t('2026-01-01T00:00:00Z'), end: t('2026-02-01T00:00:00Z') };
const coupon = { associationId: 'ca_1', couponId: 'coupon_10', startDate: t('2026-01-01T00:00:00Z'), coupon: { type: 'percentage' as const, percentageOff: '10' } };

/** Prices every planned line (usage read from `usage`), then discounts, credits, tax and totals. */
function compute(reason: 'SUBSCRIPTION_CREATE' | 'SUBSCRIPTION_CYCLE', usage: Record<string, string>, priorCouponApplications: number) {
  const plan = planInvoiceLines({ billingReason: reason, period: january, subscription: sub, alreadyBilled: [] });
  const lines = plan.lines.map((line) => {
    const item = sub.lineItems.find((i) => i.id === line.subscriptionLineItemId)!;
    if (line.kind !== 'usage') return { id: line.subscriptionLineItemId, priceType: 'FIXED' as const, amount: fixedChargeAmount(line, item.price.rated).amount, quantity: line.quantity };
    const c = usageCharge({ price: item.price.rated, usage: { quantity: usage[line.subscriptionLineItemId] }, allowance: allowancePlan({ usageLimit: '1000', usageResetPeriod: 'MONTHLY' }, 'MONTHLY') });
    return { id: line.subscriptionLineItemId, priceType: 'USAGE' as const, amount: c.amount, quantity: c.quantity, adjusted: c.adjustedEntitlementQuantity };
  });
  const committed = applyCommitment({ commitmentAmount: null, overageFactor: null, enableTrueUp: false }, lines.filter((l) => l.priceType === 'USAGE'), 'usd');
  const applies = couponApplies({ cadence: 'forever', association: coupon, invoicePeriod: plan.period, priorApplications: priorCouponApplications });
  const discounts = applyInvoiceDiscounts({ currency: 'usd', lines, invoiceCoupons: applies ? [coupon] : [] });
  const credits = applyPrepaidCredits(
    discounts.lines.map((l, i) => ({ id: l.id, priceType: lines[i].priceType, amountAfterDiscounts: l.amountAfterDiscounts })),
    '0',
    'usd',
  );
  const totals = invoiceTotals({
    currency: 'usd',
    lines: discounts.lines.map((l, i) => ({ ...l, prepaidCreditsApplied: credits.lines[i].prepaidCreditsApplied })),
    taxRates: [{ id: 'tax_sales', taxRateType: 'percentage', percentageValue: '8.25' }],
  });
  return { plan, lines, committed, discounts, totals, status: computedInvoiceStatus('SUBSCRIPTION', reason, totals.subtotal) };
}

describe('a subscription’s first two invoices, end to end', () => {
  it('the opening invoice: $20 in advance, 10% off, tax → $19.49, INV-202601-00001, due 30 days after its period ends (Mar 3)', () => {
    const { lines, totals, status } = compute('SUBSCRIPTION_CREATE', {}, 0);
    expect(lines.map((l) => [l.id, l.amount])).toEqual([['subs_line_platform', '20']]);
    expect([totals.subtotal, totals.totalDiscount, totals.totalTax, totals.total]).toEqual(['20', '2', '1.49', '19.49']); // 8.25% of 18 = 1.485
    expect(status).toBe('DRAFT');
    expect(invoiceNumber(t('2026-01-01T00:05:00Z'), 1)).toBe('INV-202601-00001');
    expect(invoiceDueDate(january.end, '30 NET').toISOString()).toBe('2026-03-03T00:00:00.000Z');
  });

  it('January’s period-end invoice: 4,500 calls − 1,000 included = $35, February’s $20, 10% off, tax → $53.58', () => {
    const { plan, lines, committed, totals, status } = compute('SUBSCRIPTION_CYCLE', { subs_line_calls: '4500' }, 1);
    expect(lines).toEqual([
      { id: 'subs_line_calls', priceType: 'USAGE', amount: '35', quantity: '3500', adjusted: '1000' },
      { id: 'subs_line_platform', priceType: 'FIXED', amount: '20', quantity: '1' },
    ]);
    expect(plan.lines.map((l) => l.period.start.toISOString())).toEqual(['2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z']);
    expect(committed.applies).toBe(false);
    expect(totals).toMatchObject({ subtotal: '55', totalDiscount: '5.5', taxableAmount: '49.5', totalTax: '4.08', total: '53.58', amountDue: '53.58' }); // 8.25% of 49.50 = 4.08375
    expect(status).toBe('DRAFT');
    expect(reconcileInvoicePayments(totals.amountDue, ['53.58'], 'usd').paymentStatus).toBe('SUCCEEDED');
  });

  it('a subscription with only usage prices has nothing to bill at its start: the opening invoice is SKIPPED', () => {
    const usageOnly = { ...sub, lineItems: sub.lineItems.filter((i) => i.price.type === 'USAGE') };
    const plan = planInvoiceLines({ billingReason: 'SUBSCRIPTION_CREATE', period: january, subscription: usageOnly });
    expect(plan.lines).toEqual([]);
    expect(computedInvoiceStatus('SUBSCRIPTION', 'SUBSCRIPTION_CREATE', invoiceTotals({ currency: 'usd', lines: [] }).subtotal)).toBe('SKIPPED');
  });
});
