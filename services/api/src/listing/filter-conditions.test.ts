import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/app-error.ts';
import { filtersToWhere, sortToOrderBy, type FilterCondition, type SearchableFields } from './filter-conditions.ts';
import { thrown } from '../errors/thrown.test-helper.ts';

const fields: SearchableFields = {
  name: { property: 'name', kind: 'string' },
  external_id: { property: 'externalId', kind: 'string' },
  created_at: { property: 'createdAt', kind: 'date' },
  quantity: { property: 'qty', kind: 'number' },
};

const str = (field: string, operator: FilterCondition['operator'], s: string): FilterCondition => ({
  field,
  operator,
  data_type: 'string',
  value: { string: s },
});
const arr = (field: string, operator: FilterCondition['operator'], a: string[]): FilterCondition => ({
  field,
  operator,
  data_type: 'array',
  value: { array: a },
});
const date = (field: string, operator: FilterCondition['operator'], d: string): FilterCondition => ({
  field,
  operator,
  data_type: 'date',
  value: { date: d },
});
const num = (field: string, operator: FilterCondition['operator'], n: number): FilterCondition => ({
  field,
  operator,
  data_type: 'number',
  value: { number: n },
});

/** The AppError a call throws (fails the test when it does not throw one). */
describe('filtersToWhere — the where objects', () => {
  it('returns no conditions for absent or empty filters', () => {
    expect(filtersToWhere(undefined, fields, 'thing')).toEqual([]);
    expect(filtersToWhere([], fields, 'thing')).toEqual([]);
  });

  it('eq maps the API field to the entity property', () => {
    expect(filtersToWhere([str('external_id', 'eq', 'abc')], fields, 'thing')).toEqual([{ externalId: 'abc' }]);
  });

  it("eq '' also matches NULL (unset text reads as '')", () => {
    expect(filtersToWhere([str('name', 'eq', '')], fields, 'thing')).toEqual([{ $or: [{ name: '' }, { name: null }] }]);
  });

  it('contains is a case-insensitive LIKE with the value in the middle', () => {
    expect(filtersToWhere([str('name', 'contains', 'acme')], fields, 'thing')).toEqual([{ name: { $ilike: '%acme%' } }]);
  });

  it('contains escapes %, _ and \\ so they match literally', () => {
    expect(filtersToWhere([str('name', 'contains', '100%_a\\b')], fields, 'thing')).toEqual([{ name: { $ilike: '%100\\%\\_a\\\\b%' } }]);
  });

  it("contains '' matches everything, NULL included", () => {
    expect(filtersToWhere([str('name', 'contains', '')], fields, 'thing')).toEqual([{ $or: [{ name: { $ilike: '%%' } }, { name: null }] }]);
  });

  it('not_contains negates the LIKE and keeps NULLs', () => {
    expect(filtersToWhere([str('name', 'not_contains', 'x_y')], fields, 'thing')).toEqual([
      { $or: [{ name: null }, { $not: { name: { $ilike: '%x\\_y%' } } }] },
    ]);
  });

  it("not_contains '' matches nothing, NULL excluded", () => {
    expect(filtersToWhere([str('name', 'not_contains', '')], fields, 'thing')).toEqual([{ $not: { name: { $ilike: '%%' } } }]);
  });

  it('in and not_in take the array; not_in keeps NULLs', () => {
    expect(filtersToWhere([arr('external_id', 'in', ['a', 'b'])], fields, 'thing')).toEqual([{ externalId: { $in: ['a', 'b'] } }]);
    expect(filtersToWhere([arr('external_id', 'not_in', ['a'])], fields, 'thing')).toEqual([
      { $or: [{ externalId: null }, { externalId: { $nin: ['a'] } }] },
    ]);
  });

  it("in [''] also matches NULL; not_in [''] excludes it", () => {
    expect(filtersToWhere([arr('name', 'in', ['', 'a'])], fields, 'thing')).toEqual([
      { $or: [{ name: { $in: ['', 'a'] } }, { name: null }] },
    ]);
    expect(filtersToWhere([arr('name', 'not_in', ['', 'a'])], fields, 'thing')).toEqual([
      { $and: [{ name: { $ne: null } }, { name: { $nin: ['', 'a'] } }] },
    ]);
  });

  it('date operators compare Date objects: gt/after strict above, gte inclusive, lt/before strict below, eq exact', () => {
    const at = '2025-01-15T10:00:00Z';
    const d = new Date(at);
    expect(filtersToWhere([date('created_at', 'gt', at)], fields, 'thing')).toEqual([{ createdAt: { $gt: d } }]);
    expect(filtersToWhere([date('created_at', 'after', at)], fields, 'thing')).toEqual([{ createdAt: { $gt: d } }]);
    expect(filtersToWhere([date('created_at', 'gte', at)], fields, 'thing')).toEqual([{ createdAt: { $gte: d } }]);
    expect(filtersToWhere([date('created_at', 'lt', at)], fields, 'thing')).toEqual([{ createdAt: { $lt: d } }]);
    expect(filtersToWhere([date('created_at', 'before', at)], fields, 'thing')).toEqual([{ createdAt: { $lt: d } }]);
    expect(filtersToWhere([date('created_at', 'eq', at)], fields, 'thing')).toEqual([{ createdAt: d }]);
  });

  it('reads a date with an offset as the instant it names', () => {
    const [where] = filtersToWhere([date('created_at', 'gt', '2025-01-15T12:00:00+02:00')], fields, 'thing');
    expect((where.createdAt as { $gt: Date }).$gt.toISOString()).toBe('2025-01-15T10:00:00.000Z');
  });

  it('number operators take value.number', () => {
    expect(filtersToWhere([num('quantity', 'gt', 5)], fields, 'thing')).toEqual([{ qty: { $gt: 5 } }]);
    expect(filtersToWhere([num('quantity', 'gte', 5)], fields, 'thing')).toEqual([{ qty: { $gte: 5 } }]);
    expect(filtersToWhere([num('quantity', 'lt', 0)], fields, 'thing')).toEqual([{ qty: { $lt: 0 } }]);
    expect(filtersToWhere([num('quantity', 'eq', 0)], fields, 'thing')).toEqual([{ qty: 0 }]);
  });

  it('returns one condition per filter, in order (the caller ANDs them)', () => {
    expect(filtersToWhere([str('name', 'eq', 'a'), arr('external_id', 'in', ['x'])], fields, 'thing')).toEqual([
      { name: 'a' },
      { externalId: { $in: ['x'] } },
    ]);
  });

  it('ignores value members other than the one data_type names', () => {
    const c: FilterCondition = { field: 'name', operator: 'eq', data_type: 'string', value: { string: 'a', number: 3, array: ['b'] } };
    expect(filtersToWhere([c], fields, 'thing')).toEqual([{ name: 'a' }]);
  });
});

describe('filtersToWhere — refusals', () => {
  it('an unknown field names filters[i].field and lists the allowed fields', () => {
    const err = thrown(() => filtersToWhere([str('name', 'eq', 'a'), str('colour', 'eq', 'red')], fields, 'thing'));
    expect(err.code).toBe('validation_error');
    expect(err.status).toBe(400);
    expect(err.details).toEqual({
      'filters[1].field': "unknown field name 'colour' in thing query; allowed: name, external_id, created_at, quantity",
    });
    expect(err.message).toContain('filters[1].field');
  });

  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])('%j is an unknown field, not Object.prototype’s', (name) => {
    const err = thrown(() => filtersToWhere([str(name, 'eq', 'a')], fields, 'thing'));
    expect(Object.keys(err.details ?? {})).toEqual(['filters[0].field']);
  });

  it.each<[FilterCondition, string]>([
    [str('name', 'gt', 'a'), "operator 'gt' does not apply to string field 'name'; allowed: eq, contains, not_contains, in, not_in"],
    [str('name', 'before', '2020-01-01T00:00:00Z'), "operator 'before' does not apply to string field 'name'; allowed: eq, contains, not_contains, in, not_in"],
    [str('created_at', 'contains', '2020'), "operator 'contains' does not apply to date field 'created_at'; allowed: eq, gt, gte, lt, before, after"],
    [arr('created_at', 'in', ['x']), "operator 'in' does not apply to date field 'created_at'; allowed: eq, gt, gte, lt, before, after"],
    [num('quantity', 'after', 1), "operator 'after' does not apply to number field 'quantity'; allowed: eq, gt, gte, lt"],
  ])('an operator that does not apply (%j) names filters[0].operator', (c, message) => {
    expect(thrown(() => filtersToWhere([c], fields, 'thing')).details).toEqual({ 'filters[0].operator': message });
  });

  it.each<[FilterCondition, string]>([
    [num('name', 'eq', 1), 'string'],
    [arr('name', 'contains', ['a']), 'string'],
    [str('external_id', 'in', 'a'), 'array'],
    [str('created_at', 'gt', '2020-01-01T00:00:00Z'), 'date'],
    [str('quantity', 'gt', '1'), 'number'],
  ])('a data_type that does not fit (%j) names filters[0].data_type and the expected type', (c, expected) => {
    const err = thrown(() => filtersToWhere([c], fields, 'thing'));
    expect(Object.keys(err.details ?? {})).toEqual(['filters[0].data_type']);
    expect(err.details?.['filters[0].data_type']).toMatch(new RegExp(`^must be '${expected}'`));
  });

  it('a missing value member names it', () => {
    const c = { field: 'name', operator: 'eq', data_type: 'string', value: { number: 1 } } as FilterCondition;
    expect(thrown(() => filtersToWhere([c], fields, 'thing')).details).toEqual({ 'filters[0].value.string': 'is required' });
    const noValue = { field: 'created_at', operator: 'gt', data_type: 'date' } as unknown as FilterCondition;
    expect(thrown(() => filtersToWhere([noValue], fields, 'thing')).details).toEqual({ 'filters[0].value.date': 'is required' });
  });

  it('an empty array for in / not_in names value.array', () => {
    for (const op of ['in', 'not_in'] as const) {
      expect(thrown(() => filtersToWhere([arr('name', op, [])], fields, 'thing')).details).toEqual({
        'filters[0].value.array': 'must be a non-empty array',
      });
    }
  });

  it('a date JavaScript cannot represent (a leap second) names value.date', () => {
    expect(thrown(() => filtersToWhere([date('created_at', 'gt', '2016-12-31T23:59:60Z')], fields, 'thing')).details).toEqual({
      'filters[0].value.date': 'is not a representable date-time',
    });
  });

  it('names every bad condition at once, one problem each', () => {
    const err = thrown(() =>
      filtersToWhere([str('nope', 'eq', 'a'), str('name', 'eq', 'fine'), str('name', 'lt', 'a'), arr('name', 'in', [])], fields, 'thing'),
    );
    expect(Object.keys(err.details ?? {}).sort()).toEqual(['filters[0].field', 'filters[2].operator', 'filters[3].value.array']);
  });
});

describe('sortToOrderBy', () => {
  it('defaults to created_at desc with id as the final tiebreaker', () => {
    expect(sortToOrderBy(undefined, undefined, fields, 'thing')).toEqual([{ createdAt: 'desc' }, { id: 'desc' }]);
    expect(sortToOrderBy([], undefined, fields, 'thing')).toEqual([{ createdAt: 'desc' }, { id: 'desc' }]);
  });

  it('applies `order` to the default created_at ordering', () => {
    expect(sortToOrderBy(undefined, 'asc', fields, 'thing')).toEqual([{ createdAt: 'asc' }, { id: 'asc' }]);
  });

  it('puts sort keys first, in order, mapped to properties; a missing direction is asc', () => {
    expect(
      sortToOrderBy(
        [
          { field: 'external_id', direction: 'desc' },
          { field: 'name' },
        ],
        'asc',
        fields,
        'thing',
      ),
    ).toEqual([{ externalId: 'desc' }, { name: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }]);
  });

  it('refuses unknown fields, naming each sort[i].field', () => {
    const err = thrown(() => sortToOrderBy([{ field: 'name' }, { field: 'colour' }, { field: 'constructor' }], undefined, fields, 'thing'));
    expect(err.code).toBe('validation_error');
    expect(err.details).toEqual({
      'sort[1].field': "unknown field name 'colour' in thing sort; allowed: name, external_id, created_at, quantity",
      'sort[2].field': "unknown field name 'constructor' in thing sort; allowed: name, external_id, created_at, quantity",
    });
  });
});
