import { invalidFields } from '../errors/app-error.ts';

export type FieldKind = 'string' | 'date' | 'number';
/** API field name → entity property and kind; the only fields a search may name. */
export type SearchableFields = Record<string, { property: string; kind: FieldKind }>;

export type FilterCondition = {
  field: string;
  operator: 'eq' | 'contains' | 'not_contains' | 'gt' | 'lt' | 'gte' | 'in' | 'not_in' | 'before' | 'after';
  data_type: 'string' | 'number' | 'date' | 'array';
  value: { string?: string; number?: number; boolean?: boolean; date?: string; array?: string[] };
};
export type SortCondition = { field: string; direction?: 'asc' | 'desc' };

type Where = Record<string, unknown>;

/** Own entries only: `toString` or `__proto__` must read as unknown, not as Object.prototype's. */
const fieldOf = (fields: SearchableFields, name: string) => (Object.hasOwn(fields, name) ? fields[name] : undefined);

const operatorsByKind: Record<FieldKind, FilterCondition['operator'][]> = {
  string: ['eq', 'contains', 'not_contains', 'in', 'not_in'],
  date: ['eq', 'gt', 'gte', 'lt', 'before', 'after'],
  number: ['eq', 'gt', 'gte', 'lt'],
};

/** `in`/`not_in` take `value.array`; every other operator takes the member named after the field's kind. */
const expectedDataType = (c: FilterCondition, kind: FieldKind): FilterCondition['data_type'] =>
  c.operator === 'in' || c.operator === 'not_in' ? 'array' : kind;

/** `%`, `_` and `\` are literal in a `contains` search. */
export const likePattern = (s: string): string => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * A date-time the schema lets through but JavaScript cannot represent (a leap second, `…T23:59:60Z`).
 * (NUL characters never get here: the contract runtime refuses them in any input.)
 */
function valueProblem(dataType: FilterCondition['data_type'], member: unknown): string | undefined {
  if (dataType === 'date') return Number.isNaN(new Date(member as string).getTime()) ? 'is not a representable date-time' : undefined;
  return undefined;
}

/**
 * Unset text fields are sent as empty strings but stored as NULL, so a condition that holds for
 * '' must also hold for NULL: `eq ''` finds the customers whose email reads "".
 */
const orNullWhenEmpty = (property: string, where: Where, empty: boolean): Where =>
  empty ? { $or: [where, { [property]: null }] } : where;

function conditionWhere(property: string, c: FilterCondition): Where {
  const v = c.data_type === 'date' ? new Date(c.value.date as string) : c.value[c.data_type];
  switch (c.operator) {
    case 'eq':
      return orNullWhenEmpty(property, { [property]: v }, v === '');
    case 'contains':
      return orNullWhenEmpty(property, { [property]: { $ilike: likePattern(v as string) } }, v === '');
    case 'not_contains': {
      const notLike = { $not: { [property]: { $ilike: likePattern(v as string) } } };
      // NULL reads as '', which contains nothing but ''.
      return v === '' ? notLike : { $or: [{ [property]: null }, notLike] };
    }
    case 'gt':
    case 'after':
      return { [property]: { $gt: v } };
    case 'gte':
      return { [property]: { $gte: v } };
    case 'lt':
    case 'before':
      return { [property]: { $lt: v } };
    case 'in':
      return orNullWhenEmpty(property, { [property]: { $in: v } }, (v as string[]).includes(''));
    case 'not_in':
      return (v as string[]).includes('')
        ? { $and: [{ [property]: { $ne: null } }, { [property]: { $nin: v } }] }
        : { $or: [{ [property]: null }, { [property]: { $nin: v } }] };
  }
}

/**
 * FlexPrice's `filters` array as one ANDed query. Where FlexPrice silently drops a condition it
 * cannot apply, Tally refuses it with a 400 naming the condition, so a search never quietly widens.
 */
export function filtersToWhere(filters: FilterCondition[] | undefined, fields: SearchableFields, entity: string): Where[] {
  const errors: Record<string, string> = {};
  const out: Where[] = [];
  (filters ?? []).forEach((c, i) => {
    const at = `filters[${i}]`;
    const field = fieldOf(fields, c.field);
    if (!field) {
      errors[`${at}.field`] = `unknown field name '${c.field}' in ${entity} query; allowed: ${Object.keys(fields).join(', ')}`;
      return;
    }
    if (!operatorsByKind[field.kind].includes(c.operator)) {
      errors[`${at}.operator`] = `operator '${c.operator}' does not apply to ${field.kind} field '${c.field}'; allowed: ${operatorsByKind[field.kind].join(', ')}`;
      return;
    }
    const dataType = expectedDataType(c, field.kind);
    if (c.data_type !== dataType) {
      errors[`${at}.data_type`] = `must be '${dataType}' for operator '${c.operator}' on ${field.kind} field '${c.field}'`;
      return;
    }
    const member = c.value?.[dataType];
    if (member === undefined || (Array.isArray(member) && member.length === 0)) {
      errors[`${at}.value.${dataType}`] = dataType === 'array' ? 'must be a non-empty array' : 'is required';
      return;
    }
    const problem = valueProblem(dataType, member);
    if (problem) {
      errors[`${at}.value.${dataType}`] = problem;
      return;
    }
    out.push(conditionWhere(field.property, c));
  });
  if (Object.keys(errors).length) throw invalidFields(errors);
  return out;
}

/** FlexPrice's `sort` array, then the default `created_at` in `order`, then `id` so pages never overlap. */
export function sortToOrderBy(
  sort: SortCondition[] | undefined,
  order: 'asc' | 'desc' | undefined,
  fields: SearchableFields,
  entity: string,
): Record<string, 'asc' | 'desc'>[] {
  const errors: Record<string, string> = {};
  const orderBy: Record<string, 'asc' | 'desc'>[] = [];
  (sort ?? []).forEach((s, i) => {
    const field = fieldOf(fields, s.field);
    if (!field) errors[`sort[${i}].field`] = `unknown field name '${s.field}' in ${entity} sort; allowed: ${Object.keys(fields).join(', ')}`;
    else orderBy.push({ [field.property]: s.direction ?? 'asc' });
  });
  if (Object.keys(errors).length) throw invalidFields(errors);
  const direction = order ?? 'desc';
  orderBy.push({ createdAt: direction }, { id: direction });
  return orderBy;
}
