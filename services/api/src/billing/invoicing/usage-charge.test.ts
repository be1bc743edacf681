import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExactDecimal } from '../money/index.ts';
import type { BillingPeriodUnit, Period } from '../period/index.ts';
import { readPrice, type RatedPrice } from '../pricing/index.ts';
import { allowancePlan, allowanceWindows, type AllowancePlan, type MeteredEntitlement, type UsageResetPeriod } from './included-allowance.ts';
import { usageCharge, type UsageChargeInput } from './usage-charge.ts';

const perCall = readPrice({ currency: 'usd', billingModel: 'FLAT_FEE', billingPeriodCount: 1, amount: '0.01' });
const volume = readPrice({
  currency: 'usd',
  billingModel: 'TIERED',
  billingPeriodCount: 1,
  tierMode: 'VOLUME',
  tiers: [
    { up_to: 5, unit_amount: '1' },
    { up_to: null, unit_amount: '0.5' },
  ],
});
const slab = readPrice({
  currency: 'usd',
  billingModel: 'TIERED',
  billingPeriodCount: 1,
  tierMode: 'SLAB',
  tiers: [
    { up_to: 1000, unit_amount: '0.10' },
    { up_to: 5000, unit_amount: '0.08', flat_amount: '10' },
    { up_to: null, unit_amount: '0.05' },
  ],
});

const charge = (input: UsageChargeInput) => {
  const c = usageCharge(input);
  return [c.quantity, c.adjustedEntitlementQuantity, c.amount];
};

describe('allowancePlan: how an aggregated entitlement reduces a usage line', () => {
  it.each<[string, MeteredEntitlement | undefined, BillingPeriodUnit, AllowancePlan]>([
    ['no entitlement: everything is billable', undefined, 'MONTHLY', { kind: 'none' }],
    ['usage_limit null: unlimited', { usageLimit: null, usageResetPeriod: 'MONTHLY' }, 'MONTHLY', { kind: 'unlimited' }],
    ['reset equal to the billing period', { usageLimit: '1000', usageResetPeriod: 'MONTHLY' }, 'MONTHLY', { kind: 'per_period', limit: '1000' }],
    ['ANNUAL reset on an ANNUAL subscription', { usageLimit: '5', usageResetPeriod: 'ANNUAL' }, 'ANNUAL', { kind: 'per_period', limit: '5' }],
    ['DAILY on a monthly subscription: per day', { usageLimit: '100', usageResetPeriod: 'DAILY' }, 'MONTHLY', { kind: 'per_reset_window', limit: '100', reset: 'DAILY' }],
    ['MONTHLY on an annual subscription: per anchored month', { usageLimit: '100', usageResetPeriod: 'MONTHLY' }, 'ANNUAL', { kind: 'per_reset_window', limit: '100', reset: 'MONTHLY' }],
    ['NEVER: once over the subscription’s life', { usageLimit: '1000', usageResetPeriod: 'NEVER' }, 'MONTHLY', { kind: 'lifetime', limit: '1000' }],
    ['WEEKLY on a monthly subscription: per period, as FlexPrice', { usageLimit: '7', usageResetPeriod: 'WEEKLY' }, 'MONTHLY', { kind: 'per_period', limit: '7' }],
    ['no reset period set: per period', { usageLimit: '7', usageResetPeriod: null }, 'MONTHLY', { kind: 'per_period', limit: '7' }],
  ])('%s', (_case, entitlement, period, plan) => {
    expect(allowancePlan(entitlement, period)).toEqual(plan);
  });

  it('every reset period FlexPrice knows: DAILY per day, NEVER for life, the rest per period on a monthly subscription', () => {
    const all: UsageResetPeriod[] = ['DAILY', 'WEEKLY', 'MONTHLY', 'QUARTERLY', 'HALF_YEARLY', 'ANNUAL', 'NEVER'];
    expect(all.map((r) => allowancePlan({ usageLimit: '1', usageResetPeriod: r }, 'MONTHLY').kind)).toEqual(['per_reset_window', 'per_period', 'per_period', 'per_period', 'per_period', 'per_period', 'lifetime']);
  });
});

describe('allowanceWindows: the reset windows of a usage window', () => {
  const iso = (w: Period[]) => w.map((x) => `${x.start.toISOString()}→${x.end.toISOString()}`);
  it.each<[string, Period, 'DAILY' | 'MONTHLY', string, string, string[]]>([
    [
      'three local days in New York, the first and last clipped',
      { start: new Date('2026-03-07T17:00:00Z'), end: new Date('2026-03-09T16:00:00Z') },
      'DAILY',
      'America/New_York',
      '2026-01-15T00:00:00Z',
      [
        '2026-03-07T17:00:00.000Z→2026-03-08T05:00:00.000Z', // to local midnight (EST, UTC−5)
        '2026-03-08T05:00:00.000Z→2026-03-09T04:00:00.000Z', // the 23-hour DST day
        '2026-03-09T04:00:00.000Z→2026-03-09T16:00:00.000Z',
      ],
    ],
    [
      'months of an annual period anchored on the 15th (first three of twelve)',
      { start: new Date('2026-01-15T00:00:00Z'), end: new Date('2026-04-15T00:00:00Z') },
      'MONTHLY',
      'UTC',
      '2026-01-15T00:00:00Z',
      ['2026-01-15T00:00:00.000Z→2026-02-15T00:00:00.000Z', '2026-02-15T00:00:00.000Z→2026-03-15T00:00:00.000Z', '2026-03-15T00:00:00.000Z→2026-04-15T00:00:00.000Z'],
    ],
    [
      'a usage window starting mid-month (line added Feb 1) takes the rest of that anchored month',
      { start: new Date('2026-02-01T00:00:00Z'), end: new Date('2026-03-20T00:00:00Z') },
      'MONTHLY',
      'UTC',
      '2026-01-15T00:00:00Z',
      ['2026-02-01T00:00:00.000Z→2026-02-15T00:00:00.000Z', '2026-02-15T00:00:00.000Z→2026-03-15T00:00:00.000Z', '2026-03-15T00:00:00.000Z→2026-03-20T00:00:00.000Z'],
    ],
  ])('%s', (_case, window, reset, timezone, anchor, windows) => {
    expect(iso(allowanceWindows(window, reset, timezone, new Date(anchor)))).toEqual(windows);
  });

  it('an annual period has twelve anchored months', () => {
    expect(allowanceWindows({ start: new Date('2026-01-15T00:00:00Z'), end: new Date('2027-01-15T00:00:00Z') }, 'MONTHLY', 'UTC', new Date('2026-01-15T00:00:00Z'))).toHaveLength(12);
  });
});

describe('usageCharge: billable quantity, adjusted_entitlement_quantity, amount', () => {
  it.each<[string, UsageChargeInput, [string, string | null, string]]>([
    // [case, input, [quantity, adjusted_entitlement_quantity, amount]]
    ['$0.01/call, 1,000 included monthly, 3,500 used → 2,500 billable, $25.00', { price: perCall, usage: { quantity: '3500' }, allowance: { kind: 'per_period', limit: '1000' } }, ['2500', '1000', '25']],
    ['usage below the allowance: nothing billable, all of it adjusted', { price: perCall, usage: { quantity: '600' }, allowance: { kind: 'per_period', limit: '1000' } }, ['0', '600', '0']],
    ['no entitlement: all 3,500 billable, no adjusted quantity', { price: perCall, usage: { quantity: '3500' } }, ['3500', null, '35']],
    ['unlimited: nothing billable', { price: perCall, usage: { quantity: '3500' }, allowance: { kind: 'unlimited' } }, ['0', '3500', '0']],
    [
      'DAILY, 100 a day: days of 150, 80 and 300 → 50 + 0 + 200 = 250 billable of 530',
      { price: perCall, usage: { quantity: '530' }, allowance: { kind: 'per_reset_window', limit: '100', reset: 'DAILY' }, windowQuantities: ['150', '80', '300'] },
      ['250', '280', '2.5'],
    ],
    [
      'MONTHLY on an annual subscription, 1,000 a month: 1,200, 900, 1,500 → 700 billable',
      { price: perCall, usage: { quantity: '3600' }, allowance: { kind: 'per_reset_window', limit: '1000', reset: 'MONTHLY' }, windowQuantities: ['1200', '900', '1500'] },
      ['700', '2900', '7'],
    ],
    [
      'NEVER, 1,000 for life: 800 used before, 1,500 through this period → 500 of this period’s 700 billable',
      { price: perCall, usage: { quantity: '700' }, allowance: { kind: 'lifetime', limit: '1000' }, cumulativeUsage: { before: '800', through: '1500' } },
      ['500', '200', '5'],
    ],
    [
      'NEVER, the next period: the allowance is spent, all 500 billable',
      { price: perCall, usage: { quantity: '500' }, allowance: { kind: 'lifetime', limit: '1000' }, cumulativeUsage: { before: '1500', through: '2000' } },
      ['500', '0', '5'],
    ],
    [
      'NEVER, still inside the lifetime allowance',
      { price: perCall, usage: { quantity: '300' }, allowance: { kind: 'lifetime', limit: '1000' }, cumulativeUsage: { before: '200', through: '500' } },
      ['0', '300', '0'],
    ],
    [
      'tiers price the billable quantity: SLAB on 6,000 − 1,000 = 5,000 → 100 + 330 = $430',
      { price: slab, usage: { quantity: '6000' }, allowance: { kind: 'per_period', limit: '1000' } },
      ['5000', '1000', '430'],
    ],
    ['bucketed, no allowance: each bucket priced on its own (5×1 + 8×0.5 + 3×1 = $12)', { price: volume, usage: { buckets: ['5', '8', '3'] } }, ['16', null, '12']],
    [
      'bucketed with 4 included: 16 − 4 = 12 priced as one quantity (12 × 0.5 = $6)',
      { price: volume, usage: { buckets: ['5', '8', '3'] }, allowance: { kind: 'per_period', limit: '4' } },
      ['12', '4', '6'],
    ],
    [
      'bucketed with an allowance of 0: nothing taken off, buckets still priced one by one',
      { price: volume, usage: { buckets: ['5', '8', '3'] }, allowance: { kind: 'per_period', limit: '0' } },
      ['16', '0', '12'],
    ],
    ['bucketed, unlimited: 0', { price: volume, usage: { buckets: ['5', '8', '3'] }, allowance: { kind: 'unlimited' } }, ['0', '16', '0']],
    ['fractional usage: 2.5 GB at $0.01 → $0.03 (rounded once, half away from zero)', { price: perCall, usage: { quantity: '2.5' } }, ['2.5', null, '0.03']],
  ])('%s', (_case, input, expected) => {
    expect(charge(input)).toEqual(expected);
  });

  it('reports the usage read: quantity + adjusted', () => {
    const c = usageCharge({ price: perCall, usage: { quantity: '3500' }, allowance: { kind: 'per_period', limit: '1000' } });
    expect(c.usageQuantity).toBe('3500');
    expect(c.exactAmount).toBe('25');
    expect(c.pricedPerBucket).toBe(false);
  });

  it.each<[string, UsageChargeInput]>([
    ['a DAILY allowance without the daily usage', { price: perCall, usage: { quantity: '1' }, allowance: { kind: 'per_reset_window', limit: '1', reset: 'DAILY' } }],
    ['a NEVER allowance without the cumulative usage', { price: perCall, usage: { quantity: '1' }, allowance: { kind: 'lifetime', limit: '1' } }],
    ['a negative usage', { price: perCall, usage: { quantity: '-1' } }],
    ['a usage that is not a decimal', { price: perCall, usage: { quantity: 'many' } }],
  ])('refuses %s', (_case, input) => {
    expect(() => usageCharge(input)).toThrow(RangeError);
  });
});

describe('usageCharge (fast-check)', () => {
  const qty = fc.integer({ min: 0, max: 1_000_000 }).map(String);
  const price: RatedPrice = perCall;
  it('per period: billable + adjusted = usage, and a larger allowance never bills more', () => {
    fc.assert(
      fc.property(qty, qty, qty, (usage, a, b) => {
        const [small, large] = Number(a) <= Number(b) ? [a, b] : [b, a];
        const withSmall = usageCharge({ price, usage: { quantity: usage }, allowance: { kind: 'per_period', limit: small } });
        const withLarge = usageCharge({ price, usage: { quantity: usage }, allowance: { kind: 'per_period', limit: large } });
        expect(new ExactDecimal(withSmall.quantity).plus(withSmall.adjustedEntitlementQuantity as string).toFixed()).toBe(usage);
        expect(new ExactDecimal(withLarge.quantity).lte(withSmall.quantity)).toBe(true);
      }),
      { seed: 20260201, numRuns: 300 },
    );
  });

  it('per reset window: billable lies between the usage beyond one allowance and the usage itself', () => {
    fc.assert(
      fc.property(fc.array(qty, { minLength: 1, maxLength: 31 }), qty, (days, limit) => {
        const total = days.reduce((s, d) => s + Number(d), 0).toString();
        const c = usageCharge({ price, usage: { quantity: total }, allowance: { kind: 'per_reset_window', limit, reset: 'DAILY' }, windowQuantities: days });
        expect(new ExactDecimal(c.quantity).plus(c.adjustedEntitlementQuantity as string).toFixed()).toBe(total);
        expect(new ExactDecimal(c.quantity).lte(Math.max(0, Number(total) - Number(limit)))).toBe(true);
      }),
      { seed: 20260202, numRuns: 300 },
    );
  });

  it('lifetime: the periods of a subscription bill exactly the usage beyond the one allowance', () => {
    fc.assert(
      fc.property(fc.array(qty, { minLength: 1, maxLength: 12 }), qty, (periods, limit) => {
        let before = 0;
        let billed = 0;
        for (const used of periods) {
          const through = before + Number(used);
          const c = usageCharge({ price, usage: { quantity: used }, allowance: { kind: 'lifetime', limit }, cumulativeUsage: { before: String(before), through: String(through) } });
          billed += Number(c.quantity);
          before = through;
        }
        expect(billed).toBe(Math.max(0, before - Number(limit)));
      }),
      { seed: 20260203, numRuns: 300 },
    );
  });
});
