import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../support/api-client.ts';
import { at, billAt, invoicesOf, subscriptionOf } from '../../support/billing.ts';
import { productionClient, useTestServer } from '../../support/fixtures.ts';
import { useBasicPlan } from './basic-plan.ts';

/** Subscription schedules: what a scheduled cancellation leaves pending, reading it, calling it off, and its execution. */
const server = useTestServer();
let api: ApiClient;
const subscribeToBasic = useBasicPlan(server);

beforeAll(() => {
  api = server.api;
});

const fresh = () => subscribeToBasic({ start_date: '2025-06-01T00:00:00Z' });

describe('schedules of scheduled cancellations', () => {
  it('a scheduled_date cancellation leaves one pending schedule, read on every route', async () => {
    at(server, '2025-06-05T00:00:00Z');
    const sub = await fresh();
    const res = await api.post(`/v1/subscriptions/${sub.id}/cancel`, { cancellation_type: 'scheduled_date', cancel_at: '2025-06-20T00:00:00Z', reason: 'closing' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const list = await api.get(`/v1/subscriptions/${sub.id}/schedules`);
    expect(list.status, JSON.stringify(list.body)).toBe(200);
    expect(list.body.count).toBe(1);
    const [schedule] = list.body.schedules;
    expect(schedule).toMatchObject({
      id: expect.stringMatching(/^sched_/),
      subscription_id: sub.id,
      schedule_type: 'cancellation',
      status: 'pending',
      scheduled_at: '2025-06-20T00:00:00.000Z',
      can_be_cancelled: true,
      days_until_execution: 15,
      configuration: {
        cancellation_type: 'scheduled_date',
        reason: 'closing',
        original_cancel_at: null,
        original_end_date: null,
        original_current_period_end: '2025-07-01T00:00:00.000Z',
        original_cancel_at_period_end: false,
      },
    });
    expect((await api.get(`/v1/subscriptions/schedules/${schedule.id}`)).body).toEqual(schedule);
    // FlexPrice's spec paths (with /v1 twice), which its SDKs call.
    expect((await api.get(`/v1/v1/subscription-schedules/${schedule.id}`)).body).toEqual(schedule);
    expect((await api.get(`/v1/v1/subscriptions/${sub.id}/schedules`)).body).toEqual(list.body);
    const pending = await api.get(`/v1/subscriptions/schedules?pending_only=true&subscription_id=${sub.id}`);
    expect(pending.body).toEqual(list.body);
    expect((await api.get(`/v1/v1/subscription-schedules?pending_only=true&subscription_id=${sub.id}`)).body).toEqual(list.body);
  });

  it('calling it off puts the subscription back: its period, cancel_at, end_date and metadata; it then renews as before', async () => {
    at(server, '2025-06-05T00:00:00Z');
    const sub = await fresh();
    await api.post(`/v1/subscriptions/${sub.id}/cancel`, { cancellation_type: 'scheduled_date', cancel_at: '2025-06-20T00:00:00Z' });
    expect(await subscriptionOf(api, sub.id)).toMatchObject({ current_period_end: '2025-06-20T00:00:00.000Z', cancel_at: '2025-06-20T00:00:00.000Z' });
    const res = await api.post('/v1/subscriptions/schedules/cancel', { subscription_id: sub.id, schedule_type: 'cancellation' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ status: 'cancelled', message: 'Schedule cancelled successfully' });
    const after = await subscriptionOf(api, sub.id);
    expect(after).toMatchObject({ subscription_status: 'active', current_period_end: '2025-07-01T00:00:00.000Z', cancel_at: null, cancel_at_period_end: false, metadata: {} });
    expect([after.end_date ?? null, after.cancelled_at ?? null]).toEqual([null, null]);
    const [schedule] = (await api.get(`/v1/subscriptions/${sub.id}/schedules`)).body.schedules;
    expect(schedule).toMatchObject({ status: 'cancelled', cancelled_at: '2025-06-05T00:00:00.000Z', can_be_cancelled: false });
    const again = await api.post(`/v1/subscriptions/schedules/${schedule.id}/cancel`, {});
    expect(again.status).toBe(400);
    expect(again.body.code).toBe('invalid_operation');
    await billAt(server, '2025-07-01T00:00:00Z');
    expect((await invoicesOf(api, sub.id)).map((i) => [i.billing_reason, i.total])).toEqual([['SUBSCRIPTION_CREATE', '30'], ['SUBSCRIPTION_CYCLE', '30']]);
    expect((await subscriptionOf(api, sub.id)).subscription_status).toBe('active');
    // A new cancellation may be scheduled again once the old one is called off.
    expect((await api.post(`/v1/subscriptions/${sub.id}/cancel`, { cancellation_type: 'end_of_period' })).status).toBe(200);
  });

  it('an end_of_period schedule is executed when the bill run cancels the subscription; FlexPrice’s spec route calls one off too', async () => {
    at(server, '2025-06-05T00:00:00Z');
    const [kept, called] = [await fresh(), await fresh()];
    for (const s of [kept, called]) await api.post(`/v1/subscriptions/${s.id}/cancel`, { cancellation_type: 'end_of_period' });
    const [toCall] = (await api.get(`/v1/subscriptions/${called.id}/schedules`)).body.schedules;
    const off = await api.post(`/v1/v1/subscriptions/schedules/${toCall.id}/cancel`);
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    await billAt(server, '2025-07-01T00:00:00Z');
    const [executed] = (await api.get(`/v1/subscriptions/${kept.id}/schedules`)).body.schedules;
    expect(executed).toMatchObject({ status: 'executed', executed_at: '2025-07-01T00:00:00.000Z', execution_result: { subscription_status: 'cancelled', end_date: '2025-07-01T00:00:00.000Z' }, days_until_execution: 0 });
    expect((await subscriptionOf(api, kept.id)).subscription_status).toBe('cancelled');
    expect((await subscriptionOf(api, called.id)).subscription_status).toBe('active');
  });

  it('refuses what it cannot find or is not told, and another environment sees nothing', async () => {
    at(server, '2025-06-05T00:00:00Z');
    const sub = await fresh();
    await api.post(`/v1/subscriptions/${sub.id}/cancel`, { cancellation_type: 'end_of_period' });
    const [schedule] = (await api.get(`/v1/subscriptions/${sub.id}/schedules`)).body.schedules;
    expect((await api.post('/v1/subscriptions/schedules/cancel', {})).body.details).toHaveProperty('subscription_id');
    expect((await api.post('/v1/subscriptions/schedules/cancel', { subscription_id: sub.id })).body.details).toHaveProperty('schedule_type');
    expect((await api.post('/v1/subscriptions/schedules/cancel', { subscription_id: sub.id, schedule_type: 'plan_change' })).status).toBe(404);
    expect((await api.get('/v1/subscriptions/schedules/sched_unknown')).status).toBe(404);
    expect((await api.get('/v1/subscriptions/subs_unknown/schedules')).status).toBe(404);
    const { client } = await productionClient(server);
    expect((await client.get(`/v1/subscriptions/schedules/${schedule.id}`)).status).toBe(404);
    expect((await client.post(`/v1/subscriptions/schedules/${schedule.id}/cancel`, {})).status).toBe(404);
    expect((await client.get('/v1/subscriptions/schedules')).body).toEqual({ schedules: [], count: 0 });
    expect((await subscriptionOf(api, sub.id)).cancel_at).toBe('2025-07-01T00:00:00.000Z');
  });
});
