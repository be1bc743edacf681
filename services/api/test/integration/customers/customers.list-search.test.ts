import { beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, useTestServer } from '../../support/fixtures.ts';

const server = useTestServer();

type Customer = Record<string, any> & { id: string; external_id: string; name: string; created_at: string };

/** Creates customers one minute apart on the test clock, so their created_at order is certain. */
async function createSpaced(bodies: Record<string, unknown>[]): Promise<Customer[]> {
  const out: Customer[] = [];
  for (const body of bodies) {
    server.clock.advance(60_000);
    out.push(await createCustomer(server.api, body));
  }
  return out;
}

const search = (body: Record<string, unknown>) => server.api.post('/v1/customers/search', body);
const externalIds = (res: { body: { items: Customer[] } }) => res.body.items.map((c) => c.external_id);
const repeat = (name: string, values: string[]) => values.map((v) => `${name}=${encodeURIComponent(v)}`).join('&');

/** Seven customers for paging and ordering; names are deliberately not in creation order. */
const pageNames = ['Delta', 'Alpha', 'Golf', 'Charlie', 'Foxtrot', 'Bravo', 'Echo'];
let paged: Customer[];
const pagedExternalIds = pageNames.map((_, i) => `page-${i + 1}`);

/** Customers for filter operators. */
let filtered: Record<string, Customer>;
const inFilters = { group: 'filters' };

beforeAll(async () => {
  paged = await createSpaced(
    pageNames.map((name, i) => ({ external_id: pagedExternalIds[i], name, metadata: { group: 'page', parity: i % 2 ? 'odd' : 'even' } })),
  );
  const rows = await createSpaced([
    { external_id: 'f-acme', name: 'Acme Corp', email: 'billing@acme.test', address_city: 'Berlin', metadata: { ...inFilters, color: 'red' } },
    { external_id: 'f-acme-labs', name: 'acme labs', email: 'labs@acme.test', address_city: 'Paris', metadata: { ...inFilters, color: 'blue' } },
    { external_id: 'f-percent', name: 'Discount 100% Off', address_city: 'Berlin', metadata: { ...inFilters, color: 'red', size: 'xl' } },
    { external_id: 'f-underscore', name: 'Under_score Ltd', email: 'u@under.test', metadata: inFilters },
    { external_id: 'f-plain', name: 'Underscore Ltd', email: 'plain@other.test', metadata: inFilters },
    { external_id: 'f-hundred', name: '100 Percent', metadata: inFilters },
  ]);
  filtered = Object.fromEntries(rows.map((c) => [c.external_id, c]));
});

describe('pagination', () => {
  it.each([
    [0, ['page-7', 'page-6', 'page-5']],
    [3, ['page-4', 'page-3', 'page-2']],
    [6, ['page-1']],
    [7, []],
    [100, []],
  ])('search with limit 3, offset %i → the right slice, total 7, next offset = offset + 3', async (offset, expected) => {
    const res = await search({ metadata: { group: 'page' }, limit: 3, offset });
    expect(res.status).toBe(200);
    expect(externalIds(res)).toEqual(expected);
    expect(res.body.pagination).toEqual({ total: 7, limit: 3, offset: offset + 3 });
  });

  it.each([
    [0, ['page-7', 'page-6', 'page-5']],
    [3, ['page-4', 'page-3', 'page-2']],
    [6, ['page-1']],
  ])('GET list with limit 3, offset %i → the right slice, total 7', async (offset, expected) => {
    const res = await server.api.get(`/v1/customers?${repeat('external_ids', pagedExternalIds)}&limit=3&offset=${offset}`);
    expect(res.status).toBe(200);
    expect(externalIds(res)).toEqual(expected);
    expect(res.body.pagination).toEqual({ total: 7, limit: 3, offset: offset + 3 });
  });

  it('walks every page by following pagination.offset, seeing each customer once', async () => {
    const seen: string[] = [];
    let offset = 0;
    for (let pages = 0; pages < 10; pages++) {
      const res = await search({ metadata: { group: 'page' }, limit: 2, offset });
      seen.push(...externalIds(res));
      offset = res.body.pagination.offset;
      if (offset >= res.body.pagination.total) break;
    }
    expect(seen).toEqual([...pagedExternalIds].reverse());
  });

  it('accepts the largest offset (2^31 - 1) and answers an empty page; one more is a 400', async () => {
    const offset = 2147483647;
    const res = await search({ metadata: { group: 'page' }, offset, limit: 1000 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [], pagination: { total: 7, limit: 1000, offset: offset + 1000 } });
    const over = await search({ metadata: { group: 'page' }, offset: offset + 1 });
    expect(over.status).toBe(400);
    expect(Object.keys(over.body.details)).toEqual(['offset']);
  });

  it('answers an empty page as items: [] with the pagination envelope', async () => {
    const res = await search({ external_ids: ['nobody'] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [], pagination: { total: 0, limit: 50, offset: 50 } });
  });

  describe('default limit', () => {
    beforeAll(async () => {
      for (let i = 0; i < 55; i++) await createCustomer(server.api, { external_id: `bulk-${String(i).padStart(2, '0')}`, name: `Bulk ${i}`, metadata: { group: 'bulk' } });
    });

    it('is 50 when absent', async () => {
      const res = await search({ metadata: { group: 'bulk' } });
      expect(res.body.items).toHaveLength(50);
      expect(res.body.pagination).toEqual({ total: 55, limit: 50, offset: 50 });
      const rest = await search({ metadata: { group: 'bulk' }, offset: 50 });
      expect(rest.body.items).toHaveLength(5);
      expect(rest.body.pagination).toEqual({ total: 55, limit: 50, offset: 100 });
    });

    it('is 50 when limit is 0', async () => {
      const res = await search({ metadata: { group: 'bulk' }, limit: 0 });
      expect(res.body.items).toHaveLength(50);
      expect(res.body.pagination).toEqual({ total: 55, limit: 50, offset: 50 });
    });

    it('is 50 on the GET list, absent or 0', async () => {
      for (const query of ['', '?limit=0', '?limit=0&offset=0']) {
        const res = await server.api.get(`/v1/customers${query}`);
        expect(res.status, query).toBe(200);
        expect(res.body.items, query).toHaveLength(50);
        expect(res.body.pagination.limit).toBe(50);
        expect(res.body.pagination.offset).toBe(50);
        expect(res.body.pagination.total).toBe(7 + 6 + 55);
      }
    });

    it('honours the maximum limit of 1000', async () => {
      const res = await server.api.get('/v1/customers?limit=1000');
      expect(res.status).toBe(200);
      expect(res.body.items).toHaveLength(68);
      expect(res.body.pagination).toEqual({ total: 68, limit: 1000, offset: 1000 });
    });
  });

  it.each([
    ['GET', 'offset=99999999999999999999', 'offset'],
    ['GET', `offset=${Number.MAX_SAFE_INTEGER}`, 'offset'],
    ['POST', { offset: 9223372036854775807 }, 'offset'],
    ['GET', 'limit=1001', 'limit'],
    ['GET', 'limit=-1', 'limit'],
    ['GET', 'limit=ten', 'limit'],
    ['GET', 'offset=-1', 'offset'],
    ['POST', { limit: 1001 }, 'limit'],
    ['POST', { limit: -5 }, 'limit'],
    ['POST', { limit: '10' }, 'limit'],
    ['POST', { offset: -1 }, 'offset'],
  ] as const)('%s refuses %j with 400 naming %s', async (method, input, field) => {
    const res = method === 'GET' ? await server.api.get(`/v1/customers?${input}`) : await search(input as Record<string, unknown>);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_error');
    expect(Object.keys(res.body.details)).toEqual([field]);
    expect(res.body.message).toContain(field);
  });
});

describe('ordering', () => {
  it('defaults to newest first', async () => {
    const res = await search({ metadata: { group: 'page' } });
    expect(externalIds(res)).toEqual([...pagedExternalIds].reverse());
    const times = res.body.items.map((c: Customer) => Date.parse(c.created_at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(new Set(times).size).toBe(7);
  });

  it('order: asc is oldest first (search and GET list)', async () => {
    expect(externalIds(await search({ metadata: { group: 'page' }, order: 'asc' }))).toEqual(pagedExternalIds);
    expect(externalIds(await server.api.get(`/v1/customers?${repeat('external_ids', pagedExternalIds)}&order=asc`))).toEqual(pagedExternalIds);
    expect(externalIds(await server.api.get(`/v1/customers?${repeat('external_ids', pagedExternalIds)}&order=desc`))).toEqual(
      [...pagedExternalIds].reverse(),
    );
  });

  it('sorts by name ascending and descending in search', async () => {
    const asc = await search({ metadata: { group: 'page' }, sort: [{ field: 'name', direction: 'asc' }] });
    expect(asc.body.items.map((c: Customer) => c.name)).toEqual([...pageNames].sort());
    const desc = await search({ metadata: { group: 'page' }, sort: [{ field: 'name', direction: 'desc' }] });
    expect(desc.body.items.map((c: Customer) => c.name)).toEqual([...pageNames].sort().reverse());
  });

  it('sorts ascending when a sort condition has no direction', async () => {
    const res = await search({ metadata: { group: 'page' }, sort: [{ field: 'name' }] });
    expect(res.body.items.map((c: Customer) => c.name)).toEqual([...pageNames].sort());
  });

  it('pages through a name sort without gaps or repeats', async () => {
    const first = await search({ metadata: { group: 'page' }, sort: [{ field: 'name', direction: 'asc' }], limit: 4 });
    const second = await search({ metadata: { group: 'page' }, sort: [{ field: 'name', direction: 'asc' }], limit: 4, offset: 4 });
    expect([...first.body.items, ...second.body.items].map((c: Customer) => c.name)).toEqual([...pageNames].sort());
  });

  it('applies sort keys in order, then created_at in `order` as the tiebreaker', async () => {
    // Every paged customer has timezone UTC, so the sort key ties and created_at decides.
    const tie = await search({ metadata: { group: 'page' }, sort: [{ field: 'timezone', direction: 'asc' }], order: 'asc' });
    expect(externalIds(tie)).toEqual(pagedExternalIds);
    const tieDesc = await search({ metadata: { group: 'page' }, sort: [{ field: 'timezone', direction: 'asc' }] });
    expect(externalIds(tieDesc)).toEqual([...pagedExternalIds].reverse());
    const byCity = await search({
      metadata: inFilters,
      sort: [
        { field: 'address_city', direction: 'asc' },
        { field: 'name', direction: 'desc' },
      ],
    });
    // Berlin (Discount…, Acme…), Paris, then the empty cities (NULL sorts last ascending in PostgreSQL).
    expect(externalIds(byCity).slice(0, 3)).toEqual(['f-percent', 'f-acme', 'f-acme-labs']);
    expect(externalIds(byCity).slice(3).sort()).toEqual(['f-hundred', 'f-plain', 'f-underscore']);
  });

  it('sorts the GET list by `sort`, in `order`', async () => {
    const base = `/v1/customers?${repeat('external_ids', pagedExternalIds)}`;
    const asc = await server.api.get(`${base}&sort=name&order=asc`);
    expect(asc.status).toBe(200);
    expect(asc.body.items.map((c: Customer) => c.name)).toEqual([...pageNames].sort());
    const desc = await server.api.get(`${base}&sort=name`);
    expect(desc.body.items.map((c: Customer) => c.name)).toEqual([...pageNames].sort().reverse());
  });

  it('refuses an unknown sort field with 400 naming sort[0].field (search)', async () => {
    const res = await search({ sort: [{ field: 'favourite_color', direction: 'asc' }] });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_error');
    expect(Object.keys(res.body.details)).toEqual(['sort[0].field']);
    expect(res.body.details['sort[0].field']).toContain("'favourite_color'");
  });

  it('names the index of the bad sort condition', async () => {
    const res = await search({ sort: [{ field: 'name', direction: 'asc' }, { field: 'metadata', direction: 'asc' }] });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.details)).toEqual(['sort[1].field']);
  });

  it('refuses an unknown sort field on the GET list, naming the sort parameter', async () => {
    const res = await server.api.get('/v1/customers?sort=favourite_color');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_error');
    expect(Object.keys(res.body.details)).toEqual(['sort']);
    expect(res.body.details.sort).toContain("'favourite_color'");
  });

  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])('refuses Object.prototype names such as %j as sort fields', async (field) => {
    const res = await search({ sort: [{ field, direction: 'asc' }] });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.details)).toEqual(['sort[0].field']);
    const viaGet = await server.api.get(`/v1/customers?sort=${field}`);
    expect(viaGet.status).toBe(400);
    expect(Object.keys(viaGet.body.details)).toEqual(['sort']);
  });

  it('refuses an order or direction that is not asc/desc', async () => {
    const a = await search({ order: 'up' });
    expect(a.status).toBe(400);
    expect(Object.keys(a.body.details)).toEqual(['order']);
    const b = await search({ sort: [{ field: 'name', direction: 'sideways' }] });
    expect(b.status).toBe(400);
    expect(Object.keys(b.body.details)).toEqual(['sort[0].direction']);
    const c = await server.api.get('/v1/customers?order=up');
    expect(c.status).toBe(400);
    expect(Object.keys(c.body.details)).toEqual(['order']);
  });
});

describe('resource keys', () => {
  it('GET list takes repeated external_ids', async () => {
    const res = await server.api.get('/v1/customers?external_ids=page-2&external_ids=page-5&external_ids=nobody');
    expect(res.status).toBe(200);
    expect(externalIds(res)).toEqual(['page-5', 'page-2']);
    expect(res.body.pagination.total).toBe(2);
  });

  it('GET list takes a single external_ids value as a one-element array', async () => {
    const res = await server.api.get('/v1/customers?external_ids=page-3');
    expect(externalIds(res)).toEqual(['page-3']);
  });

  it('GET list takes repeated customer_ids', async () => {
    const res = await server.api.get(`/v1/customers?customer_ids=${paged[0].id}&customer_ids=${paged[6].id}`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((c: Customer) => c.id)).toEqual([paged[6].id, paged[0].id]);
  });

  it('GET list takes external_id and email', async () => {
    const byExternal = await server.api.get('/v1/customers?external_id=f-acme-labs');
    expect(byExternal.body.items.map((c: Customer) => c.id)).toEqual([filtered['f-acme-labs'].id]);
    const byEmail = await server.api.get(`/v1/customers?email=${encodeURIComponent('billing@acme.test')}`);
    expect(byEmail.body.items.map((c: Customer) => c.id)).toEqual([filtered['f-acme'].id]);
    expect(byEmail.body.pagination.total).toBe(1);
  });

  it('GET list refuses an email that is not one, naming email', async () => {
    const res = await server.api.get('/v1/customers?email=not-an-email');
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.details)).toEqual(['email']);
  });

  it('GET list ANDs its keys', async () => {
    const res = await server.api.get('/v1/customers?external_ids=f-acme&external_ids=f-acme-labs&email=labs%40acme.test');
    expect(externalIds(res)).toEqual(['f-acme-labs']);
  });

  it('search takes customer_ids, external_ids, external_id and email, ANDed', async () => {
    expect(externalIds(await search({ customer_ids: [paged[1].id, paged[2].id] }))).toEqual(['page-3', 'page-2']);
    expect(externalIds(await search({ external_ids: ['page-1', 'f-plain'] }))).toEqual(['f-plain', 'page-1']);
    expect(externalIds(await search({ external_id: 'f-underscore' }))).toEqual(['f-underscore']);
    expect(externalIds(await search({ email: 'plain@other.test' }))).toEqual(['f-plain']);
    expect(externalIds(await search({ external_ids: ['page-1', 'f-plain'], customer_ids: [paged[0].id] }))).toEqual(['page-1']);
    expect(externalIds(await search({ external_id: 'page-1', email: 'plain@other.test' }))).toEqual([]);
  });

  it('search refuses NUL characters in its keys, naming each', async () => {
    const res = await search({ external_ids: ['ok', 'a\u0000b'], external_id: 'x\u0000', metadata: { group: 'a\u0000' } });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.details).sort()).toEqual(['external_id', 'external_ids[1]', 'metadata.group']);
    const viaGet = await server.api.get('/v1/customers?external_id=a%00b');
    expect(viaGet.status).toBe(400);
    expect(Object.keys(viaGet.body.details)).toEqual(['external_id']);
  });

  it('search refuses an email that is not one', async () => {
    const res = await search({ email: 'nope' });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.details)).toEqual(['email']);
  });

  it('search matches metadata by containment: every given pair must match', async () => {
    expect(externalIds(await search({ metadata: { group: 'filters', color: 'red' } })).sort()).toEqual(['f-acme', 'f-percent']);
    expect(externalIds(await search({ metadata: { color: 'red', size: 'xl' } }))).toEqual(['f-percent']);
    expect(externalIds(await search({ metadata: { color: 'green' } }))).toEqual([]);
    expect(externalIds(await search({ metadata: { group: 'page', parity: 'odd' } }))).toEqual(['page-6', 'page-4', 'page-2']);
    // An empty map is no condition at all.
    expect((await search({ metadata: {}, external_ids: ['f-plain'] })).body.pagination.total).toBe(1);
  });

  it('search accepts and ignores start_time, end_time and expand', async () => {
    const res = await search({
      metadata: { group: 'page' },
      start_time: '2000-01-01T00:00:00Z',
      end_time: '2000-01-02T00:00:00Z',
      expand: 'integrations',
    });
    expect(res.status).toBe(200);
    expect(res.body.pagination.total).toBe(7);
  });

  it('search refuses unknown status values', async () => {
    const res = await search({ status: 'gone' });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.details)).toEqual(['status']);
  });
});

describe('filter operators', () => {
  const where = (...filters: Record<string, unknown>[]) => search({ metadata: inFilters, filters, order: 'asc' });
  const str = (field: string, operator: string, s: string) => ({ field, operator, data_type: 'string', value: { string: s } });
  const arr = (field: string, operator: string, a: string[]) => ({ field, operator, data_type: 'array', value: { array: a } });
  const date = (field: string, operator: string, d: string) => ({ field, operator, data_type: 'date', value: { date: d } });

  it('eq matches exactly', async () => {
    expect(externalIds(await where(str('name', 'eq', 'Acme Corp')))).toEqual(['f-acme']);
    expect(externalIds(await where(str('name', 'eq', 'acme corp')))).toEqual([]);
    expect(externalIds(await where(str('email', 'eq', 'u@under.test')))).toEqual(['f-underscore']);
  });

  it('contains is a case-insensitive substring match', async () => {
    expect(externalIds(await where(str('name', 'contains', 'ACME')))).toEqual(['f-acme', 'f-acme-labs']);
    expect(externalIds(await where(str('email', 'contains', '@ACME.')))).toEqual(['f-acme', 'f-acme-labs']);
  });

  it('contains treats % and _ literally', async () => {
    expect(externalIds(await where(str('name', 'contains', '%')))).toEqual(['f-percent']);
    expect(externalIds(await where(str('name', 'contains', '100%')))).toEqual(['f-percent']);
    expect(externalIds(await where(str('name', 'contains', '_')))).toEqual(['f-underscore']);
    expect(externalIds(await where(str('name', 'contains', 'r_s')))).toEqual(['f-underscore']);
    expect(externalIds(await where(str('name', 'contains', '\\')))).toEqual([]);
  });

  it('not_contains excludes case-insensitive matches and keeps customers without a value', async () => {
    expect(externalIds(await where(str('name', 'not_contains', 'acme')))).toEqual(['f-percent', 'f-underscore', 'f-plain', 'f-hundred']);
    expect(externalIds(await where(str('name', 'not_contains', '_')))).toEqual(['f-acme', 'f-acme-labs', 'f-percent', 'f-plain', 'f-hundred']);
    // f-percent and f-hundred have no email: they do not contain "acme".
    expect(externalIds(await where(str('email', 'not_contains', 'ACME')))).toEqual(['f-percent', 'f-underscore', 'f-plain', 'f-hundred']);
  });

  it('in and not_in take value.array', async () => {
    expect(externalIds(await where(arr('external_id', 'in', ['f-plain', 'f-acme', 'nobody'])))).toEqual(['f-acme', 'f-plain']);
    expect(externalIds(await where(arr('external_id', 'not_in', ['f-plain', 'f-acme'])))).toEqual([
      'f-acme-labs',
      'f-percent',
      'f-underscore',
      'f-hundred',
    ]);
    // Customers with no city are not "in" a list of cities and are "not in" it.
    expect(externalIds(await where(arr('address_city', 'in', ['Berlin'])))).toEqual(['f-acme', 'f-percent']);
    expect(externalIds(await where(arr('address_city', 'not_in', ['Berlin'])))).toEqual(['f-acme-labs', 'f-underscore', 'f-plain', 'f-hundred']);
  });

  it('gt, gte, lt, before and after compare created_at with value.date', async () => {
    const pivot = filtered['f-percent'].created_at;
    expect(externalIds(await where(date('created_at', 'gt', pivot)))).toEqual(['f-underscore', 'f-plain', 'f-hundred']);
    expect(externalIds(await where(date('created_at', 'after', pivot)))).toEqual(['f-underscore', 'f-plain', 'f-hundred']);
    expect(externalIds(await where(date('created_at', 'gte', pivot)))).toEqual(['f-percent', 'f-underscore', 'f-plain', 'f-hundred']);
    expect(externalIds(await where(date('created_at', 'lt', pivot)))).toEqual(['f-acme', 'f-acme-labs']);
    expect(externalIds(await where(date('created_at', 'before', pivot)))).toEqual(['f-acme', 'f-acme-labs']);
    expect(externalIds(await where(date('created_at', 'eq', pivot)))).toEqual(['f-percent']);
  });

  it('reads value.date with an offset as the same instant', async () => {
    const pivot = new Date(filtered['f-percent'].created_at);
    // The same instant written at +02:00.
    const shifted = new Date(pivot.getTime() + 2 * 3600_000).toISOString().replace('Z', '+02:00');
    expect(externalIds(await where(date('created_at', 'eq', shifted)))).toEqual(['f-percent']);
  });

  it('ANDs conditions, and composes a range from after + before', async () => {
    const from = filtered['f-acme'].created_at;
    const to = filtered['f-plain'].created_at;
    expect(externalIds(await where(date('created_at', 'after', from), date('created_at', 'before', to)))).toEqual([
      'f-acme-labs',
      'f-percent',
      'f-underscore',
    ]);
    expect(externalIds(await where(str('name', 'contains', 'acme'), str('name', 'not_contains', 'labs')))).toEqual(['f-acme']);
  });

  it('reads an unset text field as the empty string it is sent as', async () => {
    // f-percent and f-hundred have no email; the wire shows them as "".
    expect(externalIds(await where(str('email', 'eq', '')))).toEqual(['f-percent', 'f-hundred']);
    expect(externalIds(await where(arr('email', 'in', ['', 'u@under.test'])))).toEqual(['f-percent', 'f-underscore', 'f-hundred']);
    expect(externalIds(await where(arr('email', 'not_in', ['', 'u@under.test'])))).toEqual(['f-acme', 'f-acme-labs', 'f-plain']);
    // Every string contains "", and none fails to.
    expect((await where(str('email', 'contains', ''))).body.pagination.total).toBe(6);
    expect((await where(str('email', 'not_contains', ''))).body.pagination.total).toBe(0);
    expect(externalIds(await where(str('address_city', 'eq', '')))).toEqual(['f-underscore', 'f-plain', 'f-hundred']);
  });

  it('filters updated_at and the address fields', async () => {
    expect(externalIds(await where(str('address_city', 'eq', 'Paris')))).toEqual(['f-acme-labs']);
    expect(externalIds(await where(date('updated_at', 'lt', filtered['f-acme-labs'].updated_at)))).toEqual(['f-acme']);
  });

  describe('refusals', () => {
    const refuse = async (filter: Record<string, unknown>, field: string) => {
      const res = await search({ filters: [filter] });
      expect(res.status, JSON.stringify(filter)).toBe(400);
      expect(res.body).toMatchObject({ code: 'validation_error', http_status_code: 400, success: false });
      expect(Object.keys(res.body.details), JSON.stringify(filter)).toEqual([field]);
      expect(res.body.message).toContain(field);
      return res.body;
    };

    it('an unknown field → 400 naming filters[0].field', async () => {
      const body = await refuse(str('favourite_color', 'eq', 'red'), 'filters[0].field');
      expect(body.details['filters[0].field']).toContain("unknown field name 'favourite_color' in customer query");
    });

    it('metadata is not a filterable column', async () => {
      await refuse(str('metadata', 'eq', 'x'), 'filters[0].field');
    });

    it.each(['constructor', 'toString', '__proto__', 'valueOf'])('Object.prototype names such as %j are unknown fields', async (field) => {
      await refuse(str(field, 'eq', 'x'), 'filters[0].field');
    });

    it.each<[Record<string, unknown>, string]>([
      [str('name', 'gt', 'a'), 'gt on a string'],
      [{ field: 'name', operator: 'lt', data_type: 'number', value: { number: 3 } }, 'lt on a string'],
      [str('name', 'before', '2020-01-01T00:00:00Z'), 'before on a string'],
      [str('created_at', 'contains', '2020'), 'contains on a date'],
      [arr('created_at', 'in', ['2020-01-01T00:00:00Z']), 'in on a date'],
    ])('an operator that does not apply (%j, %s) → 400 naming filters[0].operator', async (filter) => {
      await refuse(filter, 'filters[0].operator');
    });

    it.each<[Record<string, unknown>]>([
      [{ field: 'name', operator: 'eq', data_type: 'number', value: { number: 1 } }],
      [{ field: 'name', operator: 'contains', data_type: 'array', value: { array: ['a'] } }],
      [{ field: 'external_id', operator: 'in', data_type: 'string', value: { string: 'a' } }],
      [{ field: 'created_at', operator: 'gt', data_type: 'string', value: { string: '2020-01-01T00:00:00Z' } }],
      [{ field: 'created_at', operator: 'gt', data_type: 'number', value: { number: 1 } }],
    ])('a data_type that does not match (%j) → 400 naming filters[0].data_type', async (filter) => {
      await refuse(filter, 'filters[0].data_type');
    });

    it('a missing value member → 400 naming it', async () => {
      await refuse({ field: 'name', operator: 'eq', data_type: 'string', value: {} }, 'filters[0].value.string');
      await refuse({ field: 'name', operator: 'eq', data_type: 'string', value: { number: 3 } }, 'filters[0].value.string');
      await refuse({ field: 'created_at', operator: 'after', data_type: 'date', value: { string: 'yesterday' } }, 'filters[0].value.date');
    });

    it('an empty array for in / not_in → 400 naming filters[0].value.array', async () => {
      await refuse(arr('external_id', 'in', []), 'filters[0].value.array');
      await refuse(arr('external_id', 'not_in', []), 'filters[0].value.array');
    });

    it('a value.date that is not RFC 3339 → 400', async () => {
      await refuse(date('created_at', 'after', 'last tuesday'), 'filters[0].value.date');
    });

    it('a leap-second value.date (valid RFC 3339, not representable) → 400, not 500', async () => {
      await refuse(date('created_at', 'after', '2016-12-31T23:59:60Z'), 'filters[0].value.date');
    });

    it('a NUL character in a string or array value → 400, not 500', async () => {
      await refuse(str('name', 'contains', 'a\u0000b'), 'filters[0].value.string');
      await refuse(arr('external_id', 'in', ['ok', '\u0000']), 'filters[0].value.array[1]');
    });

    it('an operator outside the enum → 400 naming filters[0].operator', async () => {
      await refuse({ field: 'name', operator: 'like', data_type: 'string', value: { string: 'a' } }, 'filters[0].operator');
    });

    it('a condition missing a member → 400 naming it', async () => {
      await refuse({ field: 'name', operator: 'eq', value: { string: 'a' } }, 'filters[0].data_type');
      await refuse({ operator: 'eq', data_type: 'string', value: { string: 'a' } }, 'filters[0].field');
      await refuse({ field: 'name', operator: 'eq', data_type: 'string' }, 'filters[0].value');
    });

    it('names every bad condition by its index in one response', async () => {
      const res = await search({
        filters: [str('name', 'eq', 'ok'), str('nope', 'eq', 'x'), str('name', 'gt', 'x'), arr('external_id', 'in', [])],
      });
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.details).sort()).toEqual(['filters[1].field', 'filters[2].operator', 'filters[3].value.array']);
    });
  });
});

describe('deleted customers', () => {
  it('leave the list and search, and show up with status deleted', async () => {
    const doomed = await createCustomer(server.api, { external_id: 'ls-deleted', name: 'Soon Gone', metadata: { group: 'deleted' } });
    await createCustomer(server.api, { external_id: 'ls-kept', name: 'Kept', metadata: { group: 'deleted' } });
    expect((await server.api.delete(`/v1/customers/${doomed.id}`)).status).toBe(204);

    expect(externalIds(await search({ metadata: { group: 'deleted' } }))).toEqual(['ls-kept']);
    expect(externalIds(await server.api.get('/v1/customers?external_ids=ls-deleted&external_ids=ls-kept'))).toEqual(['ls-kept']);

    const deleted = await search({ metadata: { group: 'deleted' }, status: 'deleted' });
    expect(deleted.body.items).toHaveLength(1);
    expect(deleted.body.items[0]).toMatchObject({ id: doomed.id, status: 'deleted' });
    expect(deleted.body.pagination.total).toBe(1);
    const viaGet = await server.api.get('/v1/customers?status=deleted&external_id=ls-deleted');
    expect(viaGet.body.items.map((c: Customer) => c.id)).toEqual([doomed.id]);
    const published = await search({ metadata: { group: 'deleted' }, status: 'published' });
    expect(externalIds(published)).toEqual(['ls-kept']);
  });
});
