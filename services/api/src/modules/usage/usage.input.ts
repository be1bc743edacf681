import type { components } from '@tally/contract';
import { isKnownTimeZone, windowRank, type WindowSize } from '../../billing/usage/calendar-window.ts';
import type { GroupKey } from '../../billing/usage/property-value.ts';
import { Quantity } from '../../billing/usage/quantity.ts';
import type { PropertyFilter, UsageAggregation } from '../../billing/usage/usage-query.ts';
import { parseDecimal } from '../../decimal/decimal-input.ts';
import { invalidFields } from '../../errors/app-error.ts';
import { canonicalTimeZone } from '../customers/timezone.ts';

type UsageRequest = components['schemas']['GetUsageRequest'];
type MeterUsageRequest = components['schemas']['GetUsageByMeterRequest'];

/** The range and calendar of a usage request; absent times get their defaults from the clock later. */
export type UsageRange = {
  start?: Date;
  end?: Date;
  windowSize?: WindowSize;
  timezone: string;
  billingAnchor?: Date;
};

/** What selects events besides the event name: a customer and property filters. */
export type UsageSelection = {
  externalCustomerId?: string;
  /** A Tally customer id, resolved to its external id by the service. */
  customerId?: string;
  filters: PropertyFilter[];
};

export type UsageStatisticsInput = UsageSelection & { eventName: string; aggregation: UsageAggregation; range: UsageRange };
export type MeterUsageInput = UsageSelection & { meterId: string; bucketSize?: WindowSize; range: UsageRange };

type Errors = Record<string, string>;

function parseRange(body: UsageRequest | MeterUsageRequest, errors: Errors): UsageRange {
  const timezone = canonicalTimeZone(body.timezone ?? 'UTC');
  if (!timezone || !isKnownTimeZone(timezone)) errors.timezone = `'${body.timezone}' is not an IANA time zone name (e.g. UTC, Europe/Berlin)`;
  const start = body.start_time === undefined ? undefined : new Date(body.start_time);
  const end = body.end_time === undefined ? undefined : new Date(body.end_time);
  if (start && end && end < start) errors.end_time = 'must not be before start_time';
  return {
    start,
    end,
    windowSize: body.window_size,
    timezone: timezone ?? 'UTC',
    billingAnchor: body.billing_anchor === undefined ? undefined : new Date(body.billing_anchor),
  };
}

function parseFilters(filters: Record<string, string[]> | undefined): PropertyFilter[] {
  return Object.entries(filters ?? {}).map(([key, values]) => ({ key, values: [...new Set(values)] }));
}

function parseSelection(body: UsageRequest | MeterUsageRequest): UsageSelection {
  return {
    externalCustomerId: body.external_customer_id || undefined,
    customerId: body.customer_id || undefined,
    filters: parseFilters(body.filters),
  };
}

/** `source` or `properties.<name>`. */
function parseGroupBy(entries: string[], errors: Errors): GroupKey[] {
  return entries.flatMap((entry, i): GroupKey[] => {
    if (entry === 'source') return [{ kind: 'source' }];
    if (entry.startsWith('properties.') && entry.length > 'properties.'.length) return [{ kind: 'property', name: entry.slice('properties.'.length) }];
    errors[`group_by[${i}]`] = `'${entry}' is not 'source' or 'properties.<name>'`;
    return [];
  });
}

/**
 * The rules an aggregation obeys wherever it comes from (a request, or a meter): every type but
 * COUNT names a property; a multiplier, required and > 0, only for SUM_WITH_MULTIPLIER; buckets
 * only for MAX and SUM, groups only for a bucketed MAX; windows no shorter than buckets.
 * `names` maps each rule to the field the caller knows it by.
 */
export function aggregationProblems(
  aggregation: UsageAggregation,
  windowSize: WindowSize | undefined,
  names: { field: string; multiplier: string; bucketSize: string; groupBy: string },
): Errors {
  const errors: Errors = {};
  const { type, field, multiplier, bucketSize, groupBy } = aggregation;
  if (type !== 'COUNT' && !field) errors[names.field] = `is required for ${type} (FlexPrice would count events instead; ask for COUNT to do that)`;
  if (type === 'SUM_WITH_MULTIPLIER' && multiplier === undefined) errors[names.multiplier] = 'is required for SUM_WITH_MULTIPLIER';
  if (type !== 'SUM_WITH_MULTIPLIER' && multiplier !== undefined) errors[names.multiplier] = 'is only allowed with SUM_WITH_MULTIPLIER';
  if (bucketSize !== undefined && type !== 'MAX' && type !== 'SUM') errors[names.bucketSize] = 'is only allowed with MAX and SUM';
  if (groupBy?.length && (type !== 'MAX' || bucketSize === undefined)) errors[names.groupBy] = 'is only allowed with MAX and a bucket_size';
  if (bucketSize !== undefined && windowSize !== undefined && windowRank(windowSize) < windowRank(bucketSize)) {
    errors.window_size = `must not be shorter than bucket_size (${bucketSize})`;
  }
  return errors;
}

/** POST /events/usage: every field problem reported together. */
export function parseUsageStatistics(body: UsageRequest): UsageStatisticsInput {
  const errors: Errors = {};
  const range = parseRange(body, errors);
  let multiplier: Quantity | undefined;
  if (body.multiplier !== undefined) {
    const parsed = parseDecimal(body.multiplier, { positive: true });
    if ('problem' in parsed) errors.multiplier = parsed.problem;
    else multiplier = new Quantity(parsed.value);
  }
  const groupEntries = body.group_by?.length ? body.group_by : body.group_by_property ? [`properties.${body.group_by_property}`] : [];
  const groupBy = parseGroupBy(groupEntries, errors);
  if (body.expression) errors.expression = 'is not supported by Tally; aggregate a property with property_name';
  const aggregation: UsageAggregation = {
    type: body.aggregation_type,
    field: body.aggregation_type === 'COUNT' ? undefined : body.property_name || undefined,
    multiplier,
    bucketSize: body.bucket_size,
    groupBy: groupBy.length ? groupBy : undefined,
  };
  const problems = aggregationProblems(aggregation, range.windowSize, {
    field: 'property_name',
    multiplier: 'multiplier',
    bucketSize: 'bucket_size',
    groupBy: body.group_by?.length ? 'group_by' : 'group_by_property',
  });
  // A field already refused for its form keeps that message.
  for (const [field, problem] of Object.entries(problems)) errors[field] ??= problem;
  if (Object.keys(errors).length) throw invalidFields(errors);
  return { ...parseSelection(body), eventName: body.event_name, aggregation, range };
}

/** POST /events/usage/meter: the request's part; the meter supplies the rest. */
export function parseMeterUsage(body: MeterUsageRequest): MeterUsageInput {
  const errors: Errors = {};
  const range = parseRange(body, errors);
  if (Object.keys(errors).length) throw invalidFields(errors);
  return { ...parseSelection(body), meterId: body.meter_id, bucketSize: body.bucket_size, range };
}
