import type { components } from '@tally/contract';
import { canonicalTimeZone, isKnownTimeZone, type WindowSize } from '../../billing/period/index.ts';
import {
  aggregationProblems,
  Quantity,
  toDecimalString,
  type AggregationMember,
  type AggregationType,
  type GroupKey,
  type PropertyFilter,
  type UsageAggregation,
  type UsageOutcome,
} from '../../billing/usage/index.ts';
import { parseDecimal } from '../../wire/decimal-input.ts';
import { toJsonNumber } from '../../wire/decimal-json-number.ts';
import { throwIfProblems } from '../../errors/problems.ts';

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

/** POST /events/usage: every field problem reported together. */
export function fromUsageStatisticsRequest(body: UsageRequest): UsageStatisticsInput {
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
  // The aggregation rules are billing's; the request names their members after its own fields.
  const requestField: Record<AggregationMember, string> = {
    field: 'property_name',
    multiplier: 'multiplier',
    bucket_size: 'bucket_size',
    group_by: body.group_by?.length ? 'group_by' : 'group_by_property',
    window_size: 'window_size',
  };
  // A field already refused for its form keeps that message.
  for (const problem of aggregationProblems(aggregation, range.windowSize)) errors[requestField[problem.member]] ??= problem.message;
  throwIfProblems(errors);
  return { ...parseSelection(body), eventName: body.event_name, aggregation, range };
}

/** POST /events/usage/meter: the request's part; the meter supplies the rest. */
export function fromMeterUsageRequest(body: MeterUsageRequest): MeterUsageInput {
  const errors: Errors = {};
  const range = parseRange(body, errors);
  throwIfProblems(errors);
  return { ...parseSelection(body), meterId: body.meter_id, bucketSize: body.bucket_size, range };
}

export type UsageResponse = components['schemas']['GetUsageResponse'];

/** What was aggregated, and the numbers (see usage.service.ts). */
export type UsageAnswer = { eventName: string; type: AggregationType; outcome: UsageOutcome };

/** FlexPrice prints times as RFC 3339 in UTC without empty fractions: `2024-03-13T00:00:00Z`. */
const toWireTime = (d: Date) => d.toISOString().replace('.000Z', 'Z');

/** Each value twice: a JSON number (FlexPrice's type) and the exact decimal string (Tally's `value_decimal`). */
const valueFields = (q: Quantity) => ({ value: toJsonNumber(q), value_decimal: toDecimalString(q) });

export function toUsageResponse(answer: UsageAnswer): UsageResponse {
  const { outcome } = answer;
  return {
    event_name: answer.eventName,
    type: answer.type,
    ...valueFields(outcome.value),
    ...(outcome.results ? { results: outcome.results.map((r) => ({ window_size: toWireTime(r.start), ...valueFields(r.value) })) } : {}),
  };
}
