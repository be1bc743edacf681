import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExactDecimal } from '../money/index.ts';
import { byConsumptionOrder, creditsForAmount, isUnexpired, planConsumption, type AvailableCredit } from './consumption.ts';

const d = (s: string | number) => new ExactDecimal(s);
const t0 = new Date('2025-10-01T00:00:00Z');
const credit = (id: string, available: string, extra: Partial<AvailableCredit> = {}): AvailableCredit => ({
  id, creditsAvailable: d(available), creditAmount: d(available), priority: null, expiryDate: null, createdAt: t0, ...extra,
});
const taken = (plan: ReturnType<typeof planConsumption>) => plan.takes.map((t) => [t.id, t.credits.toString()]);

describe('byConsumptionOrder', () => {
  it('orders by priority (none last), then soonest expiry (none last), then the larger credit', () => {
    const credits = [
      credit('no-priority-small', '20'),
      credit('no-priority-large', '40'),
      credit('p2', '100', { priority: 2 }),
      credit('p1-late', '50', { priority: 1, expiryDate: new Date('2026-06-01T00:00:00Z') }),
      credit('p1-soon', '30', { priority: 1, expiryDate: new Date('2026-01-01T00:00:00Z') }),
      credit('p1-never', '500', { priority: 1 }),
      credit('p0', '1', { priority: 0 }),
    ];
    expect([...credits].sort(byConsumptionOrder).map((c) => c.id)).toEqual(['p0', 'p1-soon', 'p1-late', 'p1-never', 'p2', 'no-priority-large', 'no-priority-small']);
  });

  it('breaks full ties by age, then id, so the order is total', () => {
    const later = new Date('2025-10-02T00:00:00Z');
    expect([credit('b', '5', { createdAt: later }), credit('c', '5'), credit('a', '5')].sort(byConsumptionOrder).map((c) => c.id)).toEqual(['a', 'c', 'b']);
  });
});

describe('planConsumption', () => {
  it('takes whole credits in order, then part of the next', () => {
    const plan = planConsumption([credit('b', '50', { priority: 1 }), credit('a', '30', { priority: 0 }), credit('c', '10')], d('60'));
    expect(taken(plan)).toEqual([['a', '30'], ['b', '30']]);
    expect(plan.shortfall.toString()).toBe('0');
  });

  it('reports what the credits cannot cover, and skips empty credits', () => {
    const plan = planConsumption([credit('a', '0'), credit('b', '2.5')], d('4'));
    expect(taken(plan)).toEqual([['b', '2.5']]);
    expect(plan.shortfall.toString()).toBe('1.5');
  });

  it('never takes more than a credit has nor more than wanted, and covers exactly min(wanted, available)', () => {
    const amount = fc.integer({ min: 0, max: 10_000 }).map((n) => d(n).div(100));
    fc.assert(
      fc.property(fc.array(fc.record({ available: amount, priority: fc.option(fc.integer({ min: 0, max: 3 })) }), { maxLength: 8 }), amount, (rows, wanted) => {
        const credits = rows.map((r, i) => credit(`c${i}`, r.available.toString(), { priority: r.priority }));
        const plan = planConsumption(credits, wanted);
        const total = plan.takes.reduce((s, t) => s.plus(t.credits), d(0));
        const available = credits.reduce((s, c) => s.plus(c.creditsAvailable), d(0));
        expect(total.eq(ExactDecimal.min(wanted, available))).toBe(true);
        expect(plan.shortfall.eq(wanted.minus(total))).toBe(true);
        for (const t of plan.takes) expect(t.credits.gt(0) && t.credits.lte(credits.find((c) => c.id === t.id)!.creditsAvailable)).toBe(true);
      }),
    );
  });
});

describe('conversions', () => {
  it('buys credits with amount ÷ topup_conversion_rate, exactly when the quotient terminates', () => {
    expect(creditsForAmount(d('10'), d('0.25')).toString()).toBe('40');
    expect(creditsForAmount(d('1'), d('3')).toFixed()).toBe('0.33333333333333333333');
  });

  it('treats a credit as spendable up to and including its expiry instant', () => {
    const at = new Date('2025-10-05T00:00:00Z');
    expect(isUnexpired({ expiryDate: at }, at)).toBe(true);
    expect(isUnexpired({ expiryDate: new Date(at.getTime() - 1) }, at)).toBe(false);
    expect(isUnexpired({ expiryDate: null }, at)).toBe(true);
  });
});
