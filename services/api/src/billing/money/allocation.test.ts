import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate } from './allocation.ts';
import { currencyPrecision } from './currency.ts';
import { ExactDecimal, formatDecimal } from './exact-decimal.ts';

const d = (text: string | number) => new ExactDecimal(text);
const split = (total: string, weights: string[], places: number) => allocate(d(total), weights.map(d), places).map(formatDecimal);

describe('allocate: largest remainder, summing exactly to the total', () => {
  it.each<[string, string, string[], number, string[]]>([
    // [case, total, weights, places, parts]
    ['$100 in three equal parts: the first part takes the cent left over', '100', ['1', '1', '1'], 2, ['33.34', '33.33', '33.33']],
    ['$100 in proportion 50 : 30 : 20, no remainder', '100', ['50', '30', '20'], 2, ['50', '30', '20']],
    ['$0.05 in two: 2.5¢ each, the tie goes to the first', '0.05', ['1', '1'], 2, ['0.03', '0.02']],
    ['$0.10 over 0.333 : 0.333 : 0.334: shares 3.33¢, 3.33¢, 3.34¢; the largest remainder gets the cent', '0.1', ['0.333', '0.333', '0.334'], 2, ['0.03', '0.03', '0.04']],
    ['$10 over line amounts 80 : 20 (an invoice coupon spread over lines)', '10', ['80', '20'], 2, ['8', '2']],
    ['$30 discount over lines $33.33, $33.33, $33.34', '30', ['33.33', '33.33', '33.34'], 2, ['10', '10', '10']],
    ['$1 over 1 : 2: shares 33.33…¢ and 66.66…¢, the larger remainder (0.67) gets the cent', '1', ['1', '2'], 2, ['0.33', '0.67']],
    ['¥1 in three: no fractions of a yen, the first part takes it', '1', ['1', '1', '1'], currencyPrecision('jpy'), ['1', '0', '0']],
    ['¥100 in proportion 1 : 2 : 3: 16.67, 33.33, 50 → 17, 33, 50', '100', ['1', '2', '3'], 0, ['17', '33', '50']],
    ['KWD 1 in three (3 decimals)', '1', ['1', '1', '1'], currencyPrecision('kwd'), ['0.334', '0.333', '0.333']],
    ['a weight of 0 gets nothing', '10', ['0', '1', '0', '1'], 2, ['0', '5', '0', '5']],
    ['a single part takes everything', '12.34', ['7'], 2, ['12.34']],
    ['a negative total (a credit) splits as its magnitude', '-100', ['1', '1', '1'], 2, ['-33.34', '-33.33', '-33.33']],
    ['nothing to split', '0', ['1', '2'], 2, ['0', '0']],
    ['nothing to split over no weight', '0', ['0', '0'], 2, ['0', '0']],
  ])('%s', (_case, total, weights, places, parts) => {
    expect(split(total, weights, places)).toEqual(parts);
  });

  it.each<[string, () => unknown]>([
    ['a total finer than the precision', () => split('0.005', ['1'], 2)],
    ['a negative weight', () => split('1', ['1', '-1'], 2)],
    ['no weights', () => split('1', [], 2)],
    ['a non-zero total over weights that are all 0', () => split('1', ['0', '0'], 2)],
    ['negative places', () => split('1', ['1'], -1)],
  ])('refuses %s', (_case, run) => {
    expect(run).toThrow(RangeError);
  });
});

describe('allocate (fast-check)', () => {
  /** A decimal with at most `places` decimals: an integer of minor units, shifted. */
  const amountIn = (places: number) => fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }).map((units) => d(units.toString()).div(d(10).pow(places)));
  const weight = fc.oneof(
    fc.integer({ min: 0, max: 1_000_000 }).map((n) => d(n)),
    fc.tuple(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 6 })).map(([n, scale]) => d(n).div(d(10).pow(scale))),
  );
  const input = fc
    .integer({ min: 0, max: 4 })
    .chain((places) => fc.tuple(fc.constant(places), amountIn(places), fc.array(weight, { minLength: 1, maxLength: 12 })))
    .filter(([, , weights]) => weights.some((w) => !w.isZero()));

  it('parts always sum to the total, and each is within one minor unit of its exact share', () => {
    fc.assert(
      fc.property(input, ([places, total, weights]) => {
        const parts = allocate(total, weights, places);
        expect(parts).toHaveLength(weights.length);
        expect(formatDecimal(parts.reduce((s, p) => s.plus(p), d(0)))).toBe(formatDecimal(total));
        const weightSum = weights.reduce((s, w) => s.plus(w), d(0));
        const minorUnit = d(10).pow(-places);
        parts.forEach((part, i) => {
          expect(part.decimalPlaces()).toBeLessThanOrEqual(places);
          // |part − total × wᵢ / Σw| < one minor unit, compared without dividing: × Σw on both sides.
          const gap = part.times(weightSum).minus(total.times(weights[i])).abs();
          expect(gap.lt(minorUnit.times(weightSum))).toBe(true);
        });
      }),
      { seed: 20261204, numRuns: 500 },
    );
  });

  it('splits the same input the same way, and in proportion when it divides exactly', () => {
    fc.assert(
      fc.property(input, ([places, total, weights]) => {
        expect(allocate(total, weights, places).map(formatDecimal)).toEqual(allocate(total, weights, places).map(formatDecimal));
        const doubled = allocate(total.times(2).toDecimalPlaces(places), weights.map((w) => w.times(3)), places);
        expect(formatDecimal(doubled.reduce((s, p) => s.plus(p), d(0)))).toBe(formatDecimal(total.times(2)));
      }),
      { seed: 20261205, numRuns: 200 },
    );
  });
});
