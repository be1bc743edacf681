import { Quantity, toDecimalString, zero } from './quantity.ts';

/**
 * How an event property is read. The SQL side (modules/usage/usage-sql.ts) applies the same rules
 * inside PostgreSQL; these are their in-memory twins, used by the reference aggregator.
 */
export type EventProperties = Record<string, unknown>;

/**
 * A string holding a plain decimal number (`"12.5"`, `"-3"`, `".5"`, `"1e3"`). No spaces, no
 * `NaN`/`Infinity`, at most a 4-digit exponent (PostgreSQL's numeric holds any of them).
 * Written without backslashes or `?` so it can travel as an SQL parameter unchanged.
 */
export const numericStringPattern = '^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]{1,4})?$';
const numericString = new RegExp(numericStringPattern);

/**
 * The numeric value of `properties[field]`: a JSON number, or a string holding a decimal number.
 * Anything else (missing, null, boolean, other text, object) counts as 0. JSON numbers are taken
 * from their text, so 0.1 is exactly one tenth.
 */
export function numericValue(properties: EventProperties, field: string): Quantity {
  const v = Object.hasOwn(properties, field) ? properties[field] : undefined;
  if (typeof v === 'number') return Number.isFinite(v) ? new Quantity(String(v)) : zero;
  if (typeof v === 'string' && numericString.test(v)) return new Quantity(v);
  return zero;
}

/**
 * `properties[key]` as a meter filter reads it: a string as it is; anything else — a number, a
 * boolean, a missing property — as the empty string (FlexPrice's reading, so `"5"` never matches 5).
 */
export function filterText(properties: EventProperties, key: string): string {
  const v = Object.hasOwn(properties, key) ? properties[key] : undefined;
  return typeof v === 'string' ? v : '';
}

/**
 * The value COUNT_UNIQUE counts and bucketed MAX groups by: a string as it is, a number by its
 * decimal text without trailing zeros (so 42, 42.0 and "42" are one value), a boolean as
 * `true`/`false`. Missing, null, objects and arrays give undefined: not counted, and one group.
 */
export function distinctKey(properties: EventProperties, field: string): string | undefined {
  const v = Object.hasOwn(properties, field) ? properties[field] : undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? toDecimalString(new Quantity(String(v))) : undefined;
  if (typeof v === 'boolean') return String(v);
  return undefined;
}

/** A group_by dimension: `source`, or `properties.<name>`. */
export type GroupKey = { kind: 'source' } | { kind: 'property'; name: string };

/** The group a bucketed MAX puts an event in, for one dimension (null: no value). */
export function groupText(properties: EventProperties, source: string | null, key: GroupKey): string | null {
  if (key.kind === 'source') return source;
  return distinctKey(properties, key.name) ?? null;
}
