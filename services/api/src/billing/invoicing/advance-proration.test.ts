import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExactDecimal, formatDecimal } from '../money/index.ts';
import type { Period } from '../period/index.ts';
import { proratedAdvanceCharge, unusedAdvanceCredit, type UnusedAdvanceCreditInput } from './advance-proration.ts';

const april: Period = { start: new Date('2025-04-01T00:00:00Z'), end: new Date('2025-05-01T00:00:00Z') }; // 30 days
const half = new Date('2025-04-16T00:00:00Z');
const credit = (over: Partial<UnusedAdvanceCreditInput>) =>
  unusedAdvanceCredit({ amount: '30', quantity: '1', period: april, at: half, billed: '30', alreadyCredited: '0', currency: 'usd', ...over }).credit;

describe('the $30 → $60 plan change halfway through a 30-day period', () => {
  it('credits 15.00, charges 30.00, nets 15.00', () => {
    const c = credit({});
    const charge = proratedAdvanceCharge({ amount: '60', quantity: '1', period: april, at: half, currency: 'usd' });
    expect([c, charge, formatDecimal(new ExactDecimal(charge).minus(c))]).toEqual(['15', '30', '15']);
  });
});

describe('unusedAdvanceCredit: the unused share, capped at what was billed less earlier credits', () => {
  it.each<[string, Partial<UnusedAdvanceCreditInput>, string]>([
    ['3 seats at $30 → $45', { quantity: '3', billed: '90' }, '45'],
    ['billed only $10 (a discounted line): at most $10 back', { billed: '10' }, '10'],
    ['$12 credited before: the cap is $18, the credit stays $15', { alreadyCredited: '12' }, '15'],
    ['$20 credited before: only $10 left to credit', { alreadyCredited: '20' }, '10'],
    ['credited in full before: nothing', { alreadyCredited: '30' }, '0'],
    ['at the period’s start: all of it', { at: april.start }, '30'],
    ['in its last second: nothing', { at: new Date('2025-04-30T23:59:59Z') }, '0'],
    ['after its end: nothing, never negative', { at: new Date('2025-05-03T00:00:00Z') }, '0'],
    ['a quarter through: 22.5 of 30 days less a second → $22.50', { at: new Date('2025-04-08T12:00:00Z') }, '22.5'],
    ['whole yen: ¥1,000 halfway → ¥500', { amount: '1000', billed: '1000', currency: 'jpy' }, '500'],
  ])('%s', (_case, over, expected) => {
    expect(credit(over)).toBe(expected);
  });

  it('reports the share before the cap and the coefficient', () => {
    const r = unusedAdvanceCredit({ amount: '30', quantity: '1', period: april, at: half, billed: '10', alreadyCredited: '0', currency: 'usd' });
    expect(r.unusedAmount).toBe('15');
    expect(r.coefficient.numerator.toFixed()).toBe('1295999000'); // (15 days − 1 s) in ms
  });

  it('refuses a billed amount finer than the currency', () => {
    expect(() => credit({ billed: '10.001' })).toThrow(RangeError);
  });
});

describe('unusedAdvanceCredit (fast-check)', () => {
  it('never exceeds the billed amount less earlier credits, nor the unused share; credits over successive changes never add up past what was billed', () => {
    const day = 86_400_000;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), fc.array(fc.integer({ min: 0, max: 30 * day }), { minLength: 1, maxLength: 4 }), (cents, offsets) => {
        const billed = formatDecimal(new ExactDecimal(cents).div(100));
        let credited = new ExactDecimal(0);
        for (const offset of offsets) {
          const r = unusedAdvanceCredit({ amount: billed, quantity: '1', period: april, at: new Date(april.start.getTime() + offset), billed, alreadyCredited: formatDecimal(credited), currency: 'usd' });
          expect(new ExactDecimal(r.credit).lte(r.unusedAmount)).toBe(true);
          credited = credited.plus(r.credit);
          expect(credited.lte(billed)).toBe(true);
        }
      }),
      { seed: 20260601, numRuns: 300 },
    );
  });
});
