import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../support/api-client.ts';
import { at, invoicesOf, subscriptionOf } from '../../support/billing.ts';
import { productionClient, useTestServer } from '../../support/fixtures.ts';
import { useBasicPlan } from './basic-plan.ts';

/** POST /subscriptions/{id}/cancel: refusals (each writes nothing), trials, events, isolation. The amounts are in test/scenarios/cancel-four-ways.test.ts. */
const server = useTestServer();
let api: ApiClient;
const subscribeToBasic = useBasicPlan(server);

beforeAll(() => {
  api = server.api;
});

const fresh = subscribeToBasic;
const cancel = (id: string, body: Record<string, unknown>) => api.post(`/v1/subscriptions/${id}/cancel`, body);

describe('POST /v1/subscriptions/{id}/cancel refuses, naming the field, and changes nothing', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['a scheduled_date without cancel_at', { cancellation_type: 'scheduled_date' }, 'cancel_at'],
    ['end_of_period with a cancel_at', { cancellation_type: 'end_of_period', cancel_at: '2025-06-20T00:00:00Z' }, 'cancel_at'],
    ['an immediate cancel_at in the future', { cancellation_type: 'immediate', cancel_at: '2025-06-20T00:00:00Z' }, 'cancel_at'],
    ['an immediate cancel_at at the period start', { cancellation_type: 'immediate', cancel_at: '2025-06-01T00:00:00Z' }, 'cancel_at'],
    ['a scheduled date before the period start', { cancellation_type: 'scheduled_date', cancel_at: '2025-05-20T00:00:00Z' }, 'cancel_at'],
    ['proration on a scheduled cancellation', { cancellation_type: 'end_of_period', proration_behavior: 'create_prorations' }, 'proration_behavior'],
    ['a final invoice on a scheduled cancellation', { cancellation_type: 'end_of_period', cancel_immediately_inovice_policy: 'generate_invoice' }, 'cancel_immediately_inovice_policy'],
    ['the two spellings of the invoice policy disagreeing', { cancellation_type: 'immediate', cancel_immediately_inovice_policy: 'skip', cancel_immediately_invoice_policy: 'generate_invoice' }, 'cancel_immediately_invoice_policy'],
    ['an unknown cancellation_type', { cancellation_type: 'now' }, 'cancellation_type'],
    ['no cancellation_type', {}, 'cancellation_type'],
    ['a cancel_at that is no date', { cancellation_type: 'scheduled_date', cancel_at: 'tomorrow' }, 'cancel_at'],
  ])('%s', async (_case, body, field) => {
    at(server, '2025-06-10T00:00:00Z');
    const sub = await fresh({ start_date: '2025-06-01T00:00:00Z' });
    const res = await cancel(sub.id, body);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(Object.keys(res.body.details ?? {})).toContain(field);
    const after = await subscriptionOf(api, sub.id);
    expect(after).toMatchObject({ subscription_status: 'active', cancel_at: null, version: sub.version, metadata: sub.metadata });
  });

  it('refuses proration when the line items have mixed billing periods', async () => {
    at(server, '2025-06-10T00:00:00Z');
    const annual = { type: 'FIXED', billing_period: 'ANNUAL', billing_model: 'FLAT_FEE', invoice_cadence: 'ADVANCE', amount: '300' };
    const sub = await fresh({ line_items: [{ price: annual }] });
    expect(sub.line_items.map((l: any) => l.billing_period).sort()).toEqual(['ANNUAL', 'MONTHLY']);
    const res = await cancel(sub.id, { cancellation_type: 'immediate', proration_behavior: 'create_prorations' });
    expect(res.status).toBe(400);
    expect(res.body.details).toHaveProperty('proration_behavior');
    expect((await subscriptionOf(api, sub.id)).subscription_status).toBe('active');
    expect((await cancel(sub.id, { cancellation_type: 'immediate' })).status).toBe(200);
  });

  it('refuses a draft, and a subscription of another environment is 404', async () => {
    at(server, '2025-06-10T00:00:00Z');
    const draft = await fresh({ subscription_status: 'draft' });
    const res = await cancel(draft.id, { cancellation_type: 'immediate' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_operation');
    expect((await subscriptionOf(api, draft.id)).subscription_status).toBe('draft');
    const { client } = await productionClient(server);
    const active = await fresh();
    expect((await client.post(`/v1/subscriptions/${active.id}/cancel`, { cancellation_type: 'immediate' })).status).toBe(404);
    expect((await cancel('subs_unknown', { cancellation_type: 'immediate' })).status).toBe(404);
  });
});

describe('what a cancellation announces and leaves alone', () => {
  it('an immediate cancellation announces subscription.updated then subscription.cancelled; skip (the default) raises no invoice', async () => {
    at(server, '2025-06-10T00:00:00Z');
    const sub = await fresh({ start_date: '2025-06-01T00:00:00Z' });
    const res = await cancel(sub.id, { cancellation_type: 'immediate' });
    expect(res.body).toMatchObject({ status: 'cancelled', effective_date: '2025-06-10T00:00:00.000Z', total_credit_amount: '0', proration_details: [], message: 'Subscription cancelled immediately' });
    expect(res.body).not.toHaveProperty('proration_invoice');
    expect((await invoicesOf(api, sub.id)).map((i) => i.billing_reason)).toEqual(['SUBSCRIPTION_CREATE']);
    const events = await api.get('/v1/webhooks/events?limit=1000');
    const types = events.body.items.filter((e: any) => e.entity_id === sub.id).map((e: any) => e.event_type);
    expect(types.filter((t: string) => t === 'subscription.cancelled')).toHaveLength(1);
    expect(types.filter((t: string) => t === 'subscription.updated')).toHaveLength(1);
  });

  it('a backdated immediate cancellation takes effect at cancel_at, and its line items end then', async () => {
    at(server, '2025-06-10T00:00:00Z');
    const sub = await fresh({ start_date: '2025-06-01T00:00:00Z' });
    const res = await cancel(sub.id, { cancellation_type: 'immediate', cancel_at: '2025-06-05T00:00:00Z', proration_behavior: 'create_prorations' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    // 30 June days: (30 d − 1 s − 4 d) ÷ (30 d − 1 s) of $30 = $25.99998…, rounded once: $26.00
    expect(res.body).toMatchObject({ effective_date: '2025-06-05T00:00:00.000Z', total_credit_amount: '26', proration_details: [expect.objectContaining({ credit_amount: '26', proration_days: 26 })] });
    const after = await subscriptionOf(api, sub.id);
    expect(after).toMatchObject({ subscription_status: 'cancelled', end_date: '2025-06-05T00:00:00.000Z', cancelled_at: '2025-06-10T00:00:00.000Z' });
    expect(after.line_items.map((l: any) => l.end_date)).toEqual(['2025-06-05T00:00:00.000Z']);
  });

  it('a trialing subscription gets no credit and no final invoice', async () => {
    at(server, '2025-06-10T00:00:00Z');
    const sub = await fresh({ trial_period_days: 14 });
    expect(sub.subscription_status).toBe('trialing');
    at(server, '2025-06-12T00:00:00Z');
    const res = await cancel(sub.id, { cancellation_type: 'immediate', proration_behavior: 'create_prorations', cancel_immediately_invoice_policy: 'generate_invoice' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ status: 'cancelled', total_credit_amount: '0', proration_details: [] });
    expect(res.body).not.toHaveProperty('proration_invoice');
    expect((await api.get(`/v1/customers/${sub.customer_id}/wallets`)).body).toEqual([]);
  });
});
