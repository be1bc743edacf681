import { invalidFields } from '../errors/app-error.ts';

/** FlexPrice's paging: limit 1–1000 (0 or absent → 50), offset ≥ 0. */
export const defaultLimit = 50;
export const maxLimit = 1000;
/** The largest offset whose next-page offset (offset + limit) is still an exact JavaScript integer. */
export const maxOffset = Number.MAX_SAFE_INTEGER - maxLimit;

export type Page = { limit: number; offset: number };

/**
 * The page a request asks for. The spec already bounds both (offset ≤ 2^31 − 1); this rechecks them
 * for callers that bypass it, so no offset can overflow PostgreSQL's bigint or the next page's offset.
 */
export function pageOf(input: { limit?: number; offset?: number }): Page {
  const limit = input.limit || defaultLimit;
  const offset = input.offset ?? 0;
  const errors: Record<string, string> = {};
  if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit) errors.limit = `must be between 1 and ${maxLimit}`;
  if (!Number.isInteger(offset) || offset < 0 || offset > maxOffset) errors.offset = `must be an integer between 0 and ${maxOffset}`;
  if (Object.keys(errors).length) throw invalidFields(errors);
  return { limit, offset };
}

export type PaginationResponse = { total: number; limit: number; offset: number };

/** As FlexPrice: the returned `offset` is the next page's offset (request offset + limit). */
export function paginationOf(total: number, page: Page): PaginationResponse {
  return { total, limit: page.limit, offset: page.offset + page.limit };
}

export type ListResponse<T> = { items: T[]; pagination: PaginationResponse };

/** A list answer: each row converted for the wire, with FlexPrice's pagination. */
export function listResponse<T, R>(result: { items: T[]; total: number }, page: Page, toResponse: (item: T) => R): ListResponse<R> {
  return { items: result.items.map(toResponse), pagination: paginationOf(result.total, page) };
}
