/**
 * Usage: which events count and how they aggregate, exactly. Pure: the SQL that runs the same
 * rules inside PostgreSQL lives in the usage module; `aggregateEvents` runs them over events in
 * memory (the reference the differential test holds the SQL to).
 */
export { aggregationTypes, planUsage } from './usage-query.ts';
export type { AggregationType, ResetUsage, PropertyFilter, UsageAggregation, UsageQuery, UsagePlan } from './usage-query.ts';
export { aggregationProblems, meterUsageAggregation } from './aggregation-rules.ts';
export type { AggregationMember, AggregationProblem, StoredAggregation, MeterUsageProblem } from './aggregation-rules.ts';
export { combineUsage } from './usage-combine.ts';
export type { UsagePartial, UsageOutcome, UsageWindowValue } from './usage-combine.ts';
export { Quantity, divide, toDecimalString, quotientScale } from './quantity.ts';
export { numericStringPattern, numericValue, filterText, distinctKey, groupText } from './property-value.ts';
export type { EventProperties, GroupKey } from './property-value.ts';
export { aggregateEvents } from './reference-aggregator.ts';
export type { UsageEvent } from './reference-aggregator.ts';
