import { windowStart } from '../period/index.ts';
import { distinctKey, filterText, groupText, numericValue, type EventProperties } from './property-value.ts';
import { Quantity, zero } from './quantity.ts';
import { combineUsage, type UsageOutcome, type UsagePartial } from './usage-combine.ts';
import type { UsagePlan, UsageQuery } from './usage-query.ts';
import { secondsRemaining } from './weighted-sum.ts';

/** An event as the usage rules see it. */
export type UsageEvent = {
  id: string;
  eventName: string;
  externalCustomerId: string;
  timestamp: Date;
  properties: EventProperties;
  source?: string | null;
  /** Breaks LATEST ties between events of the same timestamp (then the id does). */
  ingestedAt?: Date;
};

/**
 * The usage rules over events held in memory: the same selection, slicing and combination the
 * SQL query performs inside PostgreSQL (modules/usage/usage-sql.ts), written plainly. It states
 * the rules in one readable place, lets unit tests check every worked example without a
 * database, and is what test/integration/usage/usage.differential.test.ts holds the SQL to on random events; the
 * service never uses it.
 */
export function aggregateEvents(plan: UsagePlan, events: UsageEvent[]): UsageOutcome {
  const matching = dedupe(events).filter((e) => selects(plan, e));
  return combineUsage(plan, slices(plan, matching));
}

/** Events are counted once per id, as the events table's primary key guarantees. */
function dedupe(events: UsageEvent[]): UsageEvent[] {
  const seen = new Map<string, UsageEvent>();
  for (const e of events) if (!seen.has(e.id)) seen.set(e.id, e);
  return [...seen.values()];
}

function selects(plan: UsagePlan, e: UsageEvent): boolean {
  const { query } = plan;
  const t = e.timestamp.getTime();
  if (e.eventName !== query.eventName) return false;
  if (query.externalCustomerId !== undefined && e.externalCustomerId !== query.externalCustomerId) return false;
  if (plan.from && t < plan.from.getTime()) return false;
  if (t >= query.end.getTime()) return false;
  return query.filters.every((f) => f.values.includes(filterText(e.properties, f.key)));
}

/** 1-based index of the window holding `t` (0 before the first), like SQL's width_bucket. */
function windowIndex(windows: number[], t: number): number {
  let index = 0;
  while (index < windows.length && windows[index] <= t) index++;
  return index;
}

function keyOf(plan: UsagePlan, t: number): number {
  if (!plan.windows) return 1;
  const index = windowIndex(plan.windows, t);
  // Outside NEVER nothing is history: a window starting before `start` still holds its events.
  return plan.cumulative ? index : Math.max(1, index);
}

function slices(plan: UsagePlan, events: UsageEvent[]): UsagePartial[] {
  const { aggregation } = plan.query;
  if (plan.bucketedMax || plan.bucketResults) return bucketSlices(plan, events);
  const byKey = new Map<number, UsageEvent[]>();
  for (const e of events) {
    const key = keyOf(plan, e.timestamp.getTime());
    byKey.set(key, [...(byKey.get(key) ?? []), e]);
  }
  const field = aggregation.field ?? '';
  const partials = [...byKey].map(([key, group]): UsagePartial => {
    const values = group.map((e) => numericValue(e.properties, field));
    switch (aggregation.type) {
      case 'COUNT':
        return { key, count: new Quantity(group.length) };
      case 'SUM':
      case 'SUM_WITH_MULTIPLIER':
        return { key, sum: Quantity.sum(zero, ...values) };
      case 'AVG':
        return { key, sum: Quantity.sum(zero, ...values), count: new Quantity(group.length) };
      case 'MAX':
        return { key, max: Quantity.max(...values) };
      case 'LATEST': {
        const newest = group.reduce((a, b) => (newer(b, a) ? b : a));
        return { key, latest: numericValue(newest.properties, field) };
      }
      case 'COUNT_UNIQUE':
        return { key, distinct: new Quantity(new Set(group.map((e) => distinctKey(e.properties, field)).filter((v) => v !== undefined)).size) };
      case 'WEIGHTED_SUM': {
        const start = plan.query.start.getTime();
        const end = plan.query.end.getTime();
        let history = zero;
        let weighted = zero;
        for (const e of group) {
          const t = e.timestamp.getTime();
          const v = numericValue(e.properties, field);
          if (t < start) history = history.plus(v);
          else weighted = weighted.plus(v.times(secondsRemaining(t, end)));
        }
        return { key, history, weighted };
      }
    }
  });
  if (aggregation.type === 'COUNT_UNIQUE') addFirstSeen(partials, byKey, field);
  return partials;
}

/** COUNT_UNIQUE: how many values each slice is the first to hold. */
function addFirstSeen(partials: UsagePartial[], byKey: Map<number, UsageEvent[]>, field: string): void {
  const first = new Map<string, number>();
  for (const [key, group] of byKey) {
    for (const e of group) {
      const v = distinctKey(e.properties, field);
      if (v !== undefined && !(first.get(v)! <= key)) first.set(v, key);
    }
  }
  for (const p of partials) p.firstSeen = new Quantity([...first.values()].filter((k) => k === p.key).length);
}

function newer(a: UsageEvent, b: UsageEvent): boolean {
  const ta = a.timestamp.getTime();
  const tb = b.timestamp.getTime();
  if (ta !== tb) return ta > tb;
  const ia = a.ingestedAt?.getTime() ?? 0;
  const ib = b.ingestedAt?.getTime() ?? 0;
  if (ia !== ib) return ia > ib;
  return a.id > b.id;
}

/**
 * Bucketed MAX: the maximum per bucket (and group), summed per bucket; bucketed SUM without
 * windows: the sum per bucket. Each bucket then lands in the window holding its start (never before
 * `start` outside NEVER), or is its own result.
 */
function bucketSlices(plan: UsagePlan, events: UsageEvent[]): UsagePartial[] {
  const { aggregation, calendar, start } = plan.query;
  const field = aggregation.field ?? '';
  const cells = new Map<string, { bucket: number; value: Quantity }>();
  for (const e of events) {
    const bucket = windowStart(e.timestamp.getTime(), aggregation.bucketSize!, calendar);
    const group = plan.bucketedMax ? (aggregation.groupBy ?? []).map((g) => groupText(e.properties, e.source ?? null, g)) : [];
    const id = JSON.stringify([bucket, group]);
    const v = numericValue(e.properties, field);
    const cell = cells.get(id);
    if (!cell) cells.set(id, { bucket, value: v });
    else cell.value = plan.bucketedMax ? Quantity.max(cell.value, v) : cell.value.plus(v);
  }
  const byKey = new Map<number, Quantity>();
  for (const { bucket, value } of cells.values()) {
    const key = plan.windows ? keyOf(plan, plan.cumulative ? bucket : Math.max(bucket, start.getTime())) : bucket;
    byKey.set(key, (byKey.get(key) ?? zero).plus(value));
  }
  return [...byKey].map(([key, sum]) => ({ key, sum }));
}
