import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../support/api-client.ts';
import { at, subscriptionOf } from '../../support/billing.ts';
import { productionClient, useTestServer } from '../../support/fixtures.ts';
import { useBasicPlan } from './basic-plan.ts';

/** POST /subscriptions/{id}/pause and /resume: refusals (each writes nothing), and a cancellation ending a pause. Amounts: test/scenarios/paused-and-resumed.test.ts. */
const server = useTestServer();
let api: ApiClient;
const subscribeToBasic = useBasicPlan(server);

beforeAll(() => {
  api = server.api;
});

const fresh = subscribeToBasic;

describe('pausing refuses, naming the field, and writes nothing', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['a pause_start for an immediate pause', { pause_mode: 'immediate', pause_start: '2025-06-20T00:00:00Z' }, 'pause_start'],
    ['a scheduled pause without pause_start', { pause_mode: 'scheduled' }, 'pause_start'],
    ['a scheduled pause starting in the past', { pause_mode: 'scheduled', pause_start: '2025-06-05T00:00:00Z' }, 'pause_start'],
    ['both pause_end and pause_days', { pause_mode: 'immediate', pause_end: '2025-06-20T00:00:00Z', pause_days: 3 }, 'pause_days'],
    ['a pause_end before its start', { pause_mode: 'immediate', pause_end: '2025-06-09T00:00:00Z' }, 'pause_end'],
    ['zero pause_days', { pause_mode: 'immediate', pause_days: 0 }, 'pause_days'],
    ['an unknown pause_mode', { pause_mode: 'later' }, 'pause_mode'],
  ])('%s', async (_case, body, field) => {
    at(server, '2025-06-10T00:00:00Z');
    const sub = await fresh();
    const res = await api.post(`/v1/subscriptions/${sub.id}/pause`, body);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(Object.keys(res.body.details ?? {})).toContain(field);
    expect(await subscriptionOf(api, sub.id)).toMatchObject({ subscription_status: 'active', pause_status: 'none', version: sub.version });
    expect((await api.get(`/v1/subscriptions/${sub.id}/pauses`)).body).toEqual([]);
  });

  it('pauses only an active subscription; resumes only a paused one; another environment sees nothing', async () => {
    at(server, '2025-06-10T00:00:00Z');
    const trialing = await fresh({ trial_period_days: 7 });
    expect((await api.post(`/v1/subscriptions/${trialing.id}/pause`, { pause_mode: 'immediate' })).body.code).toBe('invalid_operation');
    const active = await fresh();
    expect((await api.post(`/v1/subscriptions/${active.id}/resume`, { resume_mode: 'immediate' })).body.code).toBe('invalid_operation');
    const { client } = await productionClient(server);
    expect((await client.post(`/v1/subscriptions/${active.id}/pause`, { pause_mode: 'immediate' })).status).toBe(404);
    expect((await client.get(`/v1/subscriptions/${active.id}/pauses`)).status).toBe(404);
    expect((await api.get('/v1/subscriptions/subs_unknown/pauses')).status).toBe(404);
  });
});

describe('a pause and the subscription’s other changes', () => {
  it('a scheduled pause is called off by a resume before it starts', async () => {
    at(server, '2025-06-10T00:00:00Z');
    const sub = await fresh();
    await api.post(`/v1/subscriptions/${sub.id}/pause`, { pause_mode: 'scheduled', pause_start: '2025-06-20T00:00:00Z' });
    const res = await api.post(`/v1/subscriptions/${sub.id}/resume`, {});
    expect(res.body).toMatchObject({ pause_status: 'cancelled', resume_mode: 'immediate' });
    expect(await subscriptionOf(api, sub.id)).toMatchObject({ subscription_status: 'active', pause_status: 'none', current_period_end: sub.current_period_end });
  });

  it('cancelling a paused subscription ends its pause', async () => {
    at(server, '2025-06-10T00:00:00Z');
    const sub = await fresh();
    await api.post(`/v1/subscriptions/${sub.id}/pause`, { pause_mode: 'immediate' });
    at(server, '2025-06-12T00:00:00Z');
    expect((await api.post(`/v1/subscriptions/${sub.id}/cancel`, { cancellation_type: 'immediate' })).status).toBe(200);
    expect(await subscriptionOf(api, sub.id)).toMatchObject({ subscription_status: 'cancelled', pause_status: 'none' });
    const [pause] = (await api.get(`/v1/subscriptions/${sub.id}/pauses`)).body;
    expect(pause).toMatchObject({ pause_status: 'completed', resumed_at: '2025-06-12T00:00:00.000Z' });
  });
});
