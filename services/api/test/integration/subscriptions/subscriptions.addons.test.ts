// Addons on subscriptions of the Basic plan ($30 a month in advance; June 2025 has 30 days): an addon
// "Backups" of $10 a month in advance with a metered entitlement (500 calls) and a $5 ONETIME credit grant.
import { beforeAll, describe, expect, it } from 'vitest';
import { at, invoicesOf, sendEvents, subscribe } from '../../support/billing.ts';
import { createAddon, createCustomer, createEntitlement, createFeature, createPlan, createPrice, priceBody, usagePrice, useTestServer } from '../../support/fixtures.ts';
import { useBasicPlan } from './basic-plan.ts';

const server = useTestServer();
const basic = useBasicPlan(server);
let addon: any;
let feature: any;

const attach = (body: Record<string, unknown>) => server.api.post('/v1/subscriptions/addon', body);
const remove = (body: Record<string, unknown>) => server.api.request('DELETE', '/v1/subscriptions/addon', body);
const associationsOf = async (subId: string) => {
  const res = await server.api.get(`/v1/subscriptions/${subId}/addons/associations`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.pagination).toEqual({ total: res.body.items.length, limit: 0, offset: 0 });
  return res.body.items;
};
const addonLines = async (subId: string) =>
  (await server.api.post('/v1/subscriptions/lineitems/search', { subscription_ids: [subId], entity_type: 'addon', active_filter: false })).body.items;
const updates = async (subId: string) =>
  (await server.api.get('/v1/webhooks/events?limit=1000')).body.items.filter((e: any) => e.entity_id === subId && e.event_type === 'subscription.updated').length;
const fieldsOf = (body: any) => Object.keys(body.details ?? {});

beforeAll(async () => {
  at(server, '2025-06-01T00:00:00Z');
  addon = await createAddon(server.api, { name: 'Backups' });
  await createPrice(server.api, priceBody('ADDON', addon.id, { amount: '10', display_name: 'Backups' }));
  // A price in another currency and one of another period are not taken.
  await createPrice(server.api, priceBody('ADDON', addon.id, { amount: '9', currency: 'eur' }));
  await createPrice(server.api, priceBody('ADDON', addon.id, { amount: '100', billing_period: 'ANNUAL' }));
  feature = await createFeature.metered(server.api);
  await createEntitlement(server.api, { entity_type: 'ADDON', entity_id: addon.id, feature_id: feature.id, feature_type: 'metered', usage_limit: 500, usage_reset_period: 'MONTHLY' });
  const grant = await server.api.post('/v1/creditgrants', { name: 'Backup credits', scope: 'ADDON', addon_id: addon.id, credits: '5', cadence: 'ONETIME', expiration_type: 'NEVER' });
  expect(grant.status, JSON.stringify(grant.body)).toBe(201);
});

describe('addons on subscriptions', () => {
  it('attaches without prorations on 16 June: line items, entitlements and a copied grant; no invoice until the renewal', async () => {
    at(server, '2025-06-01T00:00:00Z');
    const sub = await basic();
    at(server, '2025-06-16T00:00:00Z');
    const res = await attach({ subscription_id: sub.id, addon_id: addon.id });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ entity_id: sub.id, addon_id: addon.id, addon_status: 'active', start_date: '2025-06-16T00:00:00.000Z', metadata: {} });
    expect(res.body.invoice).toBeUndefined();
    expect((await invoicesOf(server.api, sub.id)).map((i: any) => i.total)).toEqual(['30']);
    const lines = await addonLines(sub.id);
    expect(lines.map((l: any) => [l.entity_id, l.addon_association_id, l.price.amount, l.quantity, l.start_date, l.end_date])).toEqual([
      [addon.id, res.body.id, '10', '1', '2025-06-16T00:00:00.000Z', undefined],
    ]);
    expect(lines[0].metadata).toEqual({ addon_id: addon.id, subscription_id: sub.id, addon_quantity: '1', addon_status: 'active' });
    // The addon's 500 calls join the subscription's entitlements (the plan grants none).
    const ents = (await server.api.get(`/v1/subscriptions/${sub.id}/entitlements`)).body;
    const backups = ents.features.find((f: any) => f.feature.id === feature.id);
    expect(backups.entitlement).toMatchObject({ is_enabled: true, usage_limit: 500 });
    expect(backups.sources.map((s: any) => [s.entity_type, s.entity_id, s.entity_name])).toEqual([['addon', addon.id, 'Backups']]);
    // The addon's grant is copied onto the subscription from the attach date, and its $5 applied at once.
    const grants = (await server.api.get(`/v1/creditgrants?subscription_ids=${sub.id}`)).body.items;
    expect(grants.map((g: any) => [g.scope, g.addon_id, g.credits, g.start_date, g.credit_grant_anchor])).toEqual([
      ['SUBSCRIPTION', addon.id, '5', '2025-06-16T00:00:00.000Z', '2025-06-16T00:00:00.000Z'],
    ]);
    const wallets = (await server.api.get(`/v1/customers/${sub.customer_id}/wallets`)).body;
    expect(wallets.map((w: any) => w.credit_balance)).toEqual(['5']);
    expect(await updates(sub.id)).toBe(1);
  });

  it('attaches the same addon twice: two associations, each with its line; the 1 July renewal bills both', async () => {
    at(server, '2025-06-01T00:00:00Z');
    const sub = await basic();
    const first = await attach({ subscription_id: sub.id, addon_id: addon.id, cadence: 'recurring' });
    const second = await attach({ subscription_id: sub.id, addon_id: addon.id });
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(first.body.id).not.toBe(second.body.id);
    // Newest first, as FlexPrice lists them.
    expect((await associationsOf(sub.id)).map((a: any) => [a.id, a.addon.id])).toEqual([[second.body.id, addon.id], [first.body.id, addon.id]]);
    const ents = (await server.api.get(`/v1/subscriptions/${sub.id}/entitlements`)).body;
    expect(ents.features.find((f: any) => f.feature.id === feature.id).entitlement.usage_limit).toBe(1000);
    at(server, '2025-07-01T00:00:00Z');
    await server.billing.tick();
    const cycle = (await invoicesOf(server.api, sub.id)).find((i: any) => i.billing_reason === 'SUBSCRIPTION_CYCLE');
    expect(cycle.line_items.map((l: any) => [l.display_name, l.amount])).toEqual([['Basic', '30'], ['Backups', '10'], ['Backups', '10']]);
    expect(cycle).toMatchObject({ subtotal: '50', total: '50' });
  });

  it('attaches a onetime addon: it ends at the period end, is not billed again, and cannot be removed', async () => {
    at(server, '2025-06-01T00:00:00Z');
    const sub = await basic();
    at(server, '2025-06-16T00:00:00Z');
    const res = await attach({ subscription_id: sub.id, addon_id: addon.id, cadence: 'onetime', proration_behavior: 'create_prorations' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ end_date: '2025-07-01T00:00:00.000Z', addon_status: 'active' });
    // (30 d − 1 s − 15 d) ÷ (30 d − 1 s) of $10 = 4.99999… → $5.00
    expect(res.body.invoice).toMatchObject({ billing_reason: 'PRORATION', total: '5' });
    expect((await addonLines(sub.id)).map((l: any) => l.end_date)).toEqual(['2025-07-01T00:00:00.000Z']);
    const again = await remove({ addon_association_id: res.body.id });
    expect(again.status).toBe(400);
    at(server, '2025-07-01T00:00:00Z');
    await server.billing.tick();
    const cycle = (await invoicesOf(server.api, sub.id)).find((i: any) => i.billing_reason === 'SUBSCRIPTION_CYCLE');
    expect(cycle.line_items.map((l: any) => [l.display_name, l.amount])).toEqual([['Basic', '30']]);
  });

  it('removes at the period end by default: cancelled at once, billed until 1 July, the grant copies end', async () => {
    at(server, '2025-06-01T00:00:00Z');
    const sub = await basic();
    const made = (await attach({ subscription_id: sub.id, addon_id: addon.id })).body;
    at(server, '2025-06-10T00:00:00Z');
    const res = await remove({ addon_association_id: made.id, reason: 'too expensive' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ message: 'addon removed from subscription successfully' });
    expect(await associationsOf(sub.id)).toEqual([]);
    expect((await addonLines(sub.id)).map((l: any) => l.end_date)).toEqual(['2025-07-01T00:00:00.000Z']);
    const grants = (await server.api.get(`/v1/creditgrants?subscription_ids=${sub.id}`)).body.items;
    expect(grants.map((g: any) => g.end_date)).toEqual(['2025-07-01T00:00:00.000Z']);
    // No proration asked: no credit beyond the grant's $5.
    expect((await server.api.get(`/v1/customers/${sub.customer_id}/wallets`)).body.map((w: any) => w.credit_balance)).toEqual(['5']);
    expect(await updates(sub.id)).toBe(2);
  });

  it('removes mid-period with prorations once when two removals race: $5.00 credited, the other refused', async () => {
    at(server, '2025-06-01T00:00:00Z');
    const sub = await basic();
    const made = (await attach({ subscription_id: sub.id, addon_id: addon.id, proration_behavior: 'create_prorations' })).body;
    // Attached at the period start: the whole $10 of June, on a proration invoice.
    expect(made.invoice).toMatchObject({ billing_reason: 'PRORATION', total: '10' });
    at(server, '2025-06-16T00:00:00Z');
    const body = { addon_association_id: made.id, proration_behavior: 'create_prorations', effective_date: '2025-06-16T00:00:00Z' };
    const answers = await Promise.all([remove(body), remove(body)]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 400]);
    // (30 d − 1 s − 15 d) ÷ (30 d − 1 s) of the $10 charged = 4.99999… → $5.00, beside the grant's $5.
    const [wallet] = (await server.api.get(`/v1/customers/${sub.customer_id}/wallets`)).body;
    expect(wallet).toMatchObject({ credit_balance: '10', balance: '10' });
    const ledger = (await server.api.get(`/v1/wallets/${wallet.id}/transactions?limit=100`)).body.items;
    expect(ledger.map((t: any) => [t.transaction_reason, t.credit_amount]).sort()).toEqual([['SUBSCRIPTION_CREDIT_GRANT', '5'], ['SUBSCRIPTION_CREDIT_GRANT', '5']]);
    expect((await addonLines(sub.id)).map((l: any) => l.end_date)).toEqual(['2025-06-16T00:00:00.000Z']);
  });

  it('attached on 16 June and removed on 21 June, both prorated: charged $5.00, credited the unused $3.33 of the addon’s cost', async () => {
    at(server, '2025-06-01T00:00:00Z');
    const sub = await basic();
    at(server, '2025-06-16T00:00:00Z');
    const made = (await attach({ subscription_id: sub.id, addon_id: addon.id, proration_behavior: 'create_prorations' })).body;
    // (30 d − 1 s − 15 d) ÷ (30 d − 1 s) of $10 = 4.99999… → $5.00
    expect(made.invoice).toMatchObject({ billing_reason: 'PRORATION', total: '5' });
    at(server, '2025-06-21T00:00:00Z');
    const res = await remove({ addon_association_id: made.id, proration_behavior: 'create_prorations', effective_date: '2025-06-21T00:00:00Z' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    // The unused part of the addon's $10 cost, (30 d − 1 s − 20 d) ÷ (30 d − 1 s) × $10 = 3.33333… → $3.33, under the $5.00 the
    // line was charged (not the same share of the $5.00 charge, $1.67); beside the grant's $5.
    const [wallet] = (await server.api.get(`/v1/customers/${sub.customer_id}/wallets`)).body;
    expect(wallet).toMatchObject({ credit_balance: '8.33', balance: '8.33' });
    const ledger = (await server.api.get(`/v1/wallets/${wallet.id}/transactions?limit=100`)).body.items;
    expect(ledger.map((t: any) => t.credit_amount).sort()).toEqual(['3.33', '5']);
  });

  it('counts an attached addon’s calls as included usage on the period-end invoice: 700 calls − 500 = 200 billed, $2.00', async () => {
    at(server, '2025-06-01T00:00:00Z');
    const api = server.api;
    const calls = await createFeature.metered(api, { type: 'COUNT' });
    const plan = await createPlan(api, { name: 'API' });
    await createPrice(api, usagePrice(plan.id, calls.meter_id, { amount: '0.01', display_name: 'Calls' }));
    const pack = await createAddon(api, { name: 'Call pack' });
    await createPrice(api, priceBody('ADDON', pack.id, { amount: '10', display_name: 'Call pack' }));
    await createEntitlement(api, { entity_type: 'ADDON', entity_id: pack.id, feature_id: calls.id, feature_type: 'metered', usage_limit: 500, usage_reset_period: 'MONTHLY' });
    const customer = await createCustomer(api, { name: 'Caller' });
    const sub = await subscribe(api, { customer_id: customer.id, plan_id: plan.id, currency: 'usd', billing_period: 'MONTHLY' });
    expect((await attach({ subscription_id: sub.id, addon_id: pack.id })).status).toBe(200);
    at(server, '2025-06-20T00:00:00Z');
    await sendEvents(api, { eventName: calls.meter.event_name, customer: customer.external_id, timestamp: '2025-06-10T00:00:00Z', count: 700, prefix: `pack-${sub.id}` });
    at(server, '2025-07-01T00:00:00Z');
    await server.billing.tick();
    const cycle = (await invoicesOf(api, sub.id)).find((i: any) => i.billing_reason === 'SUBSCRIPTION_CYCLE');
    // June's 700 calls less the pack's 500: 200 × $0.01 = $2.00; July's pack in advance: $10.00.
    expect(cycle.line_items.map((l: any) => [l.display_name, l.quantity, l.adjusted_entitlement_quantity ?? null, l.amount])).toEqual([
      ['Calls', '200', '500', '2'],
      ['Call pack', '1', null, '10'],
    ]);
    expect(cycle).toMatchObject({ subtotal: '12', total: '12' });
  });

  it('attaches and removes through modify type addon: the preview answers what the execution does', async () => {
    at(server, '2025-06-01T00:00:00Z');
    const sub = await basic();
    const other = await basic();
    at(server, '2025-06-16T00:00:00Z');
    const modify = (kind: 'preview' | 'execute', body: Record<string, unknown>) => server.api.post(`/v1/subscriptions/${sub.id}/modify/${kind}`, body);
    const add = { type: 'addon', addon_params: { action: 'add', add: { addon_id: addon.id, proration_behavior: 'create_prorations' } } };
    const preview = await modify('preview', add);
    const executed = await modify('execute', add);
    expect([preview.status, executed.status], JSON.stringify(executed.body)).toEqual([200, 200]);
    for (const r of [preview.body, executed.body]) {
      // (30 d − 1 s − 15 d) ÷ (30 d − 1 s) of $10 = 4.99999… → $5.00
      expect(r.changed_resources.invoices.map((i: any) => [i.action, i.amount, i.invoice.billing_reason])).toEqual([['created', '5', 'PRORATION']]);
      expect(r.changed_resources.line_items.map((l: any) => [l.change_action, l.quantity, l.start_date])).toEqual([['created', '1', '2025-06-16T00:00:00.000Z']]);
    }
    expect(preview.body.changed_resources.invoices[0].id).toBe('(preview)');
    const [association] = await associationsOf(sub.id);
    expect(association.addon_id).toBe(addon.id);
    expect((await invoicesOf(server.api, sub.id)).map((i: any) => i.total).sort()).toEqual(['30', '5']);

    const refusals: [Record<string, unknown>, number, string][] = [
      [{ type: 'addon' }, 400, 'addon_params'],
      [{ type: 'addon', addon_params: { action: 'swap' } }, 400, 'addon_params.action'],
      [{ type: 'addon', addon_params: { action: 'add' } }, 400, 'addon_params.add'],
      [{ type: 'addon', addon_params: { action: 'add', add: { addon_id: 7 } } }, 400, 'addon_params.add.addon_id'],
      [{ type: 'addon', addon_params: { action: 'add', add: { addon_id: 'addon_missing' } } }, 404, 'addon_params.add.addon_id'],
      [{ type: 'addon', addon_params: { action: 'remove', remove: { addon_association_id: 'addon_assoc_missing' } } }, 404, 'addon_params.remove.addon_association_id'],
      [{ type: 'addon', addon_params: { action: 'remove', remove: { addon_association_id: association.id, effective_date: '2025-08-01T00:00:00Z' } } }, 400, 'addon_params.remove.effective_date'],
    ];
    for (const [body, status, field] of refusals) {
      const res = await modify('execute', body);
      expect(res.status, `${JSON.stringify(body)} → ${JSON.stringify(res.body)}`).toBe(status);
      expect(fieldsOf(res.body), JSON.stringify(res.body)).toContain(field);
    }
    const elsewhere = await server.api.post(`/v1/subscriptions/${other.id}/modify/execute`, { type: 'addon', addon_params: { action: 'remove', remove: { addon_association_id: association.id } } });
    expect(elsewhere.status).toBe(400);
    expect(fieldsOf(elsewhere.body)).toEqual(['addon_params.remove.addon_association_id']);

    at(server, '2025-06-21T00:00:00Z');
    // Without prorations (a prorated removal's credit is tested above): the line ends, nothing is credited.
    const remove = { type: 'addon', addon_params: { action: 'remove', remove: { addon_association_id: association.id, effective_date: '2025-06-21T00:00:00Z', reason: 'trial over' } } };
    const previewRemove = await modify('preview', remove);
    const removed = await modify('execute', remove);
    expect([previewRemove.status, removed.status], JSON.stringify(removed.body)).toEqual([200, 200]);
    for (const r of [previewRemove.body, removed.body]) {
      expect(r.changed_resources.invoices).toEqual([]);
      expect(r.changed_resources.line_items.map((l: any) => [l.change_action, l.start_date, l.end_date])).toEqual([['ended', '2025-06-16T00:00:00.000Z', '2025-06-21T00:00:00.000Z']]);
    }
    expect(await associationsOf(sub.id)).toEqual([]);
    expect((await addonLines(sub.id)).map((l: any) => l.end_date)).toEqual(['2025-06-21T00:00:00.000Z']);
    // The grant's $5 at the attach, nothing for the removal.
    expect((await server.api.get(`/v1/customers/${sub.customer_id}/wallets`)).body.map((w: any) => w.credit_balance)).toEqual(['5']);
    // Each execution announced subscription.updated; previews announce nothing.
    expect(await updates(sub.id)).toBe(2);
  });

  it('refuses bad attachments with 4xx naming the field, and writes nothing', async () => {
    at(server, '2025-06-01T00:00:00Z');
    const sub = await basic();
    const archived = await createAddon(server.api, { name: 'Old' });
    await createPrice(server.api, priceBody('ADDON', archived.id));
    expect((await server.api.delete(`/v1/addons/${archived.id}`)).status).toBe(200);
    const euro = await createAddon(server.api, { name: 'Euro only' });
    await createPrice(server.api, priceBody('ADDON', euro.id, { currency: 'eur' }));
    const cases: [Record<string, unknown>, number, string][] = [
      [{ subscription_id: sub.id }, 400, 'addon_id'],
      [{ subscription_id: sub.id, addon_id: 'addon_missing' }, 404, 'addon_id'],
      [{ subscription_id: 'subs_missing', addon_id: addon.id }, 404, 'subscription_id'],
      [{ subscription_id: sub.id, addon_id: archived.id }, 400, 'addon_id'],
      [{ subscription_id: sub.id, addon_id: euro.id }, 400, 'addon_id'],
      [{ subscription_id: sub.id, addon_id: addon.id, start_date: '2025-05-01T00:00:00Z' }, 400, 'start_date'],
      [{ subscription_id: sub.id, addon_id: addon.id, start_date: 'soon' }, 400, 'start_date'],
      [{ subscription_id: sub.id, addon_id: addon.id, cadence: 'weekly' }, 400, 'cadence'],
      [{ subscription_id: sub.id, addon_id: addon.id, override_line_items: [{ price_id: 'price_x' }] }, 400, 'override_line_items'],
      [{ subscription_id: sub.id, addon_id: addon.id, checkout: { provider: 'razorpay' } }, 400, 'checkout'],
    ];
    for (const [body, status, field] of cases) {
      const res = await attach(body);
      expect(res.status, `${JSON.stringify(body)} → ${JSON.stringify(res.body)}`).toBe(status);
      expect(fieldsOf(res.body).join(',') + res.body.message, JSON.stringify(res.body)).toContain(field);
    }
    expect(await associationsOf(sub.id)).toEqual([]);
    expect(await addonLines(sub.id)).toEqual([]);
    expect(await updates(sub.id)).toBe(0);
    // A cancelled subscription takes no addon.
    expect((await server.api.post(`/v1/subscriptions/${sub.id}/cancel`, { cancellation_type: 'immediate' })).status).toBe(200);
    const cancelled = await attach({ subscription_id: sub.id, addon_id: addon.id });
    expect(cancelled.status).toBe(400);
    expect(cancelled.body.message).toContain('active subscription');
  });

  it('refuses bad removals, and changes nothing', async () => {
    at(server, '2025-06-01T00:00:00Z');
    const sub = await basic();
    const made = (await attach({ subscription_id: sub.id, addon_id: addon.id })).body;
    const before = await updates(sub.id);
    const cases: [Record<string, unknown>, number, string][] = [
      [{}, 400, 'addon_association_id'],
      [{ addon_association_id: 'addon_assoc_missing' }, 404, 'addon_association_id'],
      [{ addon_association_id: made.id, effective_date: '2025-07-02T00:00:00Z' }, 400, 'effective_date'],
      [{ addon_association_id: made.id, effective_date: '2025-05-31T00:00:00Z' }, 400, 'effective_date'],
      [{ addon_association_id: made.id, proration_behavior: 'sometimes' }, 400, 'proration_behavior'],
    ];
    for (const [body, status, field] of cases) {
      const res = await remove(body);
      expect(res.status, `${JSON.stringify(body)} → ${JSON.stringify(res.body)}`).toBe(status);
      expect(fieldsOf(res.body).join(',') + res.body.message, JSON.stringify(res.body)).toContain(field);
    }
    expect((await associationsOf(sub.id)).map((a: any) => a.addon_status)).toEqual(['active']);
    expect((await addonLines(sub.id)).map((l: any) => l.end_date)).toEqual([undefined]);
    expect(await updates(sub.id)).toBe(before);
    expect((await server.api.get('/v1/subscriptions/subs_missing/addons/associations')).status).toBe(404);
  });

  it('attaches addons as the subscription is created: on the opening invoice, the grant applied once it starts', async () => {
    at(server, '2025-06-01T00:00:00Z');
    const sub = await basic({ addons: [{ addon_id: addon.id, metadata: { via: 'create' } }] });
    expect(sub.latest_invoice.line_items.map((l: any) => [l.display_name, l.amount, l.period_start, l.period_end])).toEqual([
      ['Basic', '30', '2025-06-01T00:00:00.000Z', '2025-07-01T00:00:00.000Z'],
      ['Backups', '10', '2025-06-01T00:00:00.000Z', '2025-07-01T00:00:00.000Z'],
    ]);
    expect(sub.latest_invoice).toMatchObject({ billing_reason: 'SUBSCRIPTION_CREATE', subtotal: '40', total: '40' });
    expect((await associationsOf(sub.id)).map((a: any) => [a.addon_id, a.start_date, a.metadata])).toEqual([[addon.id, '2025-06-01T00:00:00.000Z', { via: 'create' }]]);
    expect(sub.line_items.filter((l: any) => l.entity_type === 'addon').map((l: any) => l.addon_association_id)).toEqual([expect.stringMatching(/^addon_assoc_/)]);
    expect((await server.api.get(`/v1/customers/${sub.customer_id}/wallets`)).body.map((w: any) => w.credit_balance)).toEqual(['5']);
    // An unknown addon is named by its place in the list, and nothing is created.
    const before = (await server.api.get('/v1/subscriptions?limit=1000')).body.items.length;
    const customer = (await server.api.post('/v1/customers', { external_id: `addons-${sub.id}`, name: 'Nobody' })).body;
    const refused = await server.api.post('/v1/subscriptions', { customer_id: customer.id, plan_id: sub.plan_id, currency: 'usd', billing_period: 'MONTHLY', addons: [{ addon_id: addon.id }, { addon_id: 'addon_missing' }] });
    expect(refused.status).toBe(404);
    expect(fieldsOf(refused.body)).toEqual(['addons[1].addon_id']);
    expect((await server.api.get('/v1/subscriptions?limit=1000')).body.items.length).toBe(before);
  });

  it('an addon in use cannot be deleted; cancelling the subscription cancels its associations and frees it', async () => {
    at(server, '2025-06-01T00:00:00Z');
    const own = await createAddon(server.api, { name: 'Archive' });
    await createPrice(server.api, priceBody('ADDON', own.id, { amount: '4' }));
    const sub = await basic();
    const made = (await attach({ subscription_id: sub.id, addon_id: own.id })).body;
    const refused = await server.api.delete(`/v1/addons/${own.id}`);
    expect(refused.status).toBe(400);
    expect(refused.body.message).toBe('cannot delete addon that is in use');
    at(server, '2025-06-11T00:00:00Z');
    expect((await server.api.post(`/v1/subscriptions/${sub.id}/cancel`, { cancellation_type: 'immediate' })).status).toBe(200);
    expect(await associationsOf(sub.id)).toEqual([]);
    const removal = await remove({ addon_association_id: made.id });
    expect(removal.status).toBe(400);
    expect(removal.body.message).toContain('already scheduled to be removed at 2025-06-11T00:00:00.000Z');
    expect((await addonLines(sub.id)).map((l: any) => l.end_date)).toEqual(['2025-06-11T00:00:00.000Z']);
    expect((await server.api.delete(`/v1/addons/${own.id}`)).status).toBe(200);
  });
});
