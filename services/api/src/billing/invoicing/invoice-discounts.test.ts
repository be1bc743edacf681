import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExactDecimal, formatDecimal } from '../money/index.ts';
import type { CouponDefinition } from '../pricing/index.ts';
import { applyInvoiceDiscounts, type DiscountableLine, type InvoiceCoupon, type LineCoupon } from './invoice-discounts.ts';

const pct = (p: string): CouponDefinition => ({ type: 'percentage', percentageOff: p });
const off = (a: string, currency = 'usd'): CouponDefinition => ({ type: 'fixed', amountOff: a, currency });
const day = (d: number) => new Date(Date.UTC(2026, 0, d));
const invoiceCoupon = (id: string, coupon: CouponDefinition, startDay = 1): InvoiceCoupon => ({ associationId: id, couponId: `coupon_${id}`, startDate: day(startDay), coupon });
const lineCoupon = (id: string, lineId: string, coupon: CouponDefinition, startDay = 1): LineCoupon => ({ ...invoiceCoupon(id, coupon, startDay), lineId });
const lines = (...amounts: string[]): DiscountableLine[] => amounts.map((amount, i) => ({ id: `l${i + 1}`, amount }));

/** `line: amount − line discount − invoice share = left` */
const show = (r: ReturnType<typeof applyInvoiceDiscounts>) => r.lines.map((l) => `${l.id}: ${l.amount} − ${l.lineItemDiscount} − ${l.invoiceLevelDiscount} = ${l.amountAfterDiscounts}`);

describe('applyInvoiceDiscounts: line coupons, then invoice coupons on the running total, spread over lines', () => {
  it.each<[string, DiscountableLine[], LineCoupon[], InvoiceCoupon[], string, string[]]>([
    [
      'usage $80 + fixed $20; 25% off usage; $10 off the invoice, spread 60 : 20',
      lines('80', '20'),
      [lineCoupon('a1', 'l1', pct('25'))],
      [invoiceCoupon('a2', off('10'))],
      '30',
      ['l1: 80 − 20 − 7.5 = 52.5', 'l2: 20 − 0 − 2.5 = 17.5'],
    ],
    [
      'two 10% invoice coupons on $100: $10, then $9 on what is left',
      lines('100'),
      [],
      [invoiceCoupon('b', pct('10'), 2), invoiceCoupon('a', pct('10'), 1)],
      '19',
      ['l1: 100 − 0 − 19 = 81'],
    ],
    [
      'a fixed coupon larger than the invoice takes it all, never more',
      lines('30', '10'),
      [],
      [invoiceCoupon('a', off('50'))],
      '40',
      ['l1: 30 − 0 − 30 = 0', 'l2: 10 − 0 − 10 = 0'],
    ],
    [
      '$10 over three lines of $33.33, $33.33, $33.34: largest remainder keeps the sum exact',
      lines('33.33', '33.33', '33.34'),
      [],
      [invoiceCoupon('a', off('10'))],
      '10',
      ['l1: 33.33 − 0 − 3.33 = 30', 'l2: 33.33 − 0 − 3.33 = 30', 'l3: 33.34 − 0 − 3.34 = 30'],
    ],
    [
      'two line coupons on one line apply one after the other: 10% of $50, then $5 off $45',
      lines('50', '50'),
      [lineCoupon('b', 'l1', off('5'), 2), lineCoupon('a', 'l1', pct('10'), 1)],
      [],
      '10',
      ['l1: 50 − 10 − 0 = 40', 'l2: 50 − 0 − 0 = 50'],
    ],
    [
      'a fully discounted line takes no share of the invoice coupon',
      lines('20', '80'),
      [lineCoupon('a', 'l1', pct('100'))],
      [invoiceCoupon('b', off('8'))],
      '28',
      ['l1: 20 − 20 − 0 = 0', 'l2: 80 − 0 − 8 = 72'],
    ],
    ['a line coupon whose line is not on this invoice does nothing', lines('20'), [lineCoupon('a', 'elsewhere', pct('50'))], [], '0', ['l1: 20 − 0 − 0 = 20']],
    ['a percentage rounds once, half away from zero: 15% of $0.10 = $0.015 → $0.02', lines('0.1'), [lineCoupon('a', 'l1', pct('15'))], [], '0.02', ['l1: 0.1 − 0.02 − 0 = 0.08']],
    ['no coupons', lines('12.5'), [], [], '0', ['l1: 12.5 − 0 − 0 = 12.5']],
  ])('%s', (_case, ls, lcs, ics, total, shown) => {
    const r = applyInvoiceDiscounts({ currency: 'usd', lines: ls, lineCoupons: lcs, invoiceCoupons: ics });
    expect(show(r)).toEqual(shown);
    expect(r.totalDiscount).toBe(total);
  });

  it('records each application: original, final and discounted amounts, type and percentage', () => {
    const r = applyInvoiceDiscounts({ currency: 'USD', lines: lines('80', '20'), lineCoupons: [lineCoupon('a1', 'l1', pct('25'))], invoiceCoupons: [invoiceCoupon('a2', off('10'))] });
    expect(r.applications).toEqual([
      { couponId: 'coupon_a1', couponAssociationId: 'a1', invoiceLineId: 'l1', originalPrice: '80', finalPrice: '60', discountedAmount: '20', discountType: 'percentage', discountPercentage: '25', currency: 'usd' },
      { couponId: 'coupon_a2', couponAssociationId: 'a2', invoiceLineId: null, originalPrice: '80', finalPrice: '70', discountedAmount: '10', discountType: 'fixed', discountPercentage: null, currency: 'usd' },
    ]);
  });

  it('a coupon that takes nothing off leaves no application (it is not spent)', () => {
    const r = applyInvoiceDiscounts({ currency: 'usd', lines: lines('0'), invoiceCoupons: [invoiceCoupon('a', off('10'))] });
    expect(r.applications).toEqual([]);
    expect(applyInvoiceDiscounts({ currency: 'usd', lines: [], invoiceCoupons: [invoiceCoupon('a', off('10'))] }).totalDiscount).toBe('0');
  });

  it('refuses a fixed coupon in another currency, and a line amount finer than the currency', () => {
    expect(() => applyInvoiceDiscounts({ currency: 'usd', lines: lines('10'), invoiceCoupons: [invoiceCoupon('a', off('1', 'eur'))] })).toThrow(/currency/);
    expect(() => applyInvoiceDiscounts({ currency: 'usd', lines: lines('10.005') })).toThrow(RangeError);
  });

  it('works in whole yen: ¥1,000 off lines of ¥1,000 and ¥2,000 → shares of ¥333 and ¥667', () => {
    const r = applyInvoiceDiscounts({ currency: 'jpy', lines: lines('1000', '2000'), invoiceCoupons: [invoiceCoupon('a', off('1000', 'jpy'))] });
    expect(show(r)).toEqual(['l1: 1000 − 0 − 333 = 667', 'l2: 2000 − 0 − 667 = 1333']);
  });
});

describe('applyInvoiceDiscounts (fast-check)', () => {
  const cents = fc.integer({ min: 0, max: 1_000_000 }).map((n) => formatDecimal(new ExactDecimal(n).div(100)));
  const coupon = fc.oneof(
    fc.integer({ min: 0, max: 100 }).map((p) => pct(String(p))),
    cents.map((a) => off(a)),
  );
  it('shares add up to the invoice discounts, no line goes below 0, the total discount never exceeds the subtotal', () => {
    fc.assert(
      fc.property(fc.array(cents, { minLength: 1, maxLength: 8 }), fc.array(fc.tuple(fc.nat(7), coupon), { maxLength: 4 }), fc.array(coupon, { maxLength: 4 }), (amounts, lcs, ics) => {
        const ls = lines(...amounts);
        const r = applyInvoiceDiscounts({
          currency: 'usd',
          lines: ls,
          lineCoupons: lcs.map(([i, c], k) => lineCoupon(`l${k}`, `l${(i % ls.length) + 1}`, c)),
          invoiceCoupons: ics.map((c, k) => invoiceCoupon(`i${k}`, c)),
        });
        const sum = (xs: string[]) => xs.reduce((s, x) => s.plus(x), new ExactDecimal(0));
        const invoiceLevel = sum(r.applications.filter((a) => a.invoiceLineId === null).map((a) => a.discountedAmount));
        expect(formatDecimal(sum(r.lines.map((l) => l.invoiceLevelDiscount)))).toBe(formatDecimal(invoiceLevel));
        expect(formatDecimal(sum(r.applications.map((a) => a.discountedAmount)))).toBe(r.totalDiscount);
        r.lines.forEach((l) => expect(new ExactDecimal(l.amountAfterDiscounts).gte(0)).toBe(true));
        expect(new ExactDecimal(r.totalDiscount).lte(sum(amounts))).toBe(true);
      }),
      { seed: 20260401, numRuns: 400 },
    );
  });
});
