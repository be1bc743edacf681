import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../support/api-client.ts';
import { count, createCoupon, expectRefused, unique, useTestServer } from '../../support/fixtures.ts';
import { productionApi } from '../../support/test-server.ts';

const server = useTestServer();
let api: ApiClient;
let prod: ApiClient;
beforeAll(async () => {
  api = server.api;
  prod = (await productionApi(server)).api;
});

const couponId = /^coupon_[0-9A-HJKMNP-TV-Z]{26}$/;
const ids = (res: { body: { items: Array<{ id: string }> } }) => res.body.items.map((c) => c.id);

const percentage = (extra: Record<string, unknown> = {}) => ({ name: 'Twenty off', type: 'percentage', percentage_off: '20', cadence: 'forever', ...extra });
const fixed = (extra: Record<string, unknown> = {}) => ({ name: 'Ten dollars', type: 'fixed', amount_off: '10', currency: 'usd', cadence: 'once', ...extra });

/** Coupons of the environment, any status, read through the lists' totals. */
const couponCount = () => count(api, '/v1/coupons', ['published', 'archived']);

/** Posts a create that must fail with `status` and proves no coupon was written; returns the error body. */
const refuseCoupon = (body: unknown, status = 400) => expectRefused(api, { path: '/v1/coupons', body }, { status }, couponCount);

describe('POST /v1/coupons', () => {
  it('creates a repeated percentage coupon with every field, as FlexPrice returns it', async () => {
    const c = await createCoupon(api, {
      name: 'Spring sale',
      coupon_code: '  Spring-25  ',
      type: 'percentage',
      percentage_off: '12.50',
      cadence: 'repeated',
      duration_in_periods: 3,
      max_redemptions: 100,
      redeem_after: '2026-03-01T00:00:00+01:00',
      redeem_before: '2026-06-01T00:00:00Z',
      rules: { min_quantity: 2, plans: ['pro'] },
      metadata: { campaign: 'spring' },
    });
    expect(c.id).toMatch(couponId);
    expect(c).toEqual({
      id: c.id,
      name: 'Spring sale',
      coupon_code: 'spring-25',
      type: 'percentage',
      cadence: 'repeated',
      amount_off: '0',
      percentage_off: '12.5',
      currency: '',
      duration_in_periods: 3,
      max_redemptions: 100,
      total_redemptions: 0,
      redeem_after: '2026-02-28T23:00:00.000Z',
      redeem_before: '2026-06-01T00:00:00.000Z',
      rules: { min_quantity: 2, plans: ['pro'] },
      metadata: { campaign: 'spring' },
      environment_id: server.bootstrap.defaultEnvironmentId,
      tenant_id: server.bootstrap.tenantId,
      status: 'published',
      created_at: c.created_at,
      updated_at: c.created_at,
      created_by: c.created_by,
      updated_by: c.created_by,
    });
    expect(c.created_by).toMatch(/^secret_/);
    expect((await api.get(`/v1/coupons/${c.id}`)).body).toEqual(c);
  });

  it('creates a fixed coupon: amount_off as a trimmed decimal string, currency lower-cased, unset fields null, no coupon_code', async () => {
    const c = await createCoupon(api, { name: 'Ten off', type: 'fixed', amount_off: 10.5, currency: 'USD', cadence: 'once' });
    expect(c).toMatchObject({
      type: 'fixed',
      cadence: 'once',
      amount_off: '10.5',
      percentage_off: '0',
      currency: 'usd',
      duration_in_periods: null,
      max_redemptions: null,
      total_redemptions: 0,
      redeem_after: null,
      redeem_before: null,
      rules: null,
      metadata: {},
    });
    expect('coupon_code' in c).toBe(false);
    expect((await api.get(`/v1/coupons/${c.id}`)).body).toEqual(c);
  });

  it('keeps decimals exact: "100.000" → "100", "0.0006" stays', async () => {
    expect((await createCoupon(api, fixed({ amount_off: '100.000' }))).amount_off).toBe('100');
    expect((await createCoupon(api, fixed({ amount_off: '0.0006' }))).amount_off).toBe('0.0006');
    expect((await createCoupon(api, percentage({ percentage_off: '100' }))).percentage_off).toBe('100');
    expect((await createCoupon(api, percentage({ percentage_off: 0.01 }))).percentage_off).toBe('0.01');
  });

  it('drops a currency given to a percentage coupon, as FlexPrice does', async () => {
    expect((await createCoupon(api, percentage({ currency: 'EUR' }))).currency).toBe('');
  });

  it('accepts the boundaries: max_redemptions 1 and 1,000,000, redeem_after equal to redeem_before', async () => {
    expect((await createCoupon(api, fixed({ max_redemptions: 1 }))).max_redemptions).toBe(1);
    expect((await createCoupon(api, fixed({ max_redemptions: 1_000_000 }))).max_redemptions).toBe(1_000_000);
    const at = '2026-05-01T12:00:00Z';
    expect(await createCoupon(api, fixed({ redeem_after: at, redeem_before: at }))).toMatchObject({
      redeem_after: '2026-05-01T12:00:00.000Z',
      redeem_before: '2026-05-01T12:00:00.000Z',
    });
  });

  it('treats a blank coupon_code as none', async () => {
    expect('coupon_code' in (await createCoupon(api, fixed({ coupon_code: '   ' })))).toBe(false);
  });

  it('ignores total_redemptions in the request: it always starts at 0', async () => {
    expect((await createCoupon(api, fixed({ total_redemptions: 7 }))).total_redemptions).toBe(0);
  });
});

describe('POST /v1/coupons validation: 400 naming the field, nothing written', () => {
  it.each<[string, Record<string, unknown>, Record<string, string>]>([
    ['a missing name, type and cadence', {}, { name: 'is required', type: 'is required', cadence: 'is required' }],
    ['a blank name', fixed({ name: '   ' }), { name: 'must not be blank' }],
    ['an unknown type', fixed({ type: 'bogo' }), { type: 'must be one of: fixed, percentage' }],
    ['an unknown cadence', fixed({ cadence: 'weekly' }), { cadence: 'must be one of: once, repeated, forever' }],
    ['a fixed coupon without amount_off', fixed({ amount_off: undefined }), { amount_off: 'is required for a fixed coupon' }],
    ['amount_off 0', fixed({ amount_off: '0' }), { amount_off: 'must be greater than 0' }],
    ['a negative amount_off', fixed({ amount_off: -5 }), { amount_off: 'must be greater than 0' }],
    ['a non-decimal amount_off', fixed({ amount_off: 'ten' }), { amount_off: `'ten' is not a decimal number (e.g. "0.001")` }],
    [
      'percentage_off on a fixed coupon',
      fixed({ percentage_off: '10' }),
      { percentage_off: 'is only for a percentage coupon; a fixed coupon takes amount_off' },
    ],
    ['a fixed coupon without currency', fixed({ currency: undefined }), { currency: 'is required for a fixed coupon (the three-letter currency of amount_off)' }],
    ['a currency that is not three letters', fixed({ currency: 'us' }), { currency: `must be a three-letter ISO currency code (e.g. "usd"), got 'us'` }],
    ['a currency with digits', fixed({ currency: 'us1' }), { currency: `must be a three-letter ISO currency code (e.g. "usd"), got 'us1'` }],
    ['a percentage coupon without percentage_off', percentage({ percentage_off: undefined }), { percentage_off: 'is required for a percentage coupon' }],
    ['percentage_off 0', percentage({ percentage_off: '0' }), { percentage_off: 'must be greater than 0' }],
    ['percentage_off over 100', percentage({ percentage_off: '100.01' }), { percentage_off: 'must be at most 100' }],
    [
      'amount_off on a percentage coupon',
      percentage({ amount_off: '5' }),
      { amount_off: 'is only for a fixed coupon; a percentage coupon takes percentage_off' },
    ],
    ['a repeated coupon without duration_in_periods', fixed({ cadence: 'repeated' }), { duration_in_periods: 'is required for a repeated coupon' }],
    ['duration_in_periods 0', fixed({ cadence: 'repeated', duration_in_periods: 0 }), { duration_in_periods: 'must be >= 1' }],
    ['duration_in_periods on a once coupon', fixed({ duration_in_periods: 2 }), { duration_in_periods: 'is only for a repeated coupon, not a once one' }],
    [
      'duration_in_periods on a forever coupon',
      percentage({ duration_in_periods: 2 }),
      { duration_in_periods: 'is only for a repeated coupon, not a forever one' },
    ],
    ['max_redemptions 0', fixed({ max_redemptions: 0 }), { max_redemptions: 'must be >= 1' }],
    ['max_redemptions over 1,000,000', fixed({ max_redemptions: 1_000_001 }), { max_redemptions: 'must be <= 1000000' }],
    ['a fractional max_redemptions', fixed({ max_redemptions: 1.5 }), { max_redemptions: 'must be integer' }],
    [
      'redeem_after later than redeem_before',
      fixed({ redeem_after: '2026-06-01T00:00:00Z', redeem_before: '2026-05-31T23:59:59Z' }),
      { redeem_before: 'must not be before redeem_after' },
    ],
    ['a redeem_before that is not RFC 3339', fixed({ redeem_before: '2026-06-01' }), { redeem_before: 'must be a valid date-time' }],
    ['a leap-second redeem_after', fixed({ redeem_after: '2016-12-31T23:59:60Z' }), { redeem_after: 'is not a representable date-time' }],
    ['rules that are not an object', fixed({ rules: ['a'] }), { rules: 'must be object' }],
    ['metadata values that are not strings', fixed({ metadata: { n: 1 } }), { 'metadata.n': 'must be string' }],
  ])('refuses %s', async (_case, body, details) => {
    expect((await refuseCoupon(body)).details).toEqual(details);
  });

  it('names every offending field at once', async () => {
    const details = (await refuseCoupon({ name: 'X', type: 'fixed', cadence: 'repeated', amount_off: '0', max_redemptions: 5 })).details;
    expect(Object.keys(details).sort()).toEqual(['amount_off', 'currency', 'duration_in_periods']);
  });
});

describe('coupon_code', () => {
  it('is unique among published coupons of the environment, case-insensitively: 409, nothing written', async () => {
    const first = await createCoupon(api, fixed({ coupon_code: 'WELCOME' }));
    expect(first.coupon_code).toBe('welcome');
    const body = await refuseCoupon(percentage({ coupon_code: ' welcome ' }), 409);
    expect(body).toMatchObject({
      code: 'already_exists',
      http_status_code: 409,
      message: 'A published coupon with this code already exists in this environment',
      details: { coupon_code: 'welcome' },
    });
  });

  it('holds under concurrent creates: exactly one wins', async () => {
    const shared = unique('race');
    const results = await Promise.all([0, 1, 2, 3].map(() => api.post('/v1/coupons', fixed({ coupon_code: shared.toUpperCase() }))));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    const found = await api.post('/v1/coupons/search', { coupon_codes: [shared] });
    expect(found.body.pagination.total).toBe(1);
  });

  it('is free again once the coupon is deleted (archived)', async () => {
    const shared = unique('reuse');
    const old = await createCoupon(api, fixed({ coupon_code: shared }));
    expect((await api.delete(`/v1/coupons/${old.id}`)).status).toBe(200);
    const again = await createCoupon(api, percentage({ coupon_code: shared.toUpperCase() }));
    expect(again.coupon_code).toBe(shared);
    expect((await api.get(`/v1/coupons/code/${shared}`)).body.id).toBe(again.id);
  });

  it('is per environment: production may use a development code', async () => {
    const shared = unique('envcode');
    const dev = await createCoupon(api, fixed({ coupon_code: shared }));
    const live = await createCoupon(prod, fixed({ coupon_code: shared }));
    expect(live.id).not.toBe(dev.id);
    expect(live.environment_id).not.toBe(dev.environment_id);
  });
});

describe('GET /v1/coupons/{id} and /v1/coupons/code/{code}', () => {
  it('answers 404 for an unknown id', async () => {
    const res = await api.get('/v1/coupons/coupon_nope');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'not_found', message: 'Coupon with ID coupon_nope was not found', details: { id: 'coupon_nope' } });
  });

  it('finds a published coupon by code, trimmed and case-insensitively', async () => {
    const c = await createCoupon(api, percentage({ coupon_code: 'BlackFriday' }));
    for (const asked of ['blackfriday', 'BLACKFRIDAY', 'BlackFriday', '%20blackFRIDAY%20']) {
      const res = await api.get(`/v1/coupons/code/${asked}`);
      expect(res.status, asked).toBe(200);
      expect(res.body).toEqual(c);
    }
  });

  it('does not find an archived coupon by code (FlexPrice looks up published ones), but still by id', async () => {
    const shared = unique('gone');
    const c = await createCoupon(api, fixed({ coupon_code: shared }));
    await api.delete(`/v1/coupons/${c.id}`);
    const byCode = await api.get(`/v1/coupons/code/${shared}`);
    expect(byCode.status).toBe(404);
    expect(byCode.body).toMatchObject({ code: 'not_found', message: `Coupon with code '${shared}' was not found`, details: { coupon_code: shared } });
    const byId = await api.get(`/v1/coupons/${c.id}`);
    expect(byId.status).toBe(200);
    expect(byId.body.status).toBe('archived');
  });

  it('refuses a blank code with 400 naming it', async () => {
    const res = await api.get('/v1/coupons/code/%20%20');
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual({ code: 'must not be blank' });
  });
});

describe('PUT /v1/coupons/{id}', () => {
  it('renames and replaces metadata; absent fields stay; the discount never changes', async () => {
    const c = await createCoupon(api, fixed({ coupon_code: unique('edit'), metadata: { a: '1', b: '2' } }));
    server.clock.advance(1_000);
    const renamed = await api.put(`/v1/coupons/${c.id}`, { name: 'Ten dollars (renewed)', amount_off: '99', coupon_code: 'other' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toEqual({ ...c, name: 'Ten dollars (renewed)', updated_at: renamed.body.updated_at });
    expect(renamed.body.updated_at > c.updated_at).toBe(true);
    const meta = await api.put(`/v1/coupons/${c.id}`, { metadata: { c: '3' } });
    expect(meta.body).toMatchObject({ name: 'Ten dollars (renewed)', metadata: { c: '3' }, amount_off: '10', coupon_code: c.coupon_code });
    expect((await api.get(`/v1/coupons/${c.id}`)).body).toEqual(meta.body);
  });

  it('refuses a blank or empty name, writing nothing', async () => {
    const c = await createCoupon(api, fixed());
    for (const name of ['', '  ']) {
      const res = await api.put(`/v1/coupons/${c.id}`, { name, metadata: { x: 'y' } });
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.details)).toEqual(['name']);
    }
    expect((await api.get(`/v1/coupons/${c.id}`)).body).toEqual(c);
  });

  it('answers 404 for an unknown coupon', async () => {
    expect((await api.put('/v1/coupons/coupon_nope', { name: 'x' })).status).toBe(404);
  });
});

describe('DELETE /v1/coupons/{id}', () => {
  it('archives the coupon: FlexPrice’s message, out of published lists, readable by id', async () => {
    const c = await createCoupon(api, fixed({ coupon_code: unique('del') }));
    server.clock.advance(1_000);
    const res = await api.delete(`/v1/coupons/${c.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: 'Coupon deleted successfully' });
    const after = (await api.get(`/v1/coupons/${c.id}`)).body;
    expect(after).toEqual({ ...c, status: 'archived', updated_at: after.updated_at });
    expect((await api.get(`/v1/coupons?coupon_ids=${c.id}`)).body.items).toEqual([]);
    expect((await api.get(`/v1/coupons?coupon_ids=${c.id}&status=archived`)).body.items).toEqual([after]);
  });

  it('deleting again changes nothing', async () => {
    const c = await createCoupon(api, fixed());
    await api.delete(`/v1/coupons/${c.id}`);
    const first = (await api.get(`/v1/coupons/${c.id}`)).body;
    server.clock.advance(1_000);
    expect((await api.delete(`/v1/coupons/${c.id}`)).status).toBe(200);
    expect((await api.get(`/v1/coupons/${c.id}`)).body).toEqual(first);
  });

  it('answers 404 for an unknown coupon', async () => {
    const res = await api.delete('/v1/coupons/coupon_nope');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('not_found');
  });
});

describe('listing and searching', () => {
  let started: string;
  let made: Array<Record<string, any>>;
  beforeAll(async () => {
    server.clock.advance(3_600_000);
    started = server.clock.now().toISOString();
    made = [];
    for (const body of [
      fixed({ name: 'List Charlie', coupon_code: 'LIST-C', amount_off: '30' }),
      percentage({ name: 'List Alpha', coupon_code: 'list-a', percentage_off: '5' }),
      percentage({ name: 'List Bravo', percentage_off: '50', cadence: 'repeated', duration_in_periods: 2 }),
    ]) {
      server.clock.advance(60_000);
      made.push(await createCoupon(api, body));
    }
  });

  it('GET lists published coupons newest first; pagination.offset echoes the request offset (FlexPrice’s coupon quirk)', async () => {
    const res = await api.get(`/v1/coupons?start_time=${started}`);
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([made[2], made[1], made[0]]);
    expect(res.body.pagination).toEqual({ total: 3, limit: 50, offset: 0 });
    const page1 = await api.get(`/v1/coupons?start_time=${started}&limit=2`);
    expect(ids(page1)).toEqual([made[2].id, made[1].id]);
    expect(page1.body.pagination).toEqual({ total: 3, limit: 2, offset: 0 });
    const page2 = await api.get(`/v1/coupons?start_time=${started}&limit=2&offset=2`);
    expect(ids(page2)).toEqual([made[0].id]);
    expect(page2.body.pagination).toEqual({ total: 3, limit: 2, offset: 2 });
    const past = await api.get(`/v1/coupons?start_time=${started}&limit=2&offset=10`);
    expect(past.body).toEqual({ items: [], pagination: { total: 3, limit: 2, offset: 10 } });
  });

  it('GET filters by coupon_ids and coupon_codes (repeated, case-insensitive) and sorts', async () => {
    expect(ids(await api.get('/v1/coupons?coupon_codes=LIST-A&coupon_codes=list-c&sort=name&order=asc'))).toEqual([made[1].id, made[0].id]);
    expect(ids(await api.get(`/v1/coupons?coupon_ids=${made[2].id}&coupon_ids=${made[0].id}`))).toEqual([made[2].id, made[0].id]);
    expect(ids(await api.get(`/v1/coupons?start_time=${started}&sort=name&order=desc`))).toEqual([made[0].id, made[2].id, made[1].id]);
  });

  it('POST /coupons/search takes coupon_ids, coupon_codes, filters, sort and pages with the request offset', async () => {
    const res = await api.post('/v1/coupons/search', {
      start_time: started,
      filters: [{ field: 'type', operator: 'eq', data_type: 'string', value: { string: 'percentage' } }],
      sort: [{ field: 'percentage_off', direction: 'desc' }],
    });
    expect(res.status).toBe(200);
    expect(ids(res)).toEqual([made[2].id, made[1].id]);
    expect(res.body.pagination).toEqual({ total: 2, limit: 50, offset: 0 });
    const paged = await api.post('/v1/coupons/search', { start_time: started, limit: 1, offset: 1, sort: [{ field: 'name', direction: 'asc' }] });
    expect(ids(paged)).toEqual([made[2].id]);
    expect(paged.body.pagination).toEqual({ total: 3, limit: 1, offset: 1 });
    const byCode = await api.post('/v1/coupons/search', { coupon_codes: [' List-C '] });
    expect(ids(byCode)).toEqual([made[0].id]);
    const byIds = await api.post('/v1/coupons/search', { coupon_ids: [made[1].id, 'coupon_nope'] });
    expect(ids(byIds)).toEqual([made[1].id]);
    const byAmount = await api.post('/v1/coupons/search', {
      start_time: started,
      filters: [{ field: 'amount_off', operator: 'gt', data_type: 'number', value: { number: 20 } }],
    });
    expect(ids(byAmount)).toEqual([made[0].id]);
    const byName = await api.post('/v1/coupons/search', { filters: [{ field: 'name', operator: 'contains', data_type: 'string', value: { string: 'list b' } }] });
    expect(ids(byName)).toEqual([made[2].id]);
    const cadence = await api.post('/v1/coupons/search', {
      start_time: started,
      filters: [{ field: 'cadence', operator: 'in', data_type: 'array', value: { array: ['repeated', 'once'] } }],
    });
    expect(ids(cadence)).toEqual([made[2].id, made[0].id]);
  });

  it('search and list show archived coupons only when asked', async () => {
    const c = await createCoupon(api, fixed({ name: 'List archived' }));
    await api.delete(`/v1/coupons/${c.id}`);
    expect(ids(await api.post('/v1/coupons/search', { coupon_ids: [c.id] }))).toEqual([]);
    expect(ids(await api.post('/v1/coupons/search', { coupon_ids: [c.id], status: 'archived' }))).toEqual([c.id]);
  });

  it('refuses unknown filter and sort fields, bad paging and a reversed time range', async () => {
    const filter = await api.post('/v1/coupons/search', { filters: [{ field: 'colour', operator: 'eq', data_type: 'string', value: { string: 'x' } }] });
    expect(filter.status).toBe(400);
    expect(Object.keys(filter.body.details)).toEqual(['filters[0].field']);
    const sortBody = await api.post('/v1/coupons/search', { sort: [{ field: 'colour', direction: 'asc' }] });
    expect(Object.keys(sortBody.body.details)).toEqual(['sort[0].field']);
    const sort = await api.get('/v1/coupons?sort=colour');
    expect(sort.status).toBe(400);
    expect(Object.keys(sort.body.details)).toEqual(['sort']);
    const limit = await api.get('/v1/coupons?limit=1001');
    expect(limit.status).toBe(400);
    expect(Object.keys(limit.body.details)).toEqual(['limit']);
    const offset = await api.post('/v1/coupons/search', { offset: -1 });
    expect(Object.keys(offset.body.details)).toEqual(['offset']);
    const range = await api.post('/v1/coupons/search', { start_time: '2025-02-01T00:00:00Z', end_time: '2025-01-01T00:00:00Z' });
    expect(range.body.details).toEqual({ end_time: 'must not be before start_time' });
  });
});

describe('environments are isolated', () => {
  let devCoupon: Record<string, any>;
  beforeAll(async () => {
    devCoupon = await createCoupon(api, fixed({ coupon_code: unique('devonly') }));
  });

  it('a production key cannot read, find by code, list, search, update or delete a development coupon', async () => {
    expect((await prod.get(`/v1/coupons/${devCoupon.id}`)).status).toBe(404);
    expect((await prod.get(`/v1/coupons/code/${devCoupon.coupon_code}`)).status).toBe(404);
    expect((await prod.get(`/v1/coupons?coupon_ids=${devCoupon.id}`)).body.items).toEqual([]);
    expect((await prod.post('/v1/coupons/search', { coupon_codes: [devCoupon.coupon_code] })).body.items).toEqual([]);
    expect((await prod.put(`/v1/coupons/${devCoupon.id}`, { name: 'hijacked' })).status).toBe(404);
    expect((await prod.delete(`/v1/coupons/${devCoupon.id}`)).status).toBe(404);
    expect((await api.get(`/v1/coupons/${devCoupon.id}`)).body).toEqual(devCoupon);
  });

  it('each environment lists only its own coupons', async () => {
    const live = await createCoupon(prod, percentage({ name: 'Prod only' }));
    const prodItems = (await prod.get('/v1/coupons?limit=1000')).body.items as Array<{ id: string; environment_id: string }>;
    expect(prodItems.map((c) => c.id)).toContain(live.id);
    expect(prodItems.every((c) => c.environment_id === live.environment_id)).toBe(true);
    expect(ids(await api.get(`/v1/coupons?coupon_ids=${live.id}`))).toEqual([]);
  });
});
