/** What every list and search answers: FlexPrice's `{items, pagination: {total, limit, offset}}`. */
export interface Page<T> {
  items?: T[];
  pagination?: { total?: number; limit?: number; offset?: number };
}

export interface PageRequest {
  limit: number;
  offset: number;
}

/**
 * Every item of every page, fetching pages as the loop asks for them.
 *
 *   for await (const customer of paginate((page) => tally.customers.listCustomers(page))) …
 *   for await (const customer of paginate((page) => tally.customers.queryCustomer({ customerFilter: { ...page, filters } }))) …
 *
 * The `offset` a page answers with is already the next page's offset (as in FlexPrice); iteration
 * stops when it reaches `total` or a page comes back empty.
 */
export async function* paginate<T>(fetchPage: (page: PageRequest) => Promise<Page<T>>, options: { limit?: number; offset?: number } = {}): AsyncGenerator<T, void, undefined> {
  const limit = options.limit ?? 100;
  let offset = options.offset ?? 0;
  for (;;) {
    const page = await fetchPage({ limit, offset });
    const items = page.items ?? [];
    yield* items;
    if (items.length === 0) return;
    const next = page.pagination?.offset ?? offset + items.length;
    const total = page.pagination?.total;
    // A server that does not move the offset forward would loop for ever.
    if (next <= offset || (total !== undefined && next >= total)) return;
    offset = next;
  }
}

/** All items of every page, in one array. */
export async function collectAll<T>(fetchPage: (page: PageRequest) => Promise<Page<T>>, options: { limit?: number; offset?: number } = {}): Promise<T[]> {
  const all: T[] = [];
  for await (const item of paginate(fetchPage, options)) all.push(item);
  return all;
}
