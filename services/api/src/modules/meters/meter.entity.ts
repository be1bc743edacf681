import { defineEntity, p } from '@mikro-orm/core';
import { environmentRecord } from '../../db/base-properties.ts';

export const aggregationTypes = ['COUNT', 'SUM', 'AVG', 'COUNT_UNIQUE', 'LATEST', 'SUM_WITH_MULTIPLIER', 'MAX', 'WEIGHTED_SUM'] as const;
export type AggregationType = (typeof aggregationTypes)[number];
export const windowSizes = ['MINUTE', '15MIN', '30MIN', 'HOUR', '3HOUR', '6HOUR', '12HOUR', 'DAY', 'WEEK', 'MONTH'] as const;
export type WindowSize = (typeof windowSizes)[number];
export const resetUsages = ['BILLING_PERIOD', 'NEVER'] as const;
export type ResetUsage = (typeof resetUsages)[number];

/** How a meter turns matching events into one number; FlexPrice's `aggregation` object. */
export type MeterAggregation = {
  type: AggregationType;
  field?: string;
  /** Decimal string, > 0; SUM_WITH_MULTIPLIER only. */
  multiplier?: string;
  bucket_size?: WindowSize;
  group_by?: string;
};

/** Only events whose `properties[key]`, read as a string, is one of `values` count. */
export type MeterFilter = { key: string; values: string[] };

/** What to count: events named `eventName`, filtered, aggregated. Disabled by `status = 'archived'`. */
export const MeterSchema = defineEntity(environmentRecord('Meter', 'meters', {
  name: p.string().length(255),
  eventName: p.string().length(255),
  aggregation: p.json<MeterAggregation>(),
  filters: p.json<MeterFilter[]>().default('[]'),
  resetUsage: p.string().length(20).$type<ResetUsage>(),
}));
export class Meter extends MeterSchema.class {}
MeterSchema.setClass(Meter);
