import { windowStart, windowStarts, type Calendar, type WindowSize } from '../period/index.ts';
import type { GroupKey } from './property-value.ts';
import type { Quantity } from './quantity.ts';

export const aggregationTypes = ['COUNT', 'SUM', 'AVG', 'COUNT_UNIQUE', 'LATEST', 'SUM_WITH_MULTIPLIER', 'MAX', 'WEIGHTED_SUM'] as const;
export type AggregationType = (typeof aggregationTypes)[number];
export type ResetUsage = 'BILLING_PERIOD' | 'NEVER';

/** Only events whose `properties[key]`, read as a string, is one of `values` count; keys are ANDed. */
export type PropertyFilter = { key: string; values: string[] };

/** How matching events become one number. */
export type UsageAggregation = {
  type: AggregationType;
  /** The property aggregated; every type but COUNT has one. */
  field?: string;
  /** SUM_WITH_MULTIPLIER only: the sum is multiplied by it. */
  multiplier?: Quantity;
  /** MAX and SUM: cut the range into buckets of this size (MAX sums the per-bucket maxima). */
  bucketSize?: WindowSize;
  /** MAX with bucketSize: maxima are taken per bucket and group, then summed. */
  groupBy?: GroupKey[];
};

/** One usage question, already validated: which events, over which half-open range, aggregated how. */
export type UsageQuery = {
  eventName: string;
  externalCustomerId?: string;
  aggregation: UsageAggregation;
  filters: PropertyFilter[];
  /** Inclusive. */
  start: Date;
  /** Exclusive. */
  end: Date;
  windowSize?: WindowSize;
  calendar: Calendar;
  /** NEVER: the value (and every window's value) is lifetime usage up to its end. */
  resetUsage: ResetUsage;
  /**
   * The meter asked about, when `filters` are exactly its own: its hourly usage, kept by the database,
   * may then answer the whole hours of the range (modules/usage/usage-sql.ts). Never changes the value.
   */
  meterId?: string;
};

/** What a query asks of the events, once its windows are known. */
export type UsagePlan = {
  query: UsageQuery;
  /** reset_usage NEVER: events before `start` count too, as the level every window starts from. */
  cumulative: boolean;
  /** Lower time bound of the events read; undefined means all history. */
  from?: Date;
  /** Starts (epoch ms) of the windows results are reported for (`window_size`). */
  windows?: number[];
  /** Results per non-empty bucket (a bucketed MAX or SUM without `window_size`, as FlexPrice does). */
  bucketResults: boolean;
  /** With bucketResults: the start of the bucket holding `start`; earlier buckets are history. */
  firstBucket?: number;
  /** MAX with bucket_size: per-bucket (and group) maxima are summed. */
  bucketedMax: boolean;
};

/** Works out windows and bounds; throws TooManyWindowsError when `window_size` is too fine for the range. */
export function planUsage(query: UsageQuery): UsagePlan {
  const { aggregation, windowSize, calendar } = query;
  const start = query.start.getTime();
  const end = query.end.getTime();
  const cumulative = query.resetUsage === 'NEVER';
  const bucketed = aggregation.bucketSize !== undefined && (aggregation.type === 'MAX' || aggregation.type === 'SUM');
  const bucketResults = bucketed && windowSize === undefined;
  return {
    query,
    cumulative,
    from: cumulative ? undefined : query.start,
    windows: windowSize ? windowStarts(start, end, windowSize, calendar) : undefined,
    bucketResults,
    firstBucket: bucketResults ? windowStart(start, aggregation.bucketSize!, calendar) : undefined,
    bucketedMax: bucketed && aggregation.type === 'MAX',
  };
}
