import { divide, Quantity, zero } from './quantity.ts';
import type { UsagePlan } from './usage-query.ts';
import { periodSeconds, weightedValue } from './weighted-sum.ts';

/**
 * What the database (or the reference aggregator) reports for one slice of the matching events:
 * a window (`key` = its 1-based index; 0 = before the first window), a bucket (`key` = its start,
 * epoch ms) or the whole range (`key` = 1). Only the members the aggregation needs are set; all
 * are exact decimals.
 */
export type UsagePartial = {
  key: number;
  /** Events (COUNT, AVG). */
  count?: Quantity;
  /** Σ value (SUM, SUM_WITH_MULTIPLIER, AVG), or Σ of bucket maxima (bucketed MAX). */
  sum?: Quantity;
  /** Largest value (MAX). */
  max?: Quantity;
  /** Value of the newest event (LATEST). */
  latest?: Quantity;
  /** Distinct values in the slice (COUNT_UNIQUE). */
  distinct?: Quantity;
  /** Distinct values first seen in this slice, none of them in an earlier one (COUNT_UNIQUE). */
  firstSeen?: Quantity;
  /** Σ value of events before the period, weight 1 (WEIGHTED_SUM under NEVER). */
  history?: Quantity;
  /** Σ value × seconds remaining to the end of the period (WEIGHTED_SUM). */
  weighted?: Quantity;
};

export type UsageWindowValue = { start: Date; value: Quantity };
export type UsageOutcome = { value: Quantity; results?: UsageWindowValue[] };

const add = (a?: Quantity, b?: Quantity): Quantity | undefined => (a === undefined ? b : b === undefined ? a : a.plus(b));

/** Slices in time order folded into one: what every aggregation needs to know about their union. */
function merge(earlier: UsagePartial, later: UsagePartial): UsagePartial {
  const firstSeen = add(earlier.firstSeen, later.firstSeen);
  return {
    key: later.key,
    count: add(earlier.count, later.count),
    sum: add(earlier.sum, later.sum),
    max: earlier.max === undefined ? later.max : later.max === undefined ? earlier.max : Quantity.max(earlier.max, later.max),
    latest: later.latest ?? earlier.latest,
    // A value is first seen in exactly one slice, so the union's distinct count is the sum.
    distinct: firstSeen,
    firstSeen,
    history: add(earlier.history, later.history),
    weighted: add(earlier.weighted, later.weighted),
  };
}

/** The value of a slice (or of a union of slices) under the query's aggregation. */
function valueOf(plan: UsagePlan, p: UsagePartial): Quantity {
  const { aggregation } = plan.query;
  switch (aggregation.type) {
    case 'COUNT':
      return p.count ?? zero;
    case 'SUM':
      return p.sum ?? zero;
    case 'SUM_WITH_MULTIPLIER':
      return (p.sum ?? zero).times(aggregation.multiplier ?? 1);
    case 'AVG':
      return p.count && !p.count.isZero() ? divide(p.sum ?? zero, p.count) : zero;
    case 'MAX':
      return plan.bucketedMax ? (p.sum ?? zero) : (p.max ?? zero);
    case 'LATEST':
      return p.latest ?? zero;
    case 'COUNT_UNIQUE':
      return p.distinct ?? zero;
    case 'WEIGHTED_SUM':
      return weightedValue(p.history ?? zero, p.weighted ?? zero, periodSeconds(plan.query.start.getTime(), plan.query.end.getTime()));
  }
}

const empty = (key: number): UsagePartial => ({ key });

function mergeAll(parts: UsagePartial[]): UsagePartial {
  return parts.reduce(merge, empty(0));
}

/**
 * Turns the slices into the answer: the value over the whole range, and per window (or bucket)
 * results. Empty windows are 0. Under reset_usage NEVER every value is cumulative — lifetime usage
 * up to the end of its window, including everything before `start` — so the last window's value
 * equals the total.
 */
export function combineUsage(plan: UsagePlan, partials: UsagePartial[]): UsageOutcome {
  const sorted = [...partials].sort((a, b) => a.key - b.key);
  const value = valueOf(plan, mergeAll(sorted));
  if (plan.windows) {
    const byIndex = new Map(sorted.map((p) => [p.key, p]));
    let running = mergeAll(sorted.filter((p) => p.key < 1));
    const results = plan.windows.map((start, i) => {
      const slice = byIndex.get(i + 1) ?? empty(i + 1);
      running = merge(running, slice);
      return { start: new Date(start), value: valueOf(plan, plan.cumulative ? running : slice) };
    });
    return { value, results };
  }
  if (plan.bucketResults) {
    const first = plan.firstBucket ?? Number.NEGATIVE_INFINITY;
    let running = mergeAll(sorted.filter((p) => p.key < first));
    const results = sorted
      .filter((p) => p.key >= first)
      .map((slice) => {
        running = merge(running, slice);
        return { start: new Date(slice.key), value: valueOf(plan, plan.cumulative ? running : slice) };
      });
    return { value, results };
  }
  return { value };
}
