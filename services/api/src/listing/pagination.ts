/** FlexPrice's paging: limit 1–1000 (0 or absent → 50), offset ≥ 0. */
export const defaultLimit = 50;

export type Page = { limit: number; offset: number };

export function pageOf(input: { limit?: number; offset?: number }): Page {
  return { limit: input.limit ? input.limit : defaultLimit, offset: input.offset ?? 0 };
}

export type PaginationResponse = { total: number; limit: number; offset: number };

/** As FlexPrice: the returned `offset` is the next page's offset (request offset + limit). */
export function paginationOf(total: number, page: Page): PaginationResponse {
  return { total, limit: page.limit, offset: page.offset + page.limit };
}

export type ListResponse<T> = { items: T[]; pagination: PaginationResponse };
