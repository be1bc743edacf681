import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExactDecimal, formatDecimal } from '../money/index.ts';
import { readPrice } from '../pricing/index.ts';
import { applyInvoiceDiscounts } from './invoice-discounts.ts';
import { invoiceTaxes, type TaxRate } from './invoice-taxes.ts';
import { invoiceTotals, type TotalsLine } from './invoice-totals.ts';
import { applyPrepaidCredits } from './prepaid-credits.ts';
import { usageCharge } from './usage-charge.ts';

const pct = (id: string, p: string): TaxRate => ({ id, taxRateType: 'percentage', percentageValue: p });
const fixed = (id: string, v: string): TaxRate => ({ id, taxRateType: 'fixed', fixedValue: v });

describe('the worked invoice: usage $80 + fixed $20, 25% off usage, $10 off the invoice, $5 of credits, 8.25% tax', () => {
  it('comes to exactly $70.78', () => {
    const usage = usageCharge({ price: readPrice({ currency: 'usd', billingModel: 'FLAT_FEE', billingPeriodCount: 1, amount: '0.01' }), usage: { quantity: '8000' } });
    const lines = [
      { id: 'usage', priceType: 'USAGE' as const, amount: usage.amount },
      { id: 'fixed', priceType: 'FIXED' as const, amount: '20' },
    ];
    const discounts = applyInvoiceDiscounts({
      currency: 'usd',
      lines,
      lineCoupons: [{ associationId: 'ca_line', couponId: 'coupon_25', lineId: 'usage', startDate: new Date('2026-01-01T00:00:00Z'), coupon: { type: 'percentage', percentageOff: '25' } }],
      invoiceCoupons: [{ associationId: 'ca_invoice', couponId: 'coupon_10', startDate: new Date('2026-01-01T00:00:00Z'), coupon: { type: 'fixed', amountOff: '10', currency: 'usd' } }],
    });
    const credits = applyPrepaidCredits(
      discounts.lines.map((l, i) => ({ id: l.id, priceType: lines[i].priceType, amountAfterDiscounts: l.amountAfterDiscounts })),
      '5',
      'usd',
    );
    const totals = invoiceTotals({
      currency: 'usd',
      lines: discounts.lines.map((l, i) => ({ ...l, prepaidCreditsApplied: credits.lines[i].prepaidCreditsApplied })),
      taxRates: [pct('tax_sales', '8.25')],
    });
    expect(discounts.lines.map((l) => [l.id, l.lineItemDiscount, l.invoiceLevelDiscount])).toEqual([
      ['usage', '20', '7.5'],
      ['fixed', '0', '2.5'],
    ]);
    expect(credits.lines.map((l) => l.prepaidCreditsApplied)).toEqual(['5', '0']);
    expect(totals).toEqual({
      subtotal: '100',
      totalDiscount: '30',
      totalPrepaidCreditsApplied: '5',
      taxableAmount: '70',
      taxes: [{ taxRateId: 'tax_sales', taxableAmount: '70', taxAmount: '5.78' }],
      totalTax: '5.78',
      total: '70.78',
      amountDue: '70.78',
      amountPaid: '0',
      amountRemaining: '70.78',
    });
  });
});

describe('invoiceTotals', () => {
  const l = (amount: string, lineItemDiscount = '0', invoiceLevelDiscount = '0', prepaidCreditsApplied = '0'): TotalsLine => ({ amount, lineItemDiscount, invoiceLevelDiscount, prepaidCreditsApplied });
  it.each<[string, TotalsLine[], TaxRate[], string, [string, string, string, string, string]]>([
    // [case, lines, rates, paid, [subtotal, taxable, tax, total, remaining]]
    ['no discounts, no tax', [l('50'), l('0.01')], [], '0', ['50.01', '50.01', '0', '50.01', '50.01']],
    ['credits do not reduce the taxable amount: $100, $20 credits, 10% → tax $10, total $90', [l('100', '0', '0', '20')], [pct('t', '10')], '0', ['100', '100', '10', '90', '90']],
    ['a discount as large as the subtotal: nothing taxable, a fixed tax still applies', [l('10', '10')], [fixed('t', '2')], '0', ['10', '0', '2', '2', '2']],
    ['two rates on the same base, no compounding: 5% + 10% of $100 → $15', [l('100')], [pct('a', '5'), pct('b', '10')], '0', ['100', '100', '15', '115', '115']],
    ['partly paid: $115 due, $100 paid → $15 remaining', [l('100')], [pct('a', '15')], '100', ['100', '100', '15', '115', '15']],
    ['overpaid: nothing remaining, never negative', [l('100')], [], '120', ['100', '100', '0', '100', '0']],
    ['credits covering everything: the total stops at 0', [l('10', '0', '0', '10')], [], '0', ['10', '10', '0', '0', '0']],
    ['an empty invoice', [], [pct('a', '8.25')], '0', ['0', '0', '0', '0', '0']],
    ['a plan change: a $30 charge and a −$15 credit line → $15, taxed on the net', [l('30'), l('-15')], [pct('t', '10')], '0', ['15', '15', '1.5', '16.5', '16.5']],
    ['credit lines larger than the charges: subtotal below 0, nothing taxable, the total stops at 0', [l('10'), l('-15')], [pct('t', '10')], '0', ['-5', '0', '0', '0', '0']],
  ])('%s', (_case, lines, rates, paid, [subtotal, taxable, tax, total, remaining]) => {
    const t = invoiceTotals({ currency: 'usd', lines, taxRates: rates, amountPaid: paid });
    expect([t.subtotal, t.taxableAmount, t.totalTax, t.total, t.amountRemaining]).toEqual([subtotal, taxable, tax, total, remaining]);
    expect(t.amountDue).toBe(t.total);
  });

  it('refuses a line amount that was not rounded at creation', () => {
    expect(() => invoiceTotals({ currency: 'usd', lines: [{ amount: '10.005' }] })).toThrow(RangeError);
    expect(() => invoiceTotals({ currency: 'jpy', lines: [{ amount: '10.5' }] })).toThrow(RangeError);
  });

  it('subtotal is Σ rounded lines, not the rounding of a sum: three lines of $0.333… are $0.99', () => {
    const price = readPrice({ currency: 'usd', billingModel: 'FLAT_FEE', billingPeriodCount: 1, amount: '0.333' });
    const amounts = ['1', '1', '1'].map((q) => usageCharge({ price, usage: { quantity: q } }).amount);
    expect(invoiceTotals({ currency: 'usd', lines: amounts.map((amount) => ({ amount })) }).subtotal).toBe('0.99');
  });
});

describe('invoiceTaxes', () => {
  it.each<[string, string, TaxRate[], string, string[]]>([
    ['8.25% of $70 = 5.775 → $5.78', '70', [pct('t', '8.25')], 'usd', ['5.78']],
    ['a fixed $1.50 tax', '70', [fixed('t', '1.5')], 'usd', ['1.5']],
    ['7.5% of ¥1,234 = 92.55 → ¥93', '1234', [pct('t', '7.5')], 'jpy', ['93']],
    ['0% of anything', '70', [pct('t', '0')], 'usd', ['0']],
    ['a fixed value finer than the currency is rounded: $0.125 → $0.13', '10', [fixed('t', '0.125')], 'usd', ['0.13']],
  ])('%s', (_case, base, rates, currency, amounts) => {
    expect(invoiceTaxes(base, rates, currency).taxes.map((x) => x.taxAmount)).toEqual(amounts);
  });

  it.each<[string, TaxRate]>([
    ['a percentage over 100', pct('t', '101')],
    ['a missing percentage', { id: 't', taxRateType: 'percentage' }],
    ['a negative fixed value', fixed('t', '-1')],
  ])('refuses %s', (_case, rate) => {
    expect(() => invoiceTaxes('10', [rate], 'usd')).toThrow(RangeError);
  });
});

describe('applyPrepaidCredits: usage lines only, in order, whole cents', () => {
  it.each<[string, [string, 'USAGE' | 'FIXED'][], string, string[], string]>([
    ['usage lines take credits up to what each has left', [['30', 'USAGE'], ['20', 'FIXED'], ['30', 'USAGE']], '50', ['30', '0', '20'], '50'],
    ['fixed lines never take credits', [['20', 'FIXED']], '50', ['0'], '0'],
    ['more credits than usage: the rest stays in the wallet', [['12.34', 'USAGE']], '100', ['12.34'], '12.34'],
    ['a fraction of a cent in the wallet is not spent', [['10', 'USAGE']], '5.009', ['5'], '5'],
    ['no wallets yet: 0', [['10', 'USAGE']], '0', ['0'], '0'],
  ])('%s', (_case, lines, available, applied, total) => {
    const r = applyPrepaidCredits(
      lines.map(([amount, priceType], i) => ({ id: `l${i}`, priceType, amountAfterDiscounts: amount })),
      available,
      'usd',
    );
    expect(r.lines.map((x) => x.prepaidCreditsApplied)).toEqual(applied);
    expect(r.totalPrepaidCreditsApplied).toBe(total);
  });
});

describe('invoiceTotals (fast-check)', () => {
  const cents = fc.integer({ min: 0, max: 10_000_000 }).map((n) => formatDecimal(new ExactDecimal(n).div(100)));
  it('total = max(subtotal − discounts − credits + tax, 0), the tax base never below 0, remaining = max(due − paid, 0)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(cents, cents, cents), { maxLength: 6 }), fc.integer({ min: 0, max: 10_000 }), cents, (raw, bp, paid) => {
        const lines = raw.map(([a, d, c]) => ({ amount: a, lineItemDiscount: d, prepaidCreditsApplied: c }));
        const rate = formatDecimal(new ExactDecimal(bp).div(100));
        const t = invoiceTotals({ currency: 'usd', lines, taxRates: [pct('t', rate)], amountPaid: paid });
        const sum = (xs: string[]) => xs.reduce((s, x) => s.plus(x), new ExactDecimal(0));
        const sub = sum(raw.map((r) => r[0]));
        const disc = sum(raw.map((r) => r[1]));
        const cred = sum(raw.map((r) => r[2]));
        const base = ExactDecimal.max(sub.minus(disc), 0);
        expect(t.taxableAmount).toBe(formatDecimal(base));
        expect(t.totalTax).toBe(formatDecimal(base.times(rate).div(100).toDecimalPlaces(2, ExactDecimal.ROUND_HALF_UP)));
        expect(t.total).toBe(formatDecimal(ExactDecimal.max(sub.minus(disc).minus(cred).plus(t.totalTax), 0)));
        expect(t.amountRemaining).toBe(formatDecimal(ExactDecimal.max(new ExactDecimal(t.amountDue).minus(paid), 0)));
      }),
      { seed: 20260501, numRuns: 300 },
    );
  });
});
