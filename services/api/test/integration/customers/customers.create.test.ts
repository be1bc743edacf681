import { describe, expect, it } from 'vitest';
import { count, expectRefused, useTestServer } from '../../support/fixtures.ts';

const server = useTestServer();

const customerId = /^cust_[0-9A-HJKMNP-TV-Z]{26}$/;
/** RFC 3339 in UTC, as every response timestamp is. */
const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** How many live customers the environment has, read through the list's `total`. */
const liveCount = () => count(server.api, '/v1/customers');

/** Posts a create that must fail with 400 (validation_error), and proves nothing was written. */
const expectRejected = (body: unknown) => expectRefused(server.api, { path: '/v1/customers', body }, { code: 'validation_error' }, liveCount);

describe('POST /v1/customers — a valid customer', () => {
  it('answers 201 and echoes every field it was given', async () => {
    const startedAt = server.clock.now().getTime();
    const body = {
      external_id: 'create-full-1',
      name: 'Acme Inc.',
      email: 'billing@acme.test',
      contact: '+1 555 0100',
      address_line1: '1 Market Street',
      address_line2: 'Suite 400',
      address_city: 'San Francisco',
      address_state: 'CA',
      address_postal_code: '94105',
      address_country: 'US',
      timezone: 'America/New_York',
      metadata: { plan_tier: 'enterprise', region: 'us-west' },
    };
    const res = await server.api.post('/v1/customers', body);
    expect(res.status).toBe(201);
    const c = res.body;
    expect(c).toMatchObject(body);
    expect(c.id).toMatch(customerId);
    expect(c.tenant_id).toBe(server.bootstrap.tenantId);
    expect(c.environment_id).toBe(server.bootstrap.defaultEnvironmentId);
    expect(c.status).toBe('published');
    expect(c.created_at).toMatch(rfc3339);
    expect(c.updated_at).toMatch(rfc3339);
    expect(c.updated_at).toBe(c.created_at);
    expect(Date.parse(c.created_at)).toBeGreaterThanOrEqual(startedAt - 1000);
    expect(Date.parse(c.created_at)).toBeLessThanOrEqual(server.clock.now().getTime() + 1000);
    expect(c.created_by).toMatch(/^secret_/);
    expect(c.updated_by).toBe(c.created_by);
    // The request carried no field the response lacks, and nothing unexpected came back.
    expect(Object.keys(c).sort()).toEqual(
      [...Object.keys(body), 'id', 'tenant_id', 'environment_id', 'status', 'created_at', 'updated_at', 'created_by', 'updated_by'].sort(),
    );
  });

  it('stores what it echoed: a get returns the same customer', async () => {
    const created = await server.api.post('/v1/customers', {
      external_id: 'create-roundtrip',
      name: 'Roundtrip Ltd',
      email: 'ops@roundtrip.test',
      address_country: 'DE',
      timezone: 'Europe/Berlin',
      metadata: { a: '1' },
    });
    expect(created.status).toBe(201);
    const got = await server.api.get(`/v1/customers/${created.body.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(created.body);
    const byExternal = await server.api.get('/v1/customers/external/create-roundtrip');
    expect(byExternal.status).toBe(200);
    expect(byExternal.body).toEqual(created.body);
  });

  it('fills defaults: timezone UTC, metadata {}, empty strings for unset text, no contact', async () => {
    const res = await server.api.post('/v1/customers', { external_id: 'create-minimal', name: 'Minimal' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      external_id: 'create-minimal',
      name: 'Minimal',
      email: '',
      address_line1: '',
      address_line2: '',
      address_city: '',
      address_state: '',
      address_postal_code: '',
      address_country: '',
      timezone: 'UTC',
      metadata: {},
      status: 'published',
    });
    expect(res.body).not.toHaveProperty('contact');
  });

  it('leaves contact out when it is sent empty', async () => {
    const res = await server.api.post('/v1/customers', { external_id: 'create-empty-contact', name: 'No Phone', contact: '' });
    expect(res.status).toBe(201);
    expect(res.body).not.toHaveProperty('contact');
  });

  it('gives every customer a distinct id', async () => {
    const a = await server.api.post('/v1/customers', { external_id: 'create-distinct-a', name: 'A' });
    const b = await server.api.post('/v1/customers', { external_id: 'create-distinct-b', name: 'B' });
    expect(a.body.id).toMatch(customerId);
    expect(b.body.id).toMatch(customerId);
    expect(a.body.id).not.toBe(b.body.id);
  });

  it('accepts external_customer_id as an alias of external_id', async () => {
    const res = await server.api.post('/v1/customers', { external_customer_id: 'create-alias-1', name: 'Alias Co' });
    expect(res.status).toBe(201);
    expect(res.body.external_id).toBe('create-alias-1');
    expect(res.body).not.toHaveProperty('external_customer_id');
    const byExternal = await server.api.get('/v1/customers/external/create-alias-1');
    expect(byExternal.status).toBe(200);
    expect(byExternal.body.id).toBe(res.body.id);
  });

  it('accepts the alias and external_id together when they agree', async () => {
    const res = await server.api.post('/v1/customers', { external_id: 'create-alias-2', external_customer_id: 'create-alias-2', name: 'Both' });
    expect(res.status).toBe(201);
    expect(res.body.external_id).toBe('create-alias-2');
  });

  it('accepts a name of exactly 255 characters and a contact of exactly 20', async () => {
    const name = 'n'.repeat(255);
    const res = await server.api.post('/v1/customers', { external_id: 'create-max-lengths', name, contact: '0'.repeat(20) });
    expect(res.status).toBe(201);
    expect(res.body.name).toBe(name);
    expect(res.body.contact).toBe('0'.repeat(20));
  });

  it('keeps metadata values as strings, including empty ones', async () => {
    const res = await server.api.post('/v1/customers', {
      external_id: 'create-metadata',
      name: 'Meta',
      metadata: { empty: '', 'key with spaces': 'v', unicode: 'ümlaut ✓' },
    });
    expect(res.status).toBe(201);
    expect(res.body.metadata).toEqual({ empty: '', 'key with spaces': 'v', unicode: 'ümlaut ✓' });
  });

  it('accepts other valid IANA zones and ISO countries', async () => {
    for (const [i, [timezone, country]] of [
      ['Asia/Kolkata', 'IN'],
      ['Etc/UTC', 'GB'],
      ['Australia/Lord_Howe', 'AU'],
    ].entries()) {
      const res = await server.api.post('/v1/customers', { external_id: `create-zone-${i}`, name: 'Zone', timezone, address_country: country });
      expect(res.status, `${timezone} ${country}`).toBe(201);
      expect(res.body.timezone).toBe(timezone);
      expect(res.body.address_country).toBe(country);
    }
  });
});

describe('POST /v1/customers — refused input writes nothing', () => {
  it('refuses external_id and external_customer_id that differ, naming external_customer_id', async () => {
    const err = await expectRejected({ external_id: 'alias-a', external_customer_id: 'alias-b', name: 'Mismatch' });
    expect(Object.keys(err.details)).toEqual(['external_customer_id']);
    expect(err.message).toContain('external_customer_id');
  });

  it('refuses a missing name, naming name', async () => {
    const err = await expectRejected({ external_id: 'no-name' });
    expect(err.details).toEqual({ name: 'is required' });
    expect(err.message).toContain('name');
  });

  it('refuses an empty name, naming name', async () => {
    const err = await expectRejected({ external_id: 'empty-name', name: '' });
    expect(Object.keys(err.details)).toEqual(['name']);
  });

  it('refuses a missing external_id, naming external_id', async () => {
    const err = await expectRejected({ name: 'No External Id' });
    expect(err.details).toEqual({ external_id: 'is required' });
    expect(err.message).toContain('external_id');
  });

  it('refuses an empty external_id, naming external_id', async () => {
    const err = await expectRejected({ external_id: '', name: 'Empty External Id' });
    expect(Object.keys(err.details)).toEqual(['external_id']);
  });

  it('names both required fields when both are missing', async () => {
    const err = await expectRejected({ email: 'someone@example.test' });
    expect(err.details).toEqual({ external_id: 'is required', name: 'is required' });
  });

  it('refuses a bad email, naming email', async () => {
    const err = await expectRejected({ external_id: 'bad-email', name: 'Bad Email', email: 'not-an-email' });
    expect(Object.keys(err.details)).toEqual(['email']);
    expect(err.details.email).toContain('email');
  });

  it('refuses a 256-character name, naming name', async () => {
    const err = await expectRejected({ external_id: 'long-name', name: 'x'.repeat(256) });
    expect(Object.keys(err.details)).toEqual(['name']);
  });

  it('refuses a contact over 20 characters, naming contact', async () => {
    const err = await expectRejected({ external_id: 'long-contact', name: 'Long Contact', contact: '1'.repeat(21) });
    expect(Object.keys(err.details)).toEqual(['contact']);
  });

  it.each(['Mars/Base', '+01:00', 'Not A Zone', ''])('refuses timezone %j, naming timezone', async (timezone) => {
    const err = await expectRejected({ external_id: 'bad-zone', name: 'Bad Zone', timezone });
    expect(Object.keys(err.details)).toEqual(['timezone']);
  });

  it.each(['XX', 'us', 'USA', 'EU', ''])('refuses address_country %j, naming address_country', async (country) => {
    const err = await expectRejected({ external_id: 'bad-country', name: 'Bad Country', address_country: country });
    expect(Object.keys(err.details)).toEqual(['address_country']);
  });

  it('refuses over-long address fields, naming each', async () => {
    const err = await expectRejected({
      external_id: 'long-address',
      name: 'Long Address',
      address_line1: 'a'.repeat(256),
      address_city: 'c'.repeat(101),
      address_postal_code: 'p'.repeat(21),
    });
    expect(Object.keys(err.details).sort()).toEqual(['address_city', 'address_line1', 'address_postal_code']);
  });

  it('names several schema-level bad fields together', async () => {
    const err = await expectRejected({ external_id: 'many-bad', name: 'x'.repeat(256), email: 'nope', contact: '1'.repeat(21) });
    expect(Object.keys(err.details).sort()).toEqual(['contact', 'email', 'name']);
    for (const field of ['contact', 'email', 'name']) expect(err.message).toContain(field);
  });

  it('names several rule-level bad fields together', async () => {
    const err = await expectRejected({
      external_id: 'many-bad-a',
      external_customer_id: 'many-bad-b',
      name: 'Many Bad',
      timezone: 'Mars/Base',
      address_country: 'XX',
    });
    expect(Object.keys(err.details).sort()).toEqual(['address_country', 'external_customer_id', 'timezone']);
    for (const field of ['address_country', 'external_customer_id', 'timezone']) expect(err.message).toContain(field);
  });

  it('refuses wrongly typed fields', async () => {
    const err = await expectRejected({ external_id: 'typed', name: 42, metadata: { n: 1 } });
    expect(Object.keys(err.details).sort()).toEqual(['metadata.n', 'name']);
  });

  it('refuses NUL characters, which PostgreSQL text cannot hold, naming each field', async () => {
    const err = await expectRejected({
      external_id: 'nul\u0000id',
      name: 'Nul\u0000Name',
      address_city: '\u0000',
      metadata: { fine: 'ok', bad: 'x\u0000' },
    });
    expect(Object.keys(err.details).sort()).toEqual(['address_city', 'external_id', 'metadata.bad', 'name']);
    const key = await expectRejected({ external_id: 'nul-key', name: 'Nul Key', metadata: { 'k\u0000': 'v' } });
    expect(Object.keys(key.details)).toEqual(['metadata']);
  });

  it('refuses a body that is not JSON', async () => {
    const before = await liveCount();
    const res = await server.api.post('/v1/customers', '{"external_id": "broken",');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_error');
    expect(await liveCount()).toBe(before);
  });
});

describe('POST /v1/customers — external_id uniqueness', () => {
  it('answers 409 already_exists with details.external_id for a live duplicate, and writes nothing', async () => {
    const first = await server.api.post('/v1/customers', { external_id: 'dup-1', name: 'First' });
    expect(first.status).toBe(201);
    const before = await liveCount();
    const res = await server.api.post('/v1/customers', { external_id: 'dup-1', name: 'Second' });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      code: 'already_exists',
      message: 'A customer with this identifier already exists',
      http_status_code: 409,
      details: { external_id: 'dup-1' },
      success: false,
      error: { message: 'A customer with this identifier already exists', internal_error: '' },
    });
    expect(await liveCount()).toBe(before);
    const kept = await server.api.get('/v1/customers/external/dup-1');
    expect(kept.body).toMatchObject({ id: first.body.id, name: 'First' });
  });

  it('treats the alias like external_id when checking for duplicates', async () => {
    await server.api.post('/v1/customers', { external_id: 'dup-alias', name: 'First' });
    const res = await server.api.post('/v1/customers', { external_customer_id: 'dup-alias', name: 'Second' });
    expect(res.status).toBe(409);
    expect(res.body.details).toEqual({ external_id: 'dup-alias' });
  });

  it('compares external ids exactly (case matters)', async () => {
    await server.api.post('/v1/customers', { external_id: 'dup-case', name: 'Lower' });
    const res = await server.api.post('/v1/customers', { external_id: 'DUP-CASE', name: 'Upper' });
    expect(res.status).toBe(201);
  });

  it('lets a deleted customer’s external_id be reused by a new customer', async () => {
    const old = await server.api.post('/v1/customers', { external_id: 'reuse-1', name: 'Old' });
    expect((await server.api.delete(`/v1/customers/${old.body.id}`)).status).toBe(204);
    const fresh = await server.api.post('/v1/customers', { external_id: 'reuse-1', name: 'New' });
    expect(fresh.status).toBe(201);
    expect(fresh.body.id).not.toBe(old.body.id);
    const byExternal = await server.api.get('/v1/customers/external/reuse-1');
    expect(byExternal.body).toMatchObject({ id: fresh.body.id, name: 'New' });
    // And the new one blocks a third, as any live customer does.
    expect((await server.api.post('/v1/customers', { external_id: 'reuse-1', name: 'Third' })).status).toBe(409);
  });

  it('admits exactly one of five concurrent creates of the same external_id', async () => {
    const before = await liveCount();
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) => server.api.post('/v1/customers', { external_id: 'race-1', name: `Racer ${i}` })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409]);
    for (const r of results.filter((x) => x.status === 409)) {
      expect(r.body).toMatchObject({ code: 'already_exists', details: { external_id: 'race-1' } });
    }
    expect(await liveCount()).toBe(before + 1);
    const search = await server.api.post('/v1/customers/search', { external_ids: ['race-1'] });
    expect(search.body.pagination.total).toBe(1);
    expect(search.body.items[0].id).toBe(results.find((r) => r.status === 201)?.body.id);
  });

  it('admits all of five concurrent creates of different external ids', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) => server.api.post('/v1/customers', { external_id: `race-distinct-${i}`, name: `Racer ${i}` })),
    );
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
  });
});

describe('GET /v1/customers/{id} and /v1/customers/external/{external_id}', () => {
  it('answers 404 not_found in the full envelope for an unknown id', async () => {
    const res = await server.api.get('/v1/customers/cust_01ARZ3NDEKTSV4RRFFQ69G5FAV');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      code: 'not_found',
      message: 'Customer with ID cust_01ARZ3NDEKTSV4RRFFQ69G5FAV was not found',
      http_status_code: 404,
      details: { id: 'cust_01ARZ3NDEKTSV4RRFFQ69G5FAV' },
      success: false,
      error: { message: 'Customer with ID cust_01ARZ3NDEKTSV4RRFFQ69G5FAV was not found', internal_error: '' },
    });
  });

  it('answers 404 not_found in the full envelope for an unknown external id', async () => {
    const res = await server.api.get('/v1/customers/external/nobody-here');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      code: 'not_found',
      message: 'Customer with external_id nobody-here was not found',
      http_status_code: 404,
      details: { external_id: 'nobody-here' },
      success: false,
      error: { message: 'Customer with external_id nobody-here was not found', internal_error: '' },
    });
  });

  it('answers 400 (not 500) for ids containing a NUL character, naming the parameter', async () => {
    const byId = await server.api.get('/v1/customers/cust_%00');
    expect(byId.status).toBe(400);
    expect(byId.body.details).toEqual({ id: 'must not contain the NUL character (U+0000)' });
    const byExternal = await server.api.get('/v1/customers/external/a%00b');
    expect(byExternal.status).toBe(400);
    expect(Object.keys(byExternal.body.details)).toEqual(['external_id']);
  });

  it('finds an external id that needs URL encoding', async () => {
    const created = await server.api.post('/v1/customers', { external_id: 'org/42 acme', name: 'Slashy' });
    expect(created.status).toBe(201);
    const res = await server.api.get(`/v1/customers/external/${encodeURIComponent('org/42 acme')}`);
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(created.body.id);
    const byLookupKey = await server.api.get(`/v1/customers/lookup/${encodeURIComponent('org/42 acme')}`);
    expect(byLookupKey.status).toBe(200);
    expect(byLookupKey.body).toEqual(res.body);
    expect((await server.api.get('/v1/customers/lookup/nobody-here')).status).toBe(404);
  });

  it('requires an API key', async () => {
    const created = await server.api.post('/v1/customers', { external_id: 'needs-key', name: 'Keyed' });
    const res = await server.as(undefined).get(`/v1/customers/${created.body.id}`);
    expect(res.status).toBe(401);
    expect(res.body.success).toBe(false);
    const create = await server.as(undefined).post('/v1/customers', { external_id: 'no-key', name: 'No Key' });
    expect(create.status).toBe(401);
    expect((await server.api.get('/v1/customers/external/no-key')).status).toBe(404);
  });
});
