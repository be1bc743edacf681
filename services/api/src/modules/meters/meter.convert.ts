import type { components } from '@tally/contract';
import { parseDecimal } from '../../decimal/decimal-input.ts';
import { invalidFields } from '../../errors/app-error.ts';
import type { AggregationType, MeterAggregation, MeterFilter, ResetUsage } from './meter.entity.ts';

type CreateRequest = components['schemas']['CreateMeterRequest'];
type AggregationRequest = components['schemas']['MeterAggregationRequest'];
type FilterRequest = components['schemas']['MeterPropertyFilter'];
type UpdateRequest = components['schemas']['UpdateMeterRequest'];

/** A meter to create, validated. */
export type NewMeter = {
  name: string;
  eventName: string;
  aggregation: MeterAggregation;
  filters: MeterFilter[];
  resetUsage: ResetUsage;
};

type Errors = Record<string, string>;
const at = (prefix: string, field: string) => (prefix ? `${prefix}.${field}` : field);
const present = (s: string | undefined): s is string => s !== undefined && s !== '';

/**
 * FlexPrice's aggregation rules, each broken one named: `field` for every type but COUNT,
 * `multiplier` (> 0) for SUM_WITH_MULTIPLIER only, `bucket_size` for MAX or SUM, `group_by` for a
 * bucketed MAX. Where FlexPrice would store a setting that does nothing (a multiplier on SUM),
 * Tally refuses it; a `field` on COUNT is kept and ignored, as FlexPrice does.
 */
export function parseAggregation(body: AggregationRequest, prefix: string, errors: Errors): MeterAggregation {
  const type: AggregationType = body.type;
  const aggregation: MeterAggregation = { type };
  if (present(body.field)) aggregation.field = body.field;
  else if (type !== 'COUNT') errors[at(prefix, 'field')] = `is required for ${type} aggregation`;

  if (present(body.expression)) {
    errors[at(prefix, 'expression')] = 'is not supported yet: Tally does not evaluate CEL expressions; aggregate one property with field';
  }

  if (type === 'SUM_WITH_MULTIPLIER') {
    if (body.multiplier === undefined) errors[at(prefix, 'multiplier')] = 'is required for SUM_WITH_MULTIPLIER aggregation';
    else {
      const multiplier = parseDecimal(body.multiplier, { positive: true });
      if ('problem' in multiplier) errors[at(prefix, 'multiplier')] = multiplier.problem;
      else aggregation.multiplier = multiplier.value;
    }
  } else if (body.multiplier !== undefined) {
    errors[at(prefix, 'multiplier')] = `only applies to SUM_WITH_MULTIPLIER aggregation, not ${type}`;
  }

  if (body.bucket_size !== undefined) {
    if (type === 'MAX' || type === 'SUM') aggregation.bucket_size = body.bucket_size;
    else errors[at(prefix, 'bucket_size')] = `only applies to MAX or SUM aggregation, not ${type}`;
  }

  if (present(body.group_by)) {
    if (type === 'MAX' && body.bucket_size !== undefined) aggregation.group_by = body.group_by;
    else errors[at(prefix, 'group_by')] = 'only applies to MAX aggregation with a bucket_size';
  }
  return aggregation;
}

/**
 * Filters as given, values de-duplicated. On create a key may appear once (two filters on one key
 * would AND two value lists, which nobody means); an update may repeat keys, they merge.
 */
export function parseMeterFilters(filters: FilterRequest[] | undefined, prefix: string, errors: Errors, options: { uniqueKeys: boolean }): MeterFilter[] {
  const seen = new Map<string, number>();
  return (filters ?? []).map((f, i) => {
    if (f.key.trim() === '') errors[`${prefix}[${i}].key`] = 'must not be blank';
    const first = seen.get(f.key);
    if (options.uniqueKeys && first !== undefined) errors[`${prefix}[${i}].key`] = `repeats filters[${first}].key '${f.key}'; give each key once with all its values`;
    if (first === undefined) seen.set(f.key, i);
    return { key: f.key, values: [...new Set(f.values)] };
  });
}

/** Checks a meter definition, adding errors under `prefix` (`meter` when inline in a feature). */
export function meterFromRequest(body: CreateRequest, prefix: string, errors: Errors): NewMeter {
  const eventName = body.event_name.trim();
  if (eventName === '') errors[at(prefix, 'event_name')] = 'must not be blank';
  if (body.name.trim() === '') errors[at(prefix, 'name')] = 'must not be blank';
  return {
    name: body.name,
    eventName,
    aggregation: parseAggregation(body.aggregation, at(prefix, 'aggregation'), errors),
    filters: parseMeterFilters(body.filters, at(prefix, 'filters'), errors, { uniqueKeys: true }),
    resetUsage: body.reset_usage,
  };
}

export function parseCreateMeter(body: CreateRequest): NewMeter {
  const errors: Errors = {};
  const meter = meterFromRequest(body, '', errors);
  if (Object.keys(errors).length) throw invalidFields(errors);
  return meter;
}

export function parseUpdateMeter(body: UpdateRequest): MeterFilter[] {
  const errors: Errors = {};
  const filters = parseMeterFilters(body.filters, 'filters', errors, { uniqueKeys: false });
  if (Object.keys(errors).length) throw invalidFields(errors);
  return filters;
}
