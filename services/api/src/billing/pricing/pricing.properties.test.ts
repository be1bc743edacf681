import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketedCost } from './bucketed.ts';
import { couponDiscount } from './coupon-discount.ts';
import { customUnitCost } from './custom-unit.ts';
import { currencyPrecision, ExactDecimal, formatDecimal, zero } from '../money/index.ts';
import { roundAmount } from './decimal-field.ts';
import { costOf } from './pricing.test-helper.ts';
import { readPrice, type PriceDefinition, type PriceTier, type TierMode } from './rated-price.ts';

/** A non-negative decimal string: an integer up to `maxUnscaled`, shifted by 0..`maxScale` places. */
const decimal = (maxUnscaled: bigint, maxScale: number): fc.Arbitrary<string> =>
  fc
    .tuple(fc.bigInt({ min: 0n, max: maxUnscaled }), fc.integer({ min: 0, max: maxScale }))
    .map(([unscaled, scale]) => formatDecimal(new ExactDecimal(unscaled.toString()).div(new ExactDecimal(10).pow(scale))));

const amount = decimal(10n ** 9n, 8);
const quantity = fc.oneof(decimal(10n ** 6n, 0), decimal(10n ** 9n, 4), decimal(10n ** 16n, 0), fc.constantFrom('0', '1000', '1001', '5000'));
const currency = fc.constantFrom('usd', 'eur', 'jpy', 'krw', 'vnd', 'clp', 'kwd', 'clf');

/** Ascending distinct bounds, then an open last tier; every tier with its own unit and flat amount. */
const tiers: fc.Arbitrary<PriceTier[]> = fc
  .uniqueArray(fc.integer({ min: 1, max: 100_000 }), { maxLength: 5 })
  .map((bounds) => [...bounds.sort((a, b) => a - b), null])
  .chain((bounds) =>
    fc.tuple(...bounds.map((upTo) => fc.record({ unit: amount, flat: fc.option(amount, { nil: undefined }) }).map(({ unit, flat }): PriceTier => ({ up_to: upTo, unit_amount: unit, ...(flat === undefined ? {} : { flat_amount: flat }) })))),
  );

const tieredPrice = (tierMode: TierMode, priceTiers: readonly PriceTier[], cur = 'usd'): PriceDefinition => ({ currency: cur, billingModel: 'TIERED', billingPeriodCount: 1, tierMode, tiers: priceTiers });

const anyPrice: fc.Arbitrary<PriceDefinition> = fc.oneof(
  fc.record({ cur: currency, amt: amount }).map(({ cur, amt }): PriceDefinition => ({ currency: cur, billingModel: 'FLAT_FEE', billingPeriodCount: 1, amount: amt })),
  fc
    .record({ cur: currency, amt: amount, divideBy: fc.integer({ min: 1, max: 10_000 }), round: fc.constantFrom('up' as const, 'down' as const) })
    .map(({ cur, amt, divideBy, round }): PriceDefinition => ({ currency: cur, billingModel: 'PACKAGE', billingPeriodCount: 1, amount: amt, transformQuantity: { divide_by: divideBy, round } })),
  fc.record({ cur: currency, mode: fc.constantFrom<TierMode>('VOLUME', 'SLAB'), ts: tiers }).map(({ cur, mode, ts }) => tieredPrice(mode, ts, cur)),
);

const dec = (text: string): ExactDecimal => new ExactDecimal(text);
const fits = (text: string, cur: string): boolean => dec(text).decimalPlaces() <= currencyPrecision(cur);

describe('pricing invariants (fast-check)', () => {
  it('SLAB cost never decreases as the quantity grows', () => {
    fc.assert(
      fc.property(tiers, quantity, quantity, (ts, a, b) => {
        const [low, high] = dec(a).lte(dec(b)) ? [a, b] : [b, a];
        const lowCost = costOf(tieredPrice('SLAB', ts), low);
        const highCost = costOf(tieredPrice('SLAB', ts), high);
        expect(dec(lowCost.exactAmount).lte(dec(highCost.exactAmount))).toBe(true);
        expect(dec(lowCost.amount).lte(dec(highCost.amount))).toBe(true);
      }),
    );
  });

  it('VOLUME equals SLAB when there is a single tier', () => {
    fc.assert(
      fc.property(amount, fc.option(amount, { nil: undefined }), quantity, currency, (unit, flat, q, cur) => {
        const single: PriceTier[] = [{ up_to: null, unit_amount: unit, flat_amount: flat }];
        const volume = costOf(tieredPrice('VOLUME', single, cur), q);
        const slab = costOf(tieredPrice('SLAB', single, cur), q);
        expect({ ...volume, tierMode: 'SLAB' }).toEqual(slab);
      }),
    );
  });

  it('SLAB tiers split the quantity exactly and their amounts add up to the cost', () => {
    fc.assert(
      fc.property(tiers, quantity, (ts, q) => {
        const cost = costOf(tieredPrice('SLAB', ts), q);
        expect(formatDecimal(cost.tiers.reduce((s, t) => s.plus(t.quantity), zero))).toBe(cost.quantity);
        expect(formatDecimal(cost.tiers.reduce((s, t) => s.plus(t.amount), zero))).toBe(cost.exactAmount);
      }),
    );
  });

  /** Quantities on, just past and just short of package boundaries, and anywhere. */
  const packageAndQuantity: fc.Arbitrary<[number, string]> = fc.integer({ min: 1, max: 10_000 }).chain((divideBy) =>
    fc.tuple(
      fc.constant(divideBy),
      fc.oneof(
        quantity,
        fc.tuple(fc.integer({ min: 0, max: 1_000_000 }), fc.constantFrom('0', '1', '-0.5', '0.0001')).map(([k, offset]) =>
          formatDecimal(ExactDecimal.max(0, new ExactDecimal(k).times(divideBy).plus(offset))),
        ),
      ),
    ),
  );

  it('PACKAGE cost is a whole number of packages, the fewest (or most, rounding down) that fit', () => {
    fc.assert(
      fc.property(amount, packageAndQuantity, fc.constantFrom('up' as const, 'down' as const), (amt, [divideBy, q], round) => {
        const cost = costOf({ currency: 'usd', billingModel: 'PACKAGE', billingPeriodCount: 1, amount: amt, transformQuantity: { divide_by: divideBy, round } }, q);
        const packages = dec(cost.packages?.packages ?? 'NaN');
        expect(packages.isInteger()).toBe(true);
        expect(cost.exactAmount).toBe(formatDecimal(packages.times(amt)));
        if (!dec(amt).isZero()) expect(dec(cost.exactAmount).mod(amt).isZero()).toBe(true);
        const covered = packages.times(divideBy);
        if (round === 'up') expect(covered.gte(q) && covered.minus(divideBy).lt(q)).toBe(true);
        else expect(covered.lte(q) && covered.plus(divideBy).gt(q)).toBe(true);
      }),
    );
  });

  it('no rounded amount has more decimals than its currency allows, and it is the exact cost rounded', () => {
    fc.assert(
      fc.property(anyPrice, quantity, (price, q) => {
        const cost = costOf(price, q);
        expect(fits(cost.amount, price.currency)).toBe(true);
        expect(cost.amount).toBe(roundAmount(cost.exactAmount, price.currency));
        const halfUnit = new ExactDecimal(10).pow(-currencyPrecision(price.currency)).div(2);
        expect(dec(cost.amount).minus(cost.exactAmount).abs().lte(halfUnit)).toBe(true);
      }),
    );
  });

  it('a bucketed total is the sum of the buckets’ costs, rounded once', () => {
    fc.assert(
      fc.property(anyPrice, fc.array(quantity, { maxLength: 8 }), (price, buckets) => {
        const total = bucketedCost(readPrice(price), buckets);
        const sum = buckets.reduce((s, b) => s.plus(costOf(price, b).exactAmount), zero);
        expect(total.exactAmount).toBe(formatDecimal(sum));
        expect(total.amount).toBe(roundAmount(formatDecimal(sum), price.currency));
        expect(fits(total.amount, price.currency)).toBe(true);
      }),
    );
  });

  it('a custom-unit line is the unit cost × conversion rate, rounded once to the base currency', () => {
    fc.assert(
      fc.property(anyPrice, decimal(10n ** 6n, 6).filter((r) => !dec(r).isZero()), quantity, (price, rate, q) => {
        const { amount: unitAmount, tiers: unitTiers, ...common } = price;
        const cost = customUnitCost(readPrice({ ...common, priceUnit: 'cre', conversionRate: rate, priceUnitAmount: unitAmount, priceUnitTiers: unitTiers }), q);
        expect(cost.exactAmount).toBe(formatDecimal(dec(cost.priceUnitAmount).times(rate)));
        expect(cost.amount).toBe(roundAmount(cost.exactAmount, price.currency));
        expect(fits(cost.amount, price.currency)).toBe(true);
      }),
    );
  });

  it('a coupon discount fits the currency and stays between 0 and the amount', () => {
    const coupon = fc.oneof(
      decimal(10n ** 4n, 2).map((p) => ({ type: 'percentage' as const, percentageOff: dec(p).gt(100) ? '100' : p })),
      decimal(10n ** 9n, 5).map((off) => ({ type: 'fixed' as const, amountOff: off })),
    );
    fc.assert(
      fc.property(coupon, currency, decimal(10n ** 12n, 4), (c, cur, raw) => {
        const base = roundAmount(raw, cur);
        const result = couponDiscount(c, base, cur);
        expect(fits(result.discount, cur)).toBe(true);
        expect(fits(result.finalAmount, cur)).toBe(true);
        expect(dec(result.discount).gte(0) && dec(result.discount).lte(base)).toBe(true);
        expect(formatDecimal(dec(result.discount).plus(result.finalAmount))).toBe(base);
      }),
    );
  });
});
