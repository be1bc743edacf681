import { defineEntity, p } from '@mikro-orm/core';
import { scopeProperties } from '../../db/base-properties.ts';

/**
 * One meter's usage by one customer in one UTC hour: how many of its events matched and the sum of
 * their aggregated property (0 for a COUNT meter). Kept by the database itself — a statement trigger
 * on `events` adds every inserted batch, a row trigger on `meters` rebuilds a meter's hours when it
 * is created or its definition changes (migration `meter_usage_hours`) — for the meters whose usage is
 * a COUNT, SUM or SUM_WITH_MULTIPLIER. Usage of whole hours is read from here, the partial hours at
 * a window's edges from the events (usage-sql.ts); docs/development/usage-hours.md.
 */
export const MeterUsageHourSchema = defineEntity({
  name: 'MeterUsageHour',
  tableName: 'meter_usage_hours',
  // Keyed by the meter (its id is unique across tenants, and the meter is the environment's): a short
  // key keeps the upsert of every ingested batch cheap. The scope columns are stored and queried too.
  properties: {
    ...scopeProperties(),
    meterId: p.string().length(64).primary(),
    externalCustomerId: p.string().length(255).primary(),
    hour: p.datetime().primary(),
    eventCount: p.bigint('string'),
    valueSum: p.decimal('string').columnType('numeric'),
  },
});
export class MeterUsageHour extends MeterUsageHourSchema.class {}
MeterUsageHourSchema.setClass(MeterUsageHour);
