import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../support/api-client.ts';
import { count, createCustomer, expectRefused, unique, useTestServer } from '../../support/fixtures.ts';
import { productionApi } from '../../support/test-server.ts';

const server = useTestServer();
let api: ApiClient;
let prod: ApiClient;
beforeAll(async () => {
  api = server.api;
  prod = (await productionApi(server)).api;
});

const taxRateId = /^taxrate_[0-9A-HJKMNP-TV-Z]{26}$/;

const percentage = (extra: Record<string, unknown> = {}) => ({ name: 'US Sales Tax', code: unique('TAX_US'), tax_rate_type: 'percentage', percentage_value: '8.25', ...extra });
const fixed = (extra: Record<string, unknown> = {}) => ({ name: 'Regulatory fee', code: unique('FEE'), tax_rate_type: 'fixed', fixed_value: '5', ...extra });

async function createRate(body: Record<string, unknown>): Promise<any> {
  const res = await api.post('/v1/taxes/rates', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** Tax rates of the environment, any status. */
const rateCount = () => count(api, '/v1/taxes/rates', [undefined, 'archived']);
const refuseRate = (body: unknown, status = 400) => expectRefused(api, { path: '/v1/taxes/rates', body }, { status }, rateCount);

describe('POST /v1/taxes/rates', () => {
  it('creates a percentage rate with every field, as FlexPrice returns a stored rate', async () => {
    const code = unique('TAX_US_CA');
    const r = await createRate({
      name: 'US Sales Tax',
      code,
      description: 'California state sales tax',
      tax_rate_type: 'percentage',
      percentage_value: '8.250',
      scope: 'EXTERNAL',
      metadata: { region: 'us-ca' },
    });
    expect(r.id).toMatch(taxRateId);
    expect(r).toEqual({
      id: r.id,
      name: 'US Sales Tax',
      description: 'California state sales tax',
      code,
      tax_rate_status: 'ACTIVE',
      tax_rate_type: 'percentage',
      scope: 'EXTERNAL',
      percentage_value: '8.25',
      fixed_value: '0',
      metadata: { region: 'us-ca' },
      environment_id: server.bootstrap.defaultEnvironmentId,
      tenant_id: server.bootstrap.tenantId,
      status: 'published',
      created_at: r.created_at,
      updated_at: r.created_at,
      created_by: r.created_by,
      updated_by: r.created_by,
    });
    expect(r.created_by).toMatch(/^secret_/);
    expect((await api.get(`/v1/taxes/rates/${r.id}`)).body).toEqual(r);
  });

  it('creates a fixed rate: scope INTERNAL by default, no description member, the unused percentage "0"', async () => {
    const r = await createRate(fixed({ fixed_value: 1.5 }));
    expect(r).toMatchObject({ tax_rate_type: 'fixed', fixed_value: '1.5', percentage_value: '0', scope: 'INTERNAL', tax_rate_status: 'ACTIVE', metadata: {} });
    expect('description' in r).toBe(false);
  });

  it('keeps every digit exactly: "8.123456789" stays, "100.000" → "100", 0 and 100 are the bounds, a tiny fixed value stays', async () => {
    expect((await createRate(percentage({ percentage_value: '8.123456789' }))).percentage_value).toBe('8.123456789');
    expect((await createRate(percentage({ percentage_value: '100.000' }))).percentage_value).toBe('100');
    expect((await createRate(percentage({ percentage_value: '0' }))).percentage_value).toBe('0');
    expect((await createRate(percentage({ percentage_value: 0.1 }))).percentage_value).toBe('0.1');
    expect((await createRate(fixed({ fixed_value: '0.0000001' }))).fixed_value).toBe('0.0000001');
    expect((await createRate(fixed({ fixed_value: '12345678901234567890.5' }))).fixed_value).toBe('12345678901234567890.5');
  });

  it('treats codes case-sensitively: VAT and vat are two rates', async () => {
    const base = unique('VAT');
    const upper = await createRate(percentage({ code: base.toUpperCase() }));
    const lower = await createRate(percentage({ code: base.toLowerCase() }));
    expect(upper.id).not.toBe(lower.id);
  });

  it('answers 409 on a code taken by a published rate of the environment, and writes nothing', async () => {
    const code = unique('DUP');
    await createRate(percentage({ code }));
    const body = await refuseRate(percentage({ code, name: 'Other' }), 409);
    expect(body).toMatchObject({ code: 'already_exists', details: { code } });
  });

  it('frees the code of a deleted rate', async () => {
    const code = unique('REUSE');
    const first = await createRate(percentage({ code }));
    expect((await api.delete(`/v1/taxes/rates/${first.id}`)).status).toBe(204);
    const second = await createRate(percentage({ code }));
    expect(second.id).not.toBe(first.id);
  });

  it('lets another environment use the same code', async () => {
    const code = unique('ENV');
    await createRate(percentage({ code }));
    const res = await prod.post('/v1/taxes/rates', percentage({ code }));
    expect(res.status).toBe(201);
  });
});

describe('POST /v1/taxes/rates validation: 400 naming the field, nothing written', () => {
  it.each<[string, Record<string, unknown>, Record<string, string>]>([
    ['a missing name, code and type', {}, { name: 'is required', code: 'is required', tax_rate_type: 'is required' }],
    ['a blank name and code', percentage({ name: '  ', code: ' ' }), { name: 'must not be blank', code: 'must not be blank' }],
    ['an unknown type', percentage({ tax_rate_type: 'compound' }), { tax_rate_type: 'must be one of: percentage, fixed' }],
    ['an unknown scope', percentage({ scope: 'GLOBAL' }), { scope: 'must be one of: INTERNAL, EXTERNAL, ONETIME' }],
    ['a percentage rate without percentage_value', percentage({ percentage_value: undefined }), { percentage_value: 'is required for a percentage rate' }],
    ['a percentage over 100', percentage({ percentage_value: '100.0001' }), { percentage_value: 'must be between 0 and 100' }],
    ['a negative percentage', percentage({ percentage_value: '-0.5' }), { percentage_value: 'must be between 0 and 100' }],
    ['a percentage that is not a number', percentage({ percentage_value: 'ten' }), { percentage_value: `'ten' is not a decimal number (e.g. "0.001")` }],
    ['fixed_value on a percentage rate', percentage({ fixed_value: '1' }), { fixed_value: 'is only for a fixed rate; a percentage rate takes percentage_value' }],
    ['a fixed rate without fixed_value', fixed({ fixed_value: undefined }), { fixed_value: 'is required for a fixed rate' }],
    ['a negative fixed_value', fixed({ fixed_value: -1 }), { fixed_value: 'must not be negative' }],
    ['percentage_value on a fixed rate', fixed({ percentage_value: '5' }), { percentage_value: 'is only for a percentage rate; a fixed rate takes fixed_value' }],
  ])('refuses %s', async (_, body, fields) => {
    const err = await refuseRate(body);
    expect(err.code).toBe('validation_error');
    expect(err.details).toEqual(fields);
  });
});

describe('GET /v1/taxes/rates', () => {
  it('lists newest first, filters by ids, codes (comma-separated or repeated) and scope, and pages with the next offset', async () => {
    const a = await createRate(percentage({ scope: 'ONETIME' }));
    const b = await createRate(fixed({ scope: 'ONETIME' }));
    const c = await createRate(percentage({ scope: 'EXTERNAL' }));
    const ids = (res: { body: { items: Array<{ id: string }> } }) => res.body.items.map((r) => r.id);

    const byIds = await api.get(`/v1/taxes/rates?taxrate_ids=${a.id},${b.id},${c.id}&order=asc`);
    expect(ids(byIds)).toEqual([a.id, b.id, c.id]);
    expect(byIds.body.pagination).toEqual({ total: 3, limit: 50, offset: 50 });

    expect(ids(await api.get(`/v1/taxes/rates?taxrate_ids=${a.id}&taxrate_ids=${c.id}`))).toEqual([c.id, a.id]);
    expect(ids(await api.get(`/v1/taxes/rates?taxrate_codes=${a.code},${c.code}`))).toEqual([c.id, a.id]);
    expect(ids(await api.get(`/v1/taxes/rates?taxrate_codes=${a.code.toLowerCase()}`))).toEqual([]);
    expect(ids(await api.get(`/v1/taxes/rates?taxrate_ids=${a.id},${b.id},${c.id}&scope=ONETIME`))).toEqual([b.id, a.id]);

    const page = await api.get(`/v1/taxes/rates?taxrate_ids=${a.id},${b.id},${c.id}&limit=2&offset=1&order=asc`);
    expect(ids(page)).toEqual([b.id, c.id]);
    expect(page.body.pagination).toEqual({ total: 3, limit: 2, offset: 3 });

    const sorted = await api.get(`/v1/taxes/rates?taxrate_ids=${a.id},${c.id}&sort=code&order=asc`);
    expect(ids(sorted)).toEqual([a.code < c.code ? a.id : c.id, a.code < c.code ? c.id : a.id]);
  });

  it('lists archived rates only when asked', async () => {
    const r = await createRate(percentage());
    await api.delete(`/v1/taxes/rates/${r.id}`);
    expect((await api.get(`/v1/taxes/rates?taxrate_ids=${r.id}`)).body.items).toEqual([]);
    expect((await api.get(`/v1/taxes/rates?taxrate_ids=${r.id}&status=archived`)).body.items.map((x: { id: string; status: string }) => [x.id, x.status])).toEqual([[r.id, 'archived']]);
  });

  it('refuses an expand token (a rate embeds nothing), an unknown scope and an unknown sort field', async () => {
    expect((await api.get('/v1/taxes/rates?expand=tax_rate')).body.details).toEqual({ expand: "cannot expand 'tax_rate'; allowed: " });
    expect((await api.get('/v1/taxes/rates?scope=GLOBAL')).status).toBe(400);
    expect((await api.get('/v1/taxes/rates?sort=colour')).status).toBe(400);
  });
});

describe('PUT /v1/taxes/rates/{id}', () => {
  it('changes name, description, metadata, code and status of an unused rate; the value never changes', async () => {
    const r = await createRate(percentage({ description: 'old', metadata: { a: '1' } }));
    server.clock.advance(1000);
    const code = unique('RENAMED');
    const res = await api.put(`/v1/taxes/rates/${r.id}`, { name: 'Renamed', code, description: '', metadata: { b: '2' }, tax_rate_status: 'INACTIVE', percentage_value: '50' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...r, name: 'Renamed', code, description: undefined, metadata: { b: '2' }, tax_rate_status: 'INACTIVE', updated_at: res.body.updated_at });
    expect('description' in res.body).toBe(false);
    expect(res.body.percentage_value).toBe('8.25');
    expect(new Date(res.body.updated_at).getTime()).toBeGreaterThan(new Date(r.updated_at).getTime());
    expect((await api.get(`/v1/taxes/rates/${r.id}`)).body).toEqual(res.body);
  });

  it('keeps absent fields', async () => {
    const r = await createRate(percentage({ description: 'kept', metadata: { a: '1' } }));
    const res = await api.put(`/v1/taxes/rates/${r.id}`, { name: 'Only the name' });
    expect(res.body).toMatchObject({ name: 'Only the name', description: 'kept', code: r.code, metadata: { a: '1' }, tax_rate_status: 'ACTIVE' });
  });

  it('refuses a code or status change while an association uses the rate, but renames it; 409 on a taken code', async () => {
    const r = await createRate(percentage());
    const customer = await createCustomer(api);
    expect((await api.post('/v1/taxes/associations', { tax_rate_code: r.code, entity_type: 'customer', entity_id: customer.id })).status).toBe(200);
    const newCode = await api.put(`/v1/taxes/rates/${r.id}`, { code: unique('NEW') });
    expect(newCode.status).toBe(400);
    expect(newCode.body).toMatchObject({ code: 'invalid_operation', details: { code: expect.any(String) } });
    const inactive = await api.put(`/v1/taxes/rates/${r.id}`, { tax_rate_status: 'INACTIVE' });
    expect(inactive.body).toMatchObject({ code: 'invalid_operation', details: { tax_rate_status: 'INACTIVE' } });
    expect((await api.get(`/v1/taxes/rates/${r.id}`)).body).toMatchObject({ code: r.code, tax_rate_status: 'ACTIVE' });
    expect((await api.put(`/v1/taxes/rates/${r.id}`, { name: 'Still renamable', code: r.code, tax_rate_status: 'ACTIVE' })).body.name).toBe('Still renamable');

    const other = await createRate(percentage());
    const taken = await api.put(`/v1/taxes/rates/${other.id}`, { code: r.code });
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ code: 'already_exists', details: { code: r.code } });
  });

  it('refuses a blank name or code and an unknown status, 404 for an unknown id', async () => {
    const r = await createRate(percentage());
    expect((await api.put(`/v1/taxes/rates/${r.id}`, { name: ' ', code: '  ' })).body.details).toEqual({ name: 'must not be blank', code: 'must not be blank' });
    expect((await api.put(`/v1/taxes/rates/${r.id}`, { code: '' })).body.details).toEqual({ code: 'must not be empty' });
    expect((await api.put(`/v1/taxes/rates/${r.id}`, { tax_rate_status: 'PAUSED' })).status).toBe(400);
    const missing = await api.put('/v1/taxes/rates/taxrate_NOPE', { name: 'x' });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'not_found', details: { id: 'taxrate_NOPE' } });
  });
});

describe('DELETE /v1/taxes/rates/{id}', () => {
  it('archives the rate: 204, readable by id, gone from lists; again changes nothing', async () => {
    const r = await createRate(percentage());
    const res = await api.delete(`/v1/taxes/rates/${r.id}`);
    expect(res.status).toBe(204);
    expect(res.body).toBeUndefined();
    const read = (await api.get(`/v1/taxes/rates/${r.id}`)).body;
    expect(read).toMatchObject({ id: r.id, status: 'archived' });
    expect((await api.delete(`/v1/taxes/rates/${r.id}`)).status).toBe(204);
    expect((await api.get(`/v1/taxes/rates/${r.id}`)).body.updated_at).toBe(read.updated_at);
  });

  it('refuses while a published association links the rate, then deletes once it is gone', async () => {
    const r = await createRate(percentage());
    const assoc = (await api.post('/v1/taxes/associations', { tax_rate_code: r.code, entity_type: 'tenant' })).body;
    const refused = await expectRefused(api, { method: 'DELETE', path: `/v1/taxes/rates/${r.id}` }, { status: 400, code: 'invalid_operation', fields: ['id'] }, rateCount);
    expect(refused.message).toContain('active associations');
    expect((await api.get(`/v1/taxes/rates/${r.id}`)).body.status).toBe('published');
    expect((await api.delete(`/v1/taxes/associations/${assoc.id}`)).status).toBe(200);
    expect((await api.delete(`/v1/taxes/rates/${r.id}`)).status).toBe(204);
  });

  it('answers 404 for an unknown id', async () => {
    expect((await api.delete('/v1/taxes/rates/taxrate_NOPE')).status).toBe(404);
  });
});

describe('isolation', () => {
  it('answers 404 to another environment for every operation on a rate, and lists none of it', async () => {
    const r = await createRate(percentage());
    expect((await prod.get(`/v1/taxes/rates/${r.id}`)).status).toBe(404);
    expect((await prod.put(`/v1/taxes/rates/${r.id}`, { name: 'x' })).status).toBe(404);
    expect((await prod.delete(`/v1/taxes/rates/${r.id}`)).status).toBe(404);
    expect((await prod.get(`/v1/taxes/rates?taxrate_ids=${r.id}`)).body.items).toEqual([]);
    expect((await prod.get(`/v1/taxes/rates?taxrate_codes=${r.code}`)).body.items).toEqual([]);
    expect((await api.get(`/v1/taxes/rates/${r.id}`)).body.name).toBe('US Sales Tax');
  });
});
