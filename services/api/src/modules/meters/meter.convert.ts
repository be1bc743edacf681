import type { QueryParams, Schemas } from '../../wire/contract-types.ts';
import { parseDecimal } from '../../wire/decimal-input.ts';
import { throwIfProblems, type Problems } from '../../errors/problems.ts';
import { listQueryOf, type ListQuery } from '../../listing/list-query.ts';
import { recordFields } from '../../wire/record-fields.ts';
import { blankProblems } from '../../wire/request-fields.ts';
import type { AggregationType, Meter, MeterAggregation, MeterFilter, ResetUsage } from './meter.entity.ts';
import { meterSearchFields } from './meter.search.ts';

export type MeterResponse = Schemas['MeterResponse'];

/** A meter to create, validated. */
export type NewMeter = {
  name: string;
  eventName: string;
  aggregation: MeterAggregation;
  filters: MeterFilter[];
  resetUsage: ResetUsage;
};

const at = (prefix: string, field: string) => (prefix ? `${prefix}.${field}` : field);
const present = (s: string | undefined): s is string => s !== undefined && s !== '';

/**
 * FlexPrice's aggregation rules, each broken one named: `field` for every type but COUNT,
 * `multiplier` (> 0) for SUM_WITH_MULTIPLIER only, `bucket_size` for MAX or SUM, `group_by` for a
 * bucketed MAX. Where FlexPrice would store a setting that does nothing (a multiplier on SUM),
 * Tally refuses it; a `field` on COUNT is kept and ignored, as FlexPrice does.
 */
function parseAggregation(body: Schemas['MeterAggregationRequest'], prefix: string, problems: Problems): MeterAggregation {
  const type: AggregationType = body.type;
  const aggregation: MeterAggregation = { type };
  if (present(body.field)) aggregation.field = body.field;
  else if (type !== 'COUNT') problems[at(prefix, 'field')] = `is required for ${type} aggregation`;

  if (present(body.expression)) {
    problems[at(prefix, 'expression')] = 'is not supported yet: Tally does not evaluate CEL expressions; aggregate one property with field';
  }

  if (type === 'SUM_WITH_MULTIPLIER') {
    if (body.multiplier === undefined) problems[at(prefix, 'multiplier')] = 'is required for SUM_WITH_MULTIPLIER aggregation';
    else {
      const multiplier = parseDecimal(body.multiplier, { positive: true });
      if ('problem' in multiplier) problems[at(prefix, 'multiplier')] = multiplier.problem;
      else aggregation.multiplier = multiplier.value;
    }
  } else if (body.multiplier !== undefined) {
    problems[at(prefix, 'multiplier')] = `only applies to SUM_WITH_MULTIPLIER aggregation, not ${type}`;
  }

  if (body.bucket_size !== undefined) {
    if (type === 'MAX' || type === 'SUM') aggregation.bucket_size = body.bucket_size;
    else problems[at(prefix, 'bucket_size')] = `only applies to MAX or SUM aggregation, not ${type}`;
  }

  if (present(body.group_by)) {
    if (type === 'MAX' && body.bucket_size !== undefined) aggregation.group_by = body.group_by;
    else problems[at(prefix, 'group_by')] = 'only applies to MAX aggregation with a bucket_size';
  }
  return aggregation;
}

/**
 * Filters as given, values de-duplicated. On create a key may appear once (two filters on one key
 * would AND two value lists, which nobody means); an update may repeat keys, they merge.
 */
export function parseMeterFilters(filters: Schemas['MeterPropertyFilter'][] | undefined, prefix: string, problems: Problems, options: { uniqueKeys: boolean }): MeterFilter[] {
  const seen = new Map<string, number>();
  return (filters ?? []).map((f, i) => {
    if (f.key.trim() === '') problems[`${prefix}[${i}].key`] = 'must not be blank';
    const first = seen.get(f.key);
    if (options.uniqueKeys && first !== undefined) problems[`${prefix}[${i}].key`] = `repeats filters[${first}].key '${f.key}'; give each key once with all its values`;
    if (first === undefined) seen.set(f.key, i);
    return { key: f.key, values: [...new Set(f.values)] };
  });
}

/** Checks a meter definition, adding problems under `prefix` (`meter` when inline in a feature). */
export function meterFromRequest(body: Schemas['CreateMeterRequest'], prefix: string, problems: Problems): NewMeter {
  Object.assign(problems, blankProblems({ event_name: body.event_name, name: body.name }, prefix ? `${prefix}.` : ''));
  return {
    name: body.name,
    eventName: body.event_name.trim(),
    aggregation: parseAggregation(body.aggregation, at(prefix, 'aggregation'), problems),
    filters: parseMeterFilters(body.filters, at(prefix, 'filters'), problems, { uniqueKeys: true }),
    resetUsage: body.reset_usage,
  };
}

export function fromCreateMeterRequest(body: Schemas['CreateMeterRequest']): NewMeter {
  const problems: Problems = {};
  const meter = meterFromRequest(body, '', problems);
  throwIfProblems(problems);
  return meter;
}

/** The filters to add (an update only ever adds). */
export function fromUpdateMeterRequest(body: Schemas['UpdateMeterRequest']): MeterFilter[] {
  const problems: Problems = {};
  const filters = parseMeterFilters(body.filters, 'filters', problems, { uniqueKeys: false });
  throwIfProblems(problems);
  return filters;
}

/** A list of meters, as the GET list's query expresses it. */
export type MeterQuery = ListQuery & { eventName?: string; meterIds?: string[] };

export function fromMeterListRequest(input: QueryParams<'listMeters'>): MeterQuery {
  return { ...listQueryOf(input, meterSearchFields, 'meter'), eventName: input?.event_name?.trim() || undefined, meterIds: input?.meter_ids };
}

/**
 * Entity → wire, in FlexPrice's member order (tenant and environment first). Aggregation members
 * that do not apply are left out, as FlexPrice omits them.
 */
export function toMeterResponse(m: Meter): MeterResponse {
  const { type, field, multiplier, bucket_size, group_by } = m.aggregation;
  const { tenant_id, environment_id, ...record } = recordFields(m);
  return {
    id: m.id,
    name: m.name,
    tenant_id,
    environment_id,
    event_name: m.eventName,
    aggregation: {
      type,
      ...(field ? { field } : {}),
      ...(multiplier ? { multiplier } : {}),
      ...(bucket_size ? { bucket_size } : {}),
      ...(group_by ? { group_by } : {}),
    },
    filters: (m.filters ?? []).map((f) => ({ key: f.key, values: [...f.values] })),
    reset_usage: m.resetUsage,
    ...record,
  };
}
