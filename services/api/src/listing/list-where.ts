import { createdBetween } from './created-between.ts';
import { filtersToWhere, sortToOrderBy, type SearchableFields } from './filter-conditions.ts';
import type { ListQuery } from './list-query.ts';

type Where = Record<string, unknown>;

/** A list query as ORM conditions and order, before the resource's own conditions are added. */
export type ListConditions = { where: Where[]; orderBy: Record<string, 'asc' | 'desc'>[] };

/**
 * The shared conditions of a list: its status (published unless asked), `filters`, the
 * `created_at` window, and the order (`sort`, then `created_at` in `order`, then `id`). Refuses an
 * unknown field or operator with a 400 naming it.
 */
export function listConditions(query: ListQuery, fields: SearchableFields, entity: string, defaultStatus = 'published'): ListConditions {
  return {
    where: [{ status: query.status ?? defaultStatus }, ...filtersToWhere(query.filters, fields, entity), ...createdBetween(query.startTime, query.endTime)],
    orderBy: sortToOrderBy(query.sort, query.order, fields, entity),
  };
}

/** Records whose `metadata` holds every given pair (none given: no condition). */
export function metadataContaining(metadata: Record<string, string> | undefined): Where[] {
  return metadata && Object.keys(metadata).length ? [{ metadata: { $contains: metadata } }] : [];
}

/** Records whose `column` is one of `values` (none given: no condition). */
export function oneOf(column: string, values: readonly unknown[] | undefined): Where[] {
  return values?.length ? [{ [column]: { $in: values } }] : [];
}
