// Line items after creation on the Basic plan ($30 a month in advance, June 2025 has 30 days).
import { describe, expect, it } from 'vitest';
import { at, invoicesOf } from '../../support/billing.ts';
import { useTestServer } from '../../support/fixtures.ts';
import { useBasicPlan } from './basic-plan.ts';

const server = useTestServer();
const basic = useBasicPlan(server);

describe('subscription line items after creation', () => {
  it('re-prices a line on 16 June: ends it, starts a successor on a SUBSCRIPTION-scoped copy at $45', async () => {
    at(server, '2025-06-01T00:00:00Z');
    const sub = await basic();
    const line = sub.line_items[0];
    at(server, '2025-06-16T00:00:00Z');
    const res = await server.api.put(`/v1/subscriptions/lineitems/${line.id}`, { amount: '45' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ start_date: '2025-06-16T00:00:00.000Z', quantity: '1', price: { amount: '45', entity_type: 'SUBSCRIPTION', entity_id: sub.id, parent_price_id: line.price_id } });
    expect(res.body.id).not.toBe(line.id);
    const all = (await server.api.post('/v1/subscriptions/lineitems/search', { subscription_ids: [sub.id], active_filter: false })).body;
    expect(all.items.map((l: any) => [l.id, l.end_date ?? null]).sort()).toEqual([[line.id, '2025-06-16T00:00:00.000Z'], [res.body.id, null]].sort());
    const active = (await server.api.post('/v1/subscriptions/lineitems/search', { subscription_ids: [sub.id] })).body;
    expect(active.items.map((l: any) => l.id)).toEqual([res.body.id]);
    // Metadata alone changes the line itself.
    const meta = await server.api.put(`/v1/subscriptions/lineitems/${res.body.id}`, { metadata: { team: 'ops' } });
    expect(meta.status).toBe(200);
    expect(meta.body).toMatchObject({ id: res.body.id, metadata: { team: 'ops' } });
    // The re-priced line is not charged again for June; the opening $30 is the only invoice.
    expect((await invoicesOf(server.api, sub.id)).map((i: any) => i.total)).toEqual(['30']);
    // Each change announced subscription.updated (the re-pricing and the metadata).
    const events = await server.api.get('/v1/webhooks/events?limit=1000');
    expect(events.body.items.filter((e: any) => e.entity_id === sub.id && e.event_type === 'subscription.updated')).toHaveLength(2);
  });

  it('adds a $20 ADVANCE line with create_prorations on 16 June: $10.00 on a PRORATION invoice', async () => {
    at(server, '2025-06-01T00:00:00Z');
    const sub = await basic();
    at(server, '2025-06-16T00:00:00Z');
    const res = await server.api.post(`/v1/subscriptions/${sub.id}/lineitems`, {
      price: { type: 'FIXED', amount: '20', billing_period: 'MONTHLY', billing_model: 'FLAT_FEE', invoice_cadence: 'ADVANCE' },
      display_name: 'Add-on seat',
      proration_behavior: 'create_prorations',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    // (30 d − 1 s − 15 d) ÷ (30 d − 1 s) of $20 = 9.99999… → 10.00
    const invoices = await invoicesOf(server.api, sub.id);
    const proration = invoices.find((i: any) => i.billing_reason === 'PRORATION');
    expect(proration).toMatchObject({ invoice_type: 'ONE_OFF', subscription_id: sub.id, total: '10', invoice_status: 'FINALIZED', period_start: '2025-06-16T00:00:00.000Z', period_end: '2025-07-01T00:00:00.000Z' });
  });

  it('raises the quantity on 16 June of a line ending on 26 June: charges those 10 days only, $20.00', async () => {
    at(server, '2025-06-01T00:00:00Z');
    const sub = await basic();
    const line = sub.line_items[0];
    at(server, '2025-06-11T00:00:00Z');
    const ending = await server.api.request('DELETE', `/v1/subscriptions/lineitems/${line.id}`, { effective_from: '2025-06-26T00:00:00Z' });
    expect(ending.status, JSON.stringify(ending.body)).toBe(200);
    at(server, '2025-06-16T00:00:00Z');
    const res = await server.api.post(`/v1/subscriptions/${sub.id}/modify/execute`, { type: 'quantity_change', quantity_change_params: { line_items: [{ id: line.id, quantity: '3' }] } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    // ($90 − $30) × (1,295,999 − 431,999) ÷ 2,591,999 (16 → 26 June of 30 days − 1 s) = 20.0000077… → $20.00, not $30.00 to 1 July.
    expect(res.body.changed_resources.invoices.map((i: any) => [i.action, i.amount])).toEqual([['created', '20']]);
    const successor = res.body.changed_resources.line_items.find((l: any) => l.change_action === 'created');
    expect([successor.quantity, successor.start_date, successor.end_date]).toEqual(['3', '2025-06-16T00:00:00.000Z', '2025-06-26T00:00:00.000Z']);
    const proration = (await invoicesOf(server.api, sub.id)).find((i: any) => i.billing_reason === 'PRORATION');
    expect(proration.line_items.map((l: any) => [l.amount, l.quantity, l.period_start, l.period_end])).toEqual([['20', '2', '2025-06-16T00:00:00.000Z', '2025-06-26T00:00:00.000Z']]);
  });

  it('refuses bad input with 400 naming the field, and changes nothing', async () => {
    at(server, '2025-06-01T00:00:00Z');
    const sub = await basic();
    const line = sub.line_items[0];
    const cases: [string, string, Record<string, unknown>, string][] = [
      ['post', `/v1/subscriptions/${sub.id}/lineitems`, {}, 'price_id'],
      ['post', `/v1/subscriptions/${sub.id}/lineitems`, { price_id: 'price_missing' }, 'price_id'],
      ['put', `/v1/subscriptions/lineitems/${line.id}`, {}, 'body'],
      ['put', `/v1/subscriptions/lineitems/${line.id}`, { amount: '5', effective_from: '2025-05-01T00:00:00Z' }, 'effective_from'],
      ['delete', `/v1/subscriptions/lineitems/${line.id}`, { effective_from: '2025-05-01T00:00:00Z' }, 'effective_from'],
      ['post', `/v1/subscriptions/${sub.id}/modify/execute`, { type: 'tax', tax_params: {} }, 'tax_params.action'],
      ['post', `/v1/subscriptions/${sub.id}/modify/execute`, { type: 'addon', addon_params: {} }, 'addon_params.action'],
      ['post', `/v1/subscriptions/${sub.id}/modify/execute`, { type: 'inheritance', inheritance_params: {} }, 'type'],
      ['post', `/v1/subscriptions/${sub.id}/modify/execute`, { type: 'quantity_change' }, 'quantity_change_params'],
      ['post', `/v1/subscriptions/${sub.id}/modify/preview`, { type: 'quantity_change', quantity_change_params: { line_items: [{ id: 'subs_line_x', quantity: '2' }] } }, 'quantity_change_params.line_items[0].id'],
      ['post', `/v1/subscriptions/${sub.id}/modify/execute`, { type: 'quantity_change', quantity_change_params: { line_items: [{ id: line.id, quantity: '2', effective_date: '2025-07-02T00:00:00Z' }] } }, 'quantity_change_params.line_items[0].effective_date'],
    ];
    for (const [method, url, body, field] of cases) {
      const res = await server.api.request(method.toUpperCase(), url, body);
      expect(res.status, `${method} ${url} ${JSON.stringify(body)} → ${JSON.stringify(res.body)}`).toBe(400);
      expect(Object.keys(res.body.details), JSON.stringify(res.body)).toContain(field);
    }
    const all = (await server.api.post('/v1/subscriptions/lineitems/search', { subscription_ids: [sub.id], active_filter: false })).body;
    expect(all.items.map((l: any) => [l.id, l.end_date ?? null])).toEqual([[line.id, null]]);
    const events = await server.api.get('/v1/webhooks/events?limit=1000');
    expect(events.body.items.filter((e: any) => e.entity_id === sub.id && e.event_type === 'subscription.updated')).toHaveLength(0);
    expect((await server.api.put('/v1/subscriptions/lineitems/subs_line_missing', { metadata: {} })).status).toBe(404);
  });
});
