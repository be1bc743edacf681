import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExactDecimal, formatDecimal } from '../money/index.ts';
import { fractionValue, nextBillingDate, type BillingCycle, type BillingPeriodUnit, type Period } from '../period/index.ts';
import { readPrice } from '../pricing/index.ts';
import type { BilledCharge } from './already-billed.ts';
import type { WindowBillingReason } from './billing-reason.ts';
import { fixedChargeAmount } from './fixed-charge.ts';
import { planInvoiceLines, type InvoicePlan, type PlannedLine } from './invoice-composition.ts';
import type { InvoicingSubscription, ProrationBehavior } from './invoicing-subscription.ts';
import type { InvoiceCadence, PriceBillingPeriod, PriceType, SubscriptionLineItem } from './line-item.ts';

const t = (iso: string) => new Date(iso);
const p = (start: string, end: string): Period => ({ start: t(start), end: t(end) });

type LineSpec = {
  id: string;
  type?: PriceType;
  cadence?: InvoiceCadence;
  period?: PriceBillingPeriod;
  count?: number;
  amount?: string;
  quantity?: string;
  start?: string;
  end?: string;
};

function lineItem(spec: LineSpec): SubscriptionLineItem {
  const type = spec.type ?? 'FIXED';
  return {
    id: spec.id,
    price: {
      id: `price_${spec.id}`,
      type,
      invoiceCadence: spec.cadence ?? (type === 'USAGE' ? 'ARREAR' : 'ADVANCE'),
      billingPeriod: spec.period ?? 'MONTHLY',
      billingPeriodCount: spec.count ?? 1,
      rated: readPrice({ currency: 'usd', billingModel: 'FLAT_FEE', billingPeriodCount: spec.count ?? 1, amount: spec.amount ?? '20' }),
    },
    quantity: spec.quantity ?? (type === 'USAGE' ? '0' : '1'),
    startDate: t(spec.start ?? '2026-01-01T00:00:00Z'),
    endDate: spec.end ? t(spec.end) : null,
  };
}

type SubSpec = {
  lines: LineSpec[];
  start?: string;
  anchor?: string;
  cycle?: BillingCycle;
  unit?: BillingPeriodUnit;
  end?: string;
  cancelAt?: string;
  proration?: ProrationBehavior;
  timezone?: string;
};

function subscription(spec: SubSpec): InvoicingSubscription {
  const start = spec.start ?? '2026-01-01T00:00:00Z';
  return {
    billingPeriod: spec.unit ?? 'MONTHLY',
    billingPeriodCount: 1,
    billingAnchor: t(spec.anchor ?? start),
    billingCycle: spec.cycle ?? 'anniversary',
    timezone: spec.timezone ?? 'UTC',
    startDate: t(start),
    endDate: spec.end ? t(spec.end) : null,
    cancelAt: spec.cancelAt ? t(spec.cancelAt) : null,
    prorationBehavior: spec.proration ?? 'none',
    lineItems: spec.lines.map(lineItem),
  };
}

/** A readable line: `kind id [period) amount` (usage lines show their usage window). */
function show(plan: InvoicePlan, sub: InvoicingSubscription): string[] {
  const iso = (d: Date) => d.toISOString().replace(':00.000Z', 'Z').replace('T00:00Z', '');
  return plan.lines.map((line: PlannedLine) => {
    const span = `${iso(line.period.start)}→${iso(line.period.end)}`;
    if (line.kind === 'usage') return `usage ${line.subscriptionLineItemId} ${span}`;
    const item = sub.lineItems.find((i) => i.id === line.subscriptionLineItemId) as SubscriptionLineItem;
    return `${line.kind} ${line.subscriptionLineItemId} ${span} ${fixedChargeAmount(line, item.price.rated).amount}`;
  });
}

const plan = (reason: WindowBillingReason, window: Period, sub: InvoicingSubscription, alreadyBilled?: BilledCharge[]) =>
  planInvoiceLines({ billingReason: reason, period: window, subscription: sub, alreadyBilled });

const january = p('2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z');
const march = p('2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z');

describe('planInvoiceLines: which charges an invoice holds, for which period', () => {
  const catalogue: LineSpec[] = [
    { id: 'platform', amount: '20' }, // $20/month ADVANCE
    { id: 'calls', type: 'USAGE', amount: '0.01' }, // $0.01/call ARREAR
    { id: 'setup', period: 'ONETIME', amount: '100' }, // one-time setup fee
    { id: 'support', cadence: 'ARREAR', amount: '10', quantity: '2' }, // $10 × 2 seats in arrear
    { id: 'audit', period: 'QUARTERLY', amount: '90' }, // quarterly, in advance, on a monthly subscription
    { id: 'review', period: 'QUARTERLY', cadence: 'ARREAR', amount: '30' }, // quarterly, in arrear
  ];
  const sub = subscription({ lines: catalogue });

  it.each<[string, WindowBillingReason, Period, string[]]>([
    [
      'opening invoice: only ADVANCE charges of the first period, the one-time fee, the quarter starting now',
      'SUBSCRIPTION_CREATE',
      january,
      ['fixed_advance platform 2026-01-01→2026-02-01 20', 'one_time setup 2026-01-01→2026-01-01 100', 'fixed_advance audit 2026-01-01→2026-04-01 90'],
    ],
    [
      'January’s period-end invoice: ARREAR and usage for January, ADVANCE for February',
      'SUBSCRIPTION_CYCLE',
      january,
      ['usage calls 2026-01-01→2026-02-01', 'fixed_arrear support 2026-01-01→2026-02-01 20', 'fixed_advance platform 2026-02-01→2026-03-01 20'],
    ],
    [
      'March’s period-end invoice: the quarter in arrear ends Apr 1, the next quarter in advance starts Apr 1',
      'SUBSCRIPTION_CYCLE',
      march,
      [
        'usage calls 2026-03-01→2026-04-01',
        'fixed_arrear support 2026-03-01→2026-04-01 20',
        'fixed_arrear review 2026-01-01→2026-04-01 30',
        'fixed_advance platform 2026-04-01→2026-05-01 20',
        'fixed_advance audit 2026-04-01→2026-07-01 90',
      ],
    ],
    [
      'trial start: the opening structure, every amount 0',
      'SUBSCRIPTION_TRIAL_START',
      january,
      ['fixed_advance platform 2026-01-01→2026-02-01 0', 'one_time setup 2026-01-01→2026-01-01 0', 'fixed_advance audit 2026-01-01→2026-04-01 0'],
    ],
  ])('%s', (_case, reason, window, lines) => {
    expect(show(plan(reason, window, sub), sub)).toEqual(lines);
  });

  it('FlexPrice’s example: $20 ADVANCE platform fee + $0.01/call; the Feb 1 invoice is January’s usage plus February’s fee', () => {
    const s = subscription({ lines: [{ id: 'platform', amount: '20' }, { id: 'calls', type: 'USAGE', amount: '0.01' }] });
    expect(show(plan('SUBSCRIPTION_CREATE', january, s), s)).toEqual(['fixed_advance platform 2026-01-01→2026-02-01 20']);
    const cycle = plan('SUBSCRIPTION_CYCLE', january, s);
    expect(cycle.advancePeriod).toEqual(p('2026-02-01T00:00:00Z', '2026-03-01T00:00:00Z'));
    expect(show(cycle, s)).toEqual(['usage calls 2026-01-01→2026-02-01', 'fixed_advance platform 2026-02-01→2026-03-01 20']);
  });

  it('trial end: the first period after the trial, in advance (usage of the trial is never billed)', () => {
    const s = subscription({ start: '2026-01-01T00:00:00Z', anchor: '2026-01-15T00:00:00Z', lines: [{ id: 'platform', amount: '20', start: '2026-01-01T00:00:00Z' }, { id: 'calls', type: 'USAGE' }] });
    const firstPeriod = p('2026-01-15T00:00:00Z', '2026-02-15T00:00:00Z');
    expect(show(plan('SUBSCRIPTION_TRIAL_END', firstPeriod, s), s)).toEqual(['fixed_advance platform 2026-01-15→2026-02-15 20']);
  });
});

describe('the final invoice of an immediate cancellation (PRORATION)', () => {
  const lines: LineSpec[] = [
    { id: 'platform', amount: '31' }, // $31/month ADVANCE: paid already, never on the cancel invoice
    { id: 'seat', cadence: 'ARREAR', amount: '31' }, // $31/month ARREAR
    { id: 'calls', type: 'USAGE', amount: '0.01' },
    { id: 'review', period: 'QUARTERLY', cadence: 'ARREAR', amount: '90' }, // the quarter ends after the cancellation
  ];

  it('cancelled Jan 11: the ARREAR $31 whole for the shortened window (as FlexPrice), usage Jan 1 → Jan 11, the quarter in arrear whole, nothing in advance', () => {
    const s = subscription({ lines, end: '2026-01-11T00:00:00Z', cancelAt: '2026-01-11T00:00:00Z' });
    const cancel = plan('PRORATION', p('2026-01-01T00:00:00Z', '2026-01-11T00:00:00Z'), s);
    expect(cancel.advancePeriod).toBeNull();
    expect(show(cancel, s)).toEqual(['fixed_arrear seat 2026-01-01→2026-01-11 31', 'usage calls 2026-01-01→2026-01-11', 'fixed_arrear review 2026-01-01→2026-01-11 90']);
    expect(cancel.lines.find((l) => l.subscriptionLineItemId === 'seat')).toMatchObject({ proration: 'none' });
  });

  it('refuses a window that does not end where the subscription ends', () => {
    const s = subscription({ lines, cancelAt: '2026-01-11T00:00:00Z', end: '2026-01-11T00:00:00Z' });
    expect(() => plan('PRORATION', p('2026-01-01T00:00:00Z', '2026-01-12T00:00:00Z'), s)).toThrow(RangeError);
    expect(() => plan('PRORATION', p('2026-01-01T00:00:00Z', '2026-01-11T00:00:00Z'), subscription({ lines }))).toThrow(RangeError);
  });
});

describe('the time-ratio rule: a fixed line active for part of its window pays amount × quantity × active ÷ window', () => {
  it.each<[string, SubSpec, WindowBillingReason, Period, string[]]>([
    [
      '$31 in arrear, started Jan 10: 22 of 31 days → $22, line period Jan 10 → Feb 1',
      { lines: [{ id: 'seat', cadence: 'ARREAR', amount: '31', start: '2026-01-10T00:00:00Z' }] },
      'SUBSCRIPTION_CYCLE',
      january,
      ['fixed_arrear seat 2026-01-10→2026-02-01 22'],
    ],
    [
      '$31 × 3 in arrear, ended Jan 11: 10 of 31 days → $30',
      { lines: [{ id: 'seat', cadence: 'ARREAR', amount: '31', quantity: '3', end: '2026-01-11T00:00:00Z' }] },
      'SUBSCRIPTION_CYCLE',
      january,
      ['fixed_arrear seat 2026-01-01→2026-01-11 30'],
    ],
    [
      '$30 in advance ending Feb 15: 14 of February’s 28 days → $15',
      { lines: [{ id: 'addon', amount: '30', end: '2026-02-15T00:00:00Z' }] },
      'SUBSCRIPTION_CYCLE',
      january,
      ['fixed_advance addon 2026-02-01→2026-02-15 15'],
    ],
    [
      'a line ending exactly at the boundary gets no ADVANCE charge for the next period',
      { lines: [{ id: 'addon', amount: '30', end: '2026-02-01T00:00:00Z' }] },
      'SUBSCRIPTION_CYCLE',
      january,
      [],
    ],
    [
      'an ADVANCE line added mid-period (Jan 20) is first billed for the next period: the partial period is free',
      { lines: [{ id: 'addon', amount: '30', start: '2026-01-20T00:00:00Z' }] },
      'SUBSCRIPTION_CYCLE',
      january,
      ['fixed_advance addon 2026-02-01→2026-03-01 30'],
    ],
    [
      'a usage line started Jan 10 reads usage from Jan 10',
      { lines: [{ id: 'calls', type: 'USAGE', start: '2026-01-10T00:00:00Z' }] },
      'SUBSCRIPTION_CYCLE',
      january,
      ['usage calls 2026-01-10→2026-02-01'],
    ],
    [
      '$100 for 10 of 31 days keeps the share exact until the one rounding: $32.26',
      { lines: [{ id: 'seat', cadence: 'ARREAR', amount: '100', end: '2026-01-11T00:00:00Z' }] },
      'SUBSCRIPTION_CYCLE',
      january,
      ['fixed_arrear seat 2026-01-01→2026-01-11 32.26'],
    ],
  ])('%s', (_case, spec, reason, window, lines) => {
    const s = subscription(spec);
    expect(show(plan(reason, window, s), s)).toEqual(lines);
  });

  it('the share is active time ÷ window time, exactly', () => {
    const s = subscription({ lines: [{ id: 'seat', cadence: 'ARREAR', start: '2026-01-16T12:00:00Z' }] });
    const [line] = plan('SUBSCRIPTION_CYCLE', january, s).lines;
    expect(line.kind === 'fixed_arrear' && formatDecimal(fractionValue(line.share, 4))).toBe('0.5'); // 15.5 of 31 days
  });
});

describe('the end of billing: end date or scheduled cancellation', () => {
  it.each<[string, SubSpec, string[], string | null]>([
    ['end date at the boundary: January’s arrear and usage, no ADVANCE for February', { end: '2026-02-01T00:00:00Z', lines: [{ id: 'platform' }, { id: 'calls', type: 'USAGE' }] }, ['usage calls 2026-01-01→2026-02-01'], null],
    ['cancellation at period end: treated as the end, no ADVANCE for a period that will not run', { cancelAt: '2026-02-01T00:00:00Z', lines: [{ id: 'platform' }] }, [], null],
    [
      'end date Feb 15: the clipped next period is billed whole (FlexPrice charges a short last period in full)',
      { end: '2026-02-15T00:00:00Z', lines: [{ id: 'platform' }] },
      ['fixed_advance platform 2026-02-01→2026-02-15 20'],
      '2026-02-15T00:00:00.000Z',
    ],
  ])('%s', (_case, spec, lines, advanceEnd) => {
    const s = subscription(spec);
    const result = plan('SUBSCRIPTION_CYCLE', january, s);
    expect(show(result, s)).toEqual(lines);
    expect(result.advancePeriod?.end.toISOString() ?? null).toBe(advanceEnd);
  });
});

describe('calendar billing: the partial first period', () => {
  // $30/month ADVANCE, calendar monthly, start Apr 16 → anchor May 1; the full period is Apr 1 → May 1 (30 days).
  const spec = (proration: ProrationBehavior, cycle: BillingCycle = 'calendar', extra: LineSpec[] = []): SubSpec => ({
    start: '2025-04-16T00:00:00Z',
    anchor: cycle === 'calendar' ? '2025-05-01T00:00:00Z' : '2025-04-16T00:00:00Z',
    cycle,
    proration,
    lines: [{ id: 'plan', amount: '30', start: '2025-04-16T00:00:00Z' }, { id: 'seat', cadence: 'ARREAR', amount: '30', start: '2025-04-16T00:00:00Z' }, ...extra],
  });
  const first = p('2025-04-16T00:00:00Z', '2025-05-01T00:00:00Z');

  it.each<[string, SubSpec, WindowBillingReason, Period, string[]]>([
    ['create_prorations: the opening invoice charges 15 of 30 days → $15.00', spec('create_prorations'), 'SUBSCRIPTION_CREATE', first, ['fixed_advance plan 2025-04-16→2025-05-01 15']],
    ['none: the full $30 for Apr 16 → May 1', spec('none'), 'SUBSCRIPTION_CREATE', first, ['fixed_advance plan 2025-04-16→2025-05-01 30']],
    [
      'create_prorations: the first period-end invoice prorates ARREAR too, and bills May in full',
      spec('create_prorations'),
      'SUBSCRIPTION_CYCLE',
      first,
      ['fixed_arrear seat 2025-04-16→2025-05-01 15', 'fixed_advance plan 2025-05-01→2025-06-01 30'],
    ],
    [
      'anniversary billing ignores create_prorations',
      spec('create_prorations', 'anniversary'),
      'SUBSCRIPTION_CREATE',
      p('2025-04-16T00:00:00Z', '2025-05-16T00:00:00Z'),
      ['fixed_advance plan 2025-04-16→2025-05-16 30'],
    ],
    [
      'mixed billing periods disable proration',
      spec('create_prorations', 'calendar', [{ id: 'yearly', period: 'ANNUAL', amount: '120', start: '2025-04-16T00:00:00Z' }]),
      'SUBSCRIPTION_CREATE',
      first,
      ['fixed_advance plan 2025-04-16→2025-05-01 30', 'fixed_advance yearly 2025-04-16→2026-04-16 120'],
    ],
  ])('%s', (_case, s, reason, window, lines) => {
    const sub = subscription(s);
    expect(show(plan(reason, window, sub), sub)).toEqual(lines);
  });
});

describe('longer-period lines on a shorter subscription', () => {
  // Monthly subscription from Jan 1; a quarterly line from Jan 15 has periods Jan 15 → Apr 15 → Jul 15.
  const s = subscription({ lines: [{ id: 'q', period: 'QUARTERLY', amount: '90', start: '2026-01-15T00:00:00Z' }, { id: 'qa', period: 'QUARTERLY', cadence: 'ARREAR', amount: '60', start: '2026-01-15T00:00:00Z' }] });
  it.each<[string, WindowBillingReason, Period, string[]]>([
    ['the opening invoice’s window holds the first quarter’s start', 'SUBSCRIPTION_CREATE', january, ['fixed_advance q 2026-01-15→2026-04-15 90']],
    ['February’s invoice: no quarter starts in March, none ends in February', 'SUBSCRIPTION_CYCLE', p('2026-02-01T00:00:00Z', '2026-03-01T00:00:00Z'), []],
    ['March’s invoice: the next quarter starts Apr 15, in April’s window', 'SUBSCRIPTION_CYCLE', march, ['fixed_advance q 2026-04-15→2026-07-15 90']],
    ['April’s invoice: the quarter in arrear ended Apr 15', 'SUBSCRIPTION_CYCLE', p('2026-04-01T00:00:00Z', '2026-05-01T00:00:00Z'), ['fixed_arrear qa 2026-01-15→2026-04-15 60']],
  ])('%s', (_case, reason, window, lines) => {
    expect(show(plan(reason, window, s), s)).toEqual(lines);
  });

  it('MONTHLY × 3 counts as longer than MONTHLY', () => {
    const sub = subscription({ lines: [{ id: 'm3', count: 3, amount: '75' }] });
    expect(show(plan('SUBSCRIPTION_CYCLE', january, sub), sub)).toEqual([]);
    expect(show(plan('SUBSCRIPTION_CYCLE', march, sub), sub)).toEqual(['fixed_advance m3 2026-04-01→2026-07-01 75']);
  });
});

describe('already-billed charges are left off', () => {
  const s = subscription({ lines: [{ id: 'platform' }, { id: 'setup', period: 'ONETIME', amount: '100' }, { id: 'calls', type: 'USAGE' }] });
  it.each<[string, WindowBillingReason, BilledCharge[], string[], string[]]>([
    [
      'a recomputed opening invoice skips what a draft already billed, the one-time fee by its instant',
      'SUBSCRIPTION_CREATE',
      [
        { priceId: 'price_platform', period: january },
        { priceId: 'price_setup', period: p('2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z') },
      ],
      [],
      ['fixed_advance platform', 'one_time setup'],
    ],
    [
      'a manual invoice for Feb 10 → Feb 20 overlaps February’s fee; usage of January still bills',
      'SUBSCRIPTION_CYCLE',
      [{ priceId: 'price_platform', period: p('2026-02-10T00:00:00Z', '2026-02-20T00:00:00Z') }],
      ['usage calls 2026-01-01→2026-02-01'],
      ['fixed_advance platform'],
    ],
    [
      'a charge for the period before only touches the boundary: not billed',
      'SUBSCRIPTION_CYCLE',
      [{ priceId: 'price_platform', period: january }],
      ['usage calls 2026-01-01→2026-02-01', 'fixed_advance platform 2026-02-01→2026-03-01 20'],
      [],
    ],
    [
      'another price for the same period does not count',
      'SUBSCRIPTION_CREATE',
      [{ priceId: 'price_other', period: january }],
      ['fixed_advance platform 2026-01-01→2026-02-01 20', 'one_time setup 2026-01-01→2026-01-01 100'],
      [],
    ],
  ])('%s', (_case, reason, billed, lines, skipped) => {
    const result = plan(reason, january, s, billed);
    expect(show(result, s)).toEqual(lines);
    expect(result.skipped.map((k) => `${k.kind} ${k.subscriptionLineItemId}`)).toEqual(skipped);
    expect(result.skipped.every((k) => k.reason === 'already_billed')).toBe(true);
  });
});

describe('refusals', () => {
  it.each<[string, LineSpec]>([
    ['a USAGE price billed in advance', { id: 'x', type: 'USAGE', cadence: 'ADVANCE' }],
    ['a ONETIME price billed in arrear', { id: 'x', period: 'ONETIME', cadence: 'ARREAR' }],
    ['a billing period count of 0', { id: 'x', count: 0 }],
  ])('%s', (_case, spec) => {
    const s = subscription({ lines: [] });
    const item = lineItem({ ...spec, count: 1 });
    const bad: SubscriptionLineItem = { ...item, price: { ...item.price, billingPeriodCount: spec.count ?? 1 } };
    expect(() => plan('SUBSCRIPTION_CREATE', january, { ...s, lineItems: [bad] })).toThrow(RangeError);
  });

  it('an empty invoice period', () => {
    expect(() => plan('SUBSCRIPTION_CYCLE', p('2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'), subscription({ lines: [] }))).toThrow(RangeError);
  });
});

describe('planInvoiceLines (fast-check): ADVANCE time is billed exactly once over consecutive invoices', () => {
  const day = 86_400_000;
  const base = t('2026-01-01T00:00:00Z').getTime();
  it('the opening invoice and the period-end invoices after it bill every active instant of an ADVANCE line once', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 450 }), fc.option(fc.integer({ min: 1, max: 250 }), { nil: undefined }), (startDay, lengthDays) => {
        const start = new Date(base + startDay * day);
        const end = lengthDays === undefined ? undefined : new Date(start.getTime() + lengthDays * day);
        const s = subscription({ lines: [{ id: 'l', amount: '30', start: start.toISOString(), end: end?.toISOString() }] });
        const periods: Period[] = [];
        let window: Period = { start: s.startDate, end: nextBillingDate(s.startDate, s.billingAnchor, 'MONTHLY', 1, 'UTC') };
        periods.push(...plan('SUBSCRIPTION_CREATE', window, s).lines.map((l) => l.period));
        for (let i = 0; i < 12; i++) {
          periods.push(...plan('SUBSCRIPTION_CYCLE', window, s).lines.map((l) => l.period));
          window = { start: window.end, end: nextBillingDate(window.end, s.billingAnchor, 'MONTHLY', 1, 'UTC') };
        }
        // Billed periods never overlap and, for a line known before the invoices are cut, cover its
        // active time up to the end of the last period billed in advance.
        const sorted = [...periods].sort((a, b) => a.start.getTime() - b.start.getTime());
        sorted.forEach((q, i) => i > 0 && expect(q.start >= sorted[i - 1].end).toBe(true));
        const horizon = window.end;
        const coveredFrom = start < horizon ? start : horizon;
        const coveredTo = end && end < horizon ? end : horizon;
        const covered = sorted.reduce((sum, q) => sum + (q.end.getTime() - q.start.getTime()), 0);
        expect(covered).toBe(Math.max(0, coveredTo.getTime() - coveredFrom.getTime()));
      }),
      { seed: 20260101, numRuns: 200 },
    );
  });

  it('every share lies in [0, 1] and every amount between 0 and the full period amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 60 }), fc.constantFrom<InvoiceCadence>('ADVANCE', 'ARREAR'), (startDay, lengthDays, cadence) => {
        const start = new Date(base + startDay * day);
        const s = subscription({ lines: [{ id: 'l', cadence, amount: '99.99', start: start.toISOString(), end: new Date(start.getTime() + lengthDays * day).toISOString() }] });
        for (const line of plan('SUBSCRIPTION_CYCLE', january, s).lines) {
          if (line.kind === 'usage') continue;
          const share = fractionValue(line.share);
          expect(share.gte(0) && share.lte(1)).toBe(true);
          const amount = new ExactDecimal(fixedChargeAmount(line, s.lineItems[0].price.rated).amount);
          expect(amount.gte(0) && amount.lte('99.99')).toBe(true);
        }
      }),
      { seed: 20260102, numRuns: 200 },
    );
  });
});
