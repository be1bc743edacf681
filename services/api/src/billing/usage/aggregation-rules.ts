import { windowRank, type WindowSize } from '../period/index.ts';
import { Quantity } from './quantity.ts';
import type { AggregationType, UsageAggregation } from './usage-query.ts';

/** The part of a usage question a rule refuses: a member of the aggregation, or the window size. */
export type AggregationMember = 'field' | 'multiplier' | 'bucket_size' | 'group_by' | 'window_size';
export type AggregationProblem = { member: AggregationMember; message: string };

/**
 * The rules an aggregation obeys wherever it comes from (a usage request, or a meter): every type
 * but COUNT names a property; a multiplier, only and always for SUM_WITH_MULTIPLIER; buckets only
 * for MAX and SUM, groups only for a bucketed MAX; windows no shorter than buckets. Where FlexPrice
 * silently changes such a question (an empty property becoming COUNT), Tally refuses it. Problems
 * come in the order of the members; each caller names them after its own fields.
 */
export function aggregationProblems(aggregation: UsageAggregation, windowSize: WindowSize | undefined): AggregationProblem[] {
  const problems: AggregationProblem[] = [];
  const { type, field, multiplier, bucketSize, groupBy } = aggregation;
  if (type !== 'COUNT' && !field) problems.push({ member: 'field', message: `is required for ${type} (FlexPrice would count events instead; ask for COUNT to do that)` });
  if (type === 'SUM_WITH_MULTIPLIER' && multiplier === undefined) problems.push({ member: 'multiplier', message: 'is required for SUM_WITH_MULTIPLIER' });
  if (type !== 'SUM_WITH_MULTIPLIER' && multiplier !== undefined) problems.push({ member: 'multiplier', message: 'is only allowed with SUM_WITH_MULTIPLIER' });
  if (bucketSize !== undefined && type !== 'MAX' && type !== 'SUM') problems.push({ member: 'bucket_size', message: 'is only allowed with MAX and SUM' });
  if (groupBy?.length && (type !== 'MAX' || bucketSize === undefined)) problems.push({ member: 'group_by', message: 'is only allowed with MAX and a bucket_size' });
  if (bucketSize !== undefined && windowSize !== undefined && windowRank(windowSize) < windowRank(bucketSize)) {
    problems.push({ member: 'window_size', message: `must not be shorter than bucket_size (${bucketSize})` });
  }
  return problems;
}

/** A meter's aggregation as stored, in FlexPrice's shape. */
export type StoredAggregation = {
  type: AggregationType;
  field?: string | null;
  multiplier?: string | number | null;
  bucket_size?: WindowSize | '' | null;
  group_by?: string | null;
  expression?: string | null;
};

/** Why a meter's usage cannot be read as asked; the first that applies, most fundamental first. */
export type MeterUsageProblem =
  /** The meter aggregates a CEL expression, which Tally does not evaluate. */
  | { kind: 'expression' }
  /** The request's bucket_size is not the meter's own. */
  | { kind: 'bucket_size'; message: string }
  /** The stored aggregation breaks a rule of `aggregationProblems`. */
  | { kind: 'aggregation'; problems: AggregationProblem[] }
  /** The request's window_size is shorter than the meter's buckets. */
  | { kind: 'window_size'; message: string };

/**
 * A meter's aggregation as FlexPrice applies it — `bucket_size` only for MAX and SUM, `group_by`
 * only for a bucketed MAX, a SUM_WITH_MULTIPLIER without multiplier multiplies by 1, COUNT reads
 * no property — and what stops it being read with the request's `bucket_size` (which may only
 * repeat the meter's) and `window_size`.
 */
export function meterUsageAggregation(
  stored: StoredAggregation,
  request: { bucketSize?: WindowSize; windowSize?: WindowSize },
): { aggregation: UsageAggregation; problem?: MeterUsageProblem } {
  const bucketed = stored.type === 'MAX' || stored.type === 'SUM';
  const bucketSize = bucketed ? stored.bucket_size || undefined : undefined;
  const aggregation: UsageAggregation = {
    type: stored.type,
    field: stored.type === 'COUNT' ? undefined : stored.field || undefined,
    multiplier: stored.type === 'SUM_WITH_MULTIPLIER' ? new Quantity(stored.multiplier ?? 1) : undefined,
    bucketSize,
    groupBy: stored.type === 'MAX' && bucketSize && stored.group_by ? [{ kind: 'property', name: stored.group_by }] : undefined,
  };
  if (stored.expression) return { aggregation, problem: { kind: 'expression' } };
  if (request.bucketSize !== undefined && request.bucketSize !== bucketSize) {
    const message = bucketSize ? `is the meter's (${bucketSize}) and cannot be changed per request` : 'cannot be set: the meter has no bucket_size';
    return { aggregation, problem: { kind: 'bucket_size', message } };
  }
  const problems = aggregationProblems(aggregation, request.windowSize);
  const meterProblems = problems.filter((p) => p.member !== 'window_size');
  if (meterProblems.length) return { aggregation, problem: { kind: 'aggregation', problems: meterProblems } };
  const window = problems.find((p) => p.member === 'window_size');
  return window ? { aggregation, problem: { kind: 'window_size', message: window.message } } : { aggregation };
}
