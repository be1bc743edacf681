import type { SearchableFields, FilterCondition, SortCondition } from './filter-conditions.ts';
import { pageOf, type Page } from './pagination.ts';
import { sortParam } from './sort-param.ts';

/**
 * What every list asks, whether it came as `GET /<resource>` query parameters or a
 * `POST /<resource>/search` body: both produce this one query object, so a list and a search of a
 * resource always run the same query.
 */
export type ListQuery = {
  page: Page;
  status?: string;
  order?: 'asc' | 'desc';
  sort?: SortCondition[];
  filters?: FilterCondition[];
  /** `created_at` within [startTime, endTime], both inclusive. */
  startTime?: string;
  endTime?: string;
};

/** The members lists and searches share on the wire: a GET's single `sort` field, or a search's `sort` array and `filters`. */
export type ListInput = {
  limit?: number;
  offset?: number;
  status?: string;
  order?: 'asc' | 'desc';
  sort?: string | SortCondition[];
  filters?: FilterCondition[];
  start_time?: string;
  end_time?: string;
};

/**
 * The shared part of a resource's list query; the resource adds its own members (ids, codes…).
 * A GET's `sort` names one of `fields` (refused by the parameter's own name otherwise) and sorts in
 * the direction of `order`.
 */
export function listQueryOf(input: ListInput | undefined, fields: SearchableFields, entity: string): ListQuery {
  const i = input ?? {};
  return {
    page: pageOf(i),
    status: i.status,
    order: i.order,
    sort: typeof i.sort === 'string' ? sortParam(i.sort, i.order, fields, entity) : i.sort,
    filters: i.filters,
    startTime: i.start_time,
    endTime: i.end_time,
  };
}
