import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { divideRounded, ExactDecimal } from '../../billing/money/index.ts';
import { prorationCoefficient, type Period } from '../../billing/period/index.ts';
import type { SubscriptionLineItem } from './subscription-line-item.entity.ts';
import { cappedCredit, lineageOf, unusedAdvanceCredits, unusedShare } from './subscription-proration.ts';

// Properties of the pure proration rules (subscription-proration.ts), over many random cases.
const april: Period = { start: new Date('2025-04-01T00:00:00Z'), end: new Date('2025-05-01T00:00:00Z') };
const span = april.end.getTime() - april.start.getTime();
const d = (s: string | number) => new ExactDecimal(s);
const instant = fc.integer({ min: 0, max: span - 1 }).map((ms) => new Date(april.start.getTime() + Math.floor(ms / 1000) * 1000));
const cents = fc.integer({ min: 0, max: 1_000_000 }).map((n) => (n / 100).toString());
const coefficient = (t: Date) => prorationCoefficient(april, t);

describe('the coefficient (end − 1 s − t) ÷ (end − 1 s − start)', () => {
  it('is 1 at the start, in [0, 1], and never grows as t moves later', () => {
    expect(coefficient(april.start).numerator.eq(coefficient(april.start).denominator)).toBe(true);
    fc.assert(
      fc.property(instant, instant, (a, b) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        const ce = coefficient(early);
        const cl = coefficient(late);
        expect(cl.numerator.gte(0) && ce.numerator.lte(ce.denominator)).toBe(true);
        expect(cl.numerator.lte(ce.numerator)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('unusedShare: cost × (c(from) − c(to)), rounded once', () => {
  it('is within [0, cost], shrinks as `from` moves later, and adds up over a split to the cent', () => {
    fc.assert(
      fc.property(cents, instant, instant, instant, (cost, x, y, z) => {
        const [a, b, c] = [x, y, z].sort((p, q) => p.getTime() - q.getTime()) as [Date, Date, Date];
        const whole = d(unusedShare(cost, april, a, april.end, 'usd'));
        expect(whole.gte(0) && whole.lte(cost)).toBe(true);
        expect(d(unusedShare(cost, april, b, april.end, 'usd')).lte(whole)).toBe(true);
        const parts = d(unusedShare(cost, april, a, c, 'usd')).plus(unusedShare(cost, april, c, april.end, 'usd'));
        // Two roundings of half a cent at most each.
        expect(parts.minus(whole).abs().lte('0.01')).toBe(true);
        // Nothing is unused over an empty or backward span.
        expect(unusedShare(cost, april, c, a, 'usd')).toBe('0');
      }),
      { numRuns: 500 },
    );
  });
});

describe('cappedCredit', () => {
  it('never exceeds the unused value nor what was charged less earlier credits, and is never negative', () => {
    fc.assert(
      fc.property(cents, cents, cents, (unused, charged, credited) => {
        const credit = d(cappedCredit(unused, charged, credited));
        expect(credit.gte(0)).toBe(true);
        expect(credit.lte(unused)).toBe(true);
        expect(credit.lte(ExactDecimal.max(d(charged).minus(credited), d(0)))).toBe(true);
        expect(credit.eq(ExactDecimal.max(ExactDecimal.min(d(unused), d(charged).minus(credited)), d(0)))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

/**
 * A line held from the period's start, then changed at increasing instants (each quantity change
 * charging or crediting the difference for the rest of the period, the last step maybe deleting it):
 * the charges less the credits equal the time-weighted price of what was held, within half a cent per
 * rounded amount, and the credits never exceed the charges.
 */
describe('a line changed many times in one period', () => {
  const step = fc.record({ at: instant, quantity: fc.integer({ min: 0, max: 30 }) });
  it('nets to the time-weighted price of what was held, and never credits more than it charged', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 30 }), fc.array(step, { maxLength: 8 }), fc.option(instant), (amountCents, q0, raw, deleted) => {
        const amount = d(amountCents).dividedBy(100);
        const steps = [...raw].sort((a, b) => a.at.getTime() - b.at.getTime());
        let charged = amount.times(q0);
        let credited = d(0);
        let held = q0;
        let rounded = 0;
        // Exact: Σ amount × q × (n(tᵢ) − n(tᵢ₊₁)) ÷ D, n the coefficient's numerator.
        let weighted = d(0);
        let from = coefficient(april.start).numerator;
        const D = coefficient(april.start).denominator;
        const settle = (t: Date, next: number) => {
          const n = coefficient(t).numerator;
          weighted = weighted.plus(amount.times(held).times(from.minus(n)));
          from = n;
          held = next;
        };
        for (const s of steps) {
          const diff = unusedShare(amount.times(Math.abs(s.quantity - held)).toFixed(), april, s.at, april.end, 'usd');
          if (s.quantity > held) charged = charged.plus(diff);
          else if (s.quantity < held) {
            credited = credited.plus(cappedCredit(diff, charged.toFixed(), credited.toFixed()));
          }
          if (s.quantity !== held) rounded += 1;
          settle(s.at, s.quantity);
        }
        if (deleted) {
          const end = new Date(Math.max(deleted.getTime(), steps.at(-1)?.at.getTime() ?? 0));
          const unused = unusedShare(amount.times(held).toFixed(), april, end, april.end, 'usd');
          credited = credited.plus(cappedCredit(unused, charged.toFixed(), credited.toFixed()));
          rounded += 1;
          settle(end, 0);
        }
        weighted = weighted.plus(amount.times(held).times(from));
        const exact = divideRounded(weighted, D, 10);
        expect(credited.lte(charged)).toBe(true);
        expect(charged.minus(credited).minus(exact).abs().lte(d('0.005').times(rounded))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('lineageOf', () => {
  const item = (id: string, start: string, end: string | null, over: Partial<SubscriptionLineItem> = {}) =>
    ({ id, priceId: 'price_a', position: 0, startDate: new Date(start), endDate: end ? new Date(end) : null, ...over }) as SubscriptionLineItem;
  it('walks back through the predecessors a line continues (same price and place, ending where the next starts)', () => {
    const a = item('a', '2025-04-01T00:00:00Z', '2025-04-10T00:00:00Z');
    const b = item('b', '2025-04-10T00:00:00Z', '2025-04-16T00:00:00Z');
    const c = item('c', '2025-04-16T00:00:00Z', null);
    const otherPrice = item('x', '2025-04-01T00:00:00Z', '2025-04-16T00:00:00Z', { priceId: 'price_b' });
    const otherPlace = item('y', '2025-04-01T00:00:00Z', '2025-04-16T00:00:00Z', { position: 1 });
    expect(lineageOf(c, [a, b, c, otherPrice, otherPlace]).map((l) => l.id)).toEqual(['c', 'b', 'a']);
    // …and forward through the successors that continue it.
    expect(lineageOf(b, [a, b, c]).map((l) => l.id)).toEqual(['b', 'a', 'c']);
    expect(lineageOf(a, [a, b, c, otherPrice]).map((l) => l.id)).toEqual(['a', 'b', 'c']);
  });
});

describe('unusedAdvanceCredits with the lines’ costs (a cancellation, a plan change)', () => {
  const seat = (id: string, start: string, end: string | null, quantity: string) =>
    ({ id, priceId: 'price_seat', position: 0, priceType: 'FIXED', invoiceCadence: 'ADVANCE', billingPeriod: 'MONTHLY', quantity, startDate: new Date(start), endDate: end ? new Date(end) : null }) as SubscriptionLineItem;
  // $3 a seat: 10 seats charged $30.00 on 1 April, lowered to 5 on 16 April ($7.50 credited then).
  const ten = seat('ten', '2025-04-01T00:00:00Z', '2025-04-16T00:00:00Z', '10');
  const five = seat('five', '2025-04-16T00:00:00Z', null, '5');
  const lines = { costs: new Map([['ten', '30'], ['five', '15']]), credited: new Map([['ten', '7.5']]), all: [ten, five] };
  const charged = new Map([['ten', '30']]);

  it('credits the line still held its cost for the unused time; the ended line item nothing', () => {
    // 15 × 691,199 ÷ 2,591,999 = 3.9999976… → 4.00 (the line was charged 30.00, credited 7.50).
    const r = unusedAdvanceCredits([ten, five], charged, april, new Date('2025-04-23T00:00:00Z'), 'usd', lines);
    expect(r.total).toBe('4');
    expect(r.details.map((x) => [x.lineItemId, x.originalAmount, x.creditAmount])).toEqual([['five', '30', '4']]);
  });

  it('caps the line as a whole at what it was charged less its earlier credits, across its line items', () => {
    // Back-dated to 2 April: 10 seats for 14 days ($14.00) and 5 seats from 16 April ($7.50) are unused,
    // but only 30.00 − 20.00 = 10.00 is left to credit for the line: 10.00 to the first, 0 to the other.
    const r = unusedAdvanceCredits([ten, five], charged, april, new Date('2025-04-02T00:00:00Z'), 'usd', { ...lines, credited: new Map([['ten', '20']]) });
    expect(r.total).toBe('10');
  });
});
