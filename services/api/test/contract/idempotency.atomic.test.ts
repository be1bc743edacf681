import { beforeAll, describe, expect, it } from 'vitest';
import { count, fixedPrice, unique, useTestServer } from '../support/fixtures.ts';

// A request with an Idempotency-Key and its stored answer commit together or not at all. The
// database is made to refuse storing an answer (a trigger on keys named `poison-…`), which is how
// a response that cannot be stored once left a committed write behind a key stuck "in progress".
const server = useTestServer();
beforeAll(async () => {
  await sql(`create function refuse_poisoned_answers() returns trigger language plpgsql as $$
    begin
      if new.key like 'poison-%' and new.state = 'completed' then raise exception 'this answer cannot be stored'; end if;
      return new;
    end $$`);
});

function sql<R = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<R[]> {
  return server.orm.em.fork().getConnection().execute<R[]>(text, params);
}
const poison = (on: boolean) =>
  sql(on ? 'create trigger poison before update on idempotency_keys for each row execute function refuse_poisoned_answers()' : 'drop trigger poison on idempotency_keys');
const keyRows = (key: string) => sql<{ state: string; response_status: number | null }>('select state, response_status from idempotency_keys where key = ?', [key]);
const plans = () => count(server.api, '/v1/plans');
const customers = () => count(server.api, '/v1/customers');

const poisoned = (name: string) => ({ 'Idempotency-Key': unique(`poison-${name}`) });

describe('Idempotency-Key: the use case and its stored answer commit together', () => {
  it('a create whose answer cannot be stored writes nothing, answers 500 and frees the key; a retry then runs once', async () => {
    const headers = poisoned('plan');
    const once = unique('once');
    const before = await plans();
    await poison(true);
    try {
      const failed = await server.api.post('/v1/plans', { name: 'Only once', lookup_key: once }, headers);
      expect(failed.status).toBe(500);
      expect(failed.body.code).toBe('database_error');
      expect(await plans()).toBe(before);
      expect(await keyRows(headers['Idempotency-Key'])).toEqual([]);
      // Still unstorable: still nothing written, never 409 "in progress".
      expect((await server.api.post('/v1/plans', { name: 'Only once', lookup_key: once }, headers)).status).toBe(500);
      expect(await plans()).toBe(before);
    } finally {
      await poison(false);
    }
    const ran = await server.api.post('/v1/plans', { name: 'Only once', lookup_key: once }, headers);
    expect(ran.status).toBe(201);
    const replayed = await server.api.post('/v1/plans', { name: 'Only once', lookup_key: once }, headers);
    expect(replayed.status).toBe(201);
    expect(replayed.headers.get('Idempotent-Replayed')).toBe('true');
    expect(replayed.body.id).toBe(ran.body.id);
    expect(await plans()).toBe(before + 1);
    expect(await keyRows(headers['Idempotency-Key'])).toEqual([{ state: 'completed', response_status: 201 }]);
  });

  it('rolls back a use case that wrote several rows (a plan clone with its prices) as a whole', async () => {
    const source = await server.api.post('/v1/plans', { name: 'Source' });
    expect(source.status).toBe(201);
    expect((await server.api.post('/v1/prices', fixedPrice(source.body.id))).status).toBe(201);
    const prices = () => count(server.api, '/v1/prices');
    const pricesBefore = await prices();
    const headers = poisoned('clone');
    const clone = unique('clone');
    const before = await plans();
    await poison(true);
    try {
      expect((await server.api.post(`/v1/plans/${source.body.id}/clone`, { name: 'Clone', lookup_key: clone }, headers)).status).toBe(500);
    } finally {
      await poison(false);
    }
    expect(await plans()).toBe(before);
    expect(await prices()).toBe(pricesBefore);
    expect((await server.api.post(`/v1/plans/${source.body.id}/clone`, { name: 'Clone', lookup_key: clone }, headers)).status).toBe(201);
    expect(await plans()).toBe(before + 1);
    expect(await prices()).toBe(pricesBefore + 1);
  });

  it('a refusal whose answer cannot be stored still answers the 4xx, and frees the key', async () => {
    const headers = poisoned('refused');
    const before = await customers();
    await poison(true);
    try {
      const refused = await server.api.post('/v1/customers', { external_id: 'refused', name: 7 }, headers);
      expect(refused.status).toBe(400);
      expect(Object.keys(refused.body.details)).toEqual(['name']);
      expect(await keyRows(headers['Idempotency-Key'])).toEqual([]);
    } finally {
      await poison(false);
    }
    expect(await customers()).toBe(before);
    const fixed = await server.api.post('/v1/customers', { external_id: 'refused', name: 7 }, headers);
    expect(fixed.status).toBe(400);
    expect(await keyRows(headers['Idempotency-Key'])).toEqual([{ state: 'completed', response_status: 400 }]);
  });

  it('a claim left by a process that died (in progress for over 5 minutes) is taken over, and the request runs once', async () => {
    const key = unique('crashed');
    const now = server.clock.now();
    const fingerprintless = await server.api.post('/v1/customers', { external_id: 'probe-crash', name: 'Probe' }, { 'Idempotency-Key': key });
    expect(fingerprintless.status).toBe(201);
    // Make the stored record look like a claim whose process died 6 minutes ago mid-request.
    await sql(`update idempotency_keys set state = 'in_progress', response_status = null, response_body = null, created_at = ? where key = ?`, [
      new Date(now.getTime() - 6 * 60_000),
      key,
    ]);
    await sql(`update customers set status = 'archived' where external_id = 'probe-crash'`);
    const retried = await server.api.post('/v1/customers', { external_id: 'probe-crash', name: 'Probe' }, { 'Idempotency-Key': key });
    expect(retried.status).toBe(201);
    expect(retried.headers.get('Idempotent-Replayed')).toBeNull();
    expect(retried.body.id).not.toBe(fingerprintless.body.id);
    expect((await server.api.get('/v1/customers?external_id=probe-crash')).body.pagination.total).toBe(1);
  });

  it('a use case inside the request transaction reads its own writes (create then embed)', async () => {
    const res = await server.api.post('/v1/features', { name: 'Calls', type: 'metered', lookup_key: unique('calls'), meter: { name: 'calls', event_name: 'call', aggregation: { type: 'COUNT' }, reset_usage: 'BILLING_PERIOD' } }, { 'Idempotency-Key': unique('inline') });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.meter_id).toMatch(/^meter_/);
    expect((await server.api.get(`/v1/meters/${res.body.meter_id}`)).status).toBe(200);
  });
});
