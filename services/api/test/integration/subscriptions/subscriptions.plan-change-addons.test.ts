// A v2 plan change's entity_policies.addons on the Basic plan ($30 a month in advance; June 2025 has
// 30 days) moving to Pro ($60): an addon "Backups" of $10 a month in advance is carried or dropped.
import { beforeAll, describe, expect, it } from 'vitest';
import { at, billAt, headlineOf, invoicesOf, linesOf, subscriptionOf } from '../../support/billing.ts';
import { createAddon, createPlan, createPrice, fixedPrice, priceBody, useTestServer } from '../../support/fixtures.ts';
import { useBasicPlan } from './basic-plan.ts';

const server = useTestServer();
const basic = useBasicPlan(server);
let addon: any;
let pro: any;

beforeAll(async () => {
  at(server, '2025-06-01T00:00:00Z');
  addon = await createAddon(server.api, { name: 'Backups' });
  await createPrice(server.api, priceBody('ADDON', addon.id, { amount: '10', display_name: 'Backups' }));
  pro = await createPlan(server.api, { name: 'Pro' });
  await createPrice(server.api, fixedPrice(pro.id, { amount: '60', display_name: 'Pro fee' }));
});

/** A Basic subscription from 1 June with Backups attached then, its whole $10 for June invoiced at once. */
async function withBackups(): Promise<{ sub: any; associationId: string }> {
  at(server, '2025-06-01T00:00:00Z');
  const sub = await basic();
  const res = await server.api.post('/v1/subscriptions/addon', { subscription_id: sub.id, addon_id: addon.id, proration_behavior: 'create_prorations' });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.invoice).toMatchObject({ total: '10' });
  return { sub, associationId: res.body.id };
}

const change = (id: string, step: 'preview' | 'execute', body: Record<string, unknown>) => server.api.post(`/v1/subscriptions/${id}/change/v2/${step}`, body);
const associationsOf = async (id: string) => (await server.api.get(`/v1/subscriptions/${id}/addons/associations`)).body.items;
const addonLinesOf = async (id: string) =>
  (await server.api.post('/v1/subscriptions/lineitems/search', { subscription_ids: [id], entity_type: 'addon', active_filter: false })).body.items.map((l: any) => [l.display_name, l.start_date, l.end_date ?? null]);
const rest = ['2025-06-16T00:00:00.000Z', '2025-07-01T00:00:00.000Z'];

describe('a v2 plan change with attached addons', () => {
  it('drops them on 16 June with prorations: the addon’s unused $5.00 is credited beside Basic’s $15.00; the preview equals the execution', async () => {
    const { sub, associationId } = await withBackups();
    at(server, '2025-06-16T00:00:00Z');
    const body = { target_plan_id: pro.id, proration_behavior: 'create_prorations', entity_policies: { addons: { default_behaviour: 'drop' } } };
    const preview = await change(sub.id, 'preview', body);
    const executed = await change(sub.id, 'execute', body);
    expect([preview.status, executed.status], JSON.stringify(executed.body)).toEqual([200, 200]);
    for (const r of [preview.body, executed.body]) {
      expect(r.entity_changes).toEqual([{ entity_type: 'addon', entity_id: addon.id, reference_id: associationId, behaviour: 'drop' }]);
      expect(r.warnings).toEqual([]);
      // The change type compares the plans only: $30 → $60.
      expect(r.change_type).toBe('upgrade');
      const [settled] = r.changed_resources.invoices;
      // Each: its cost × 1,295,999 ÷ 2,591,999 (15 days − 1 s of 30 days − 1 s): $29.99998… → $30.00, $14.99999… → $15.00, $4.99999… → $5.00.
      expect(linesOf(settled.invoice)).toEqual([
        ['Charge for Pro fee (2025-06-16 to 2025-07-01)', '1', '30', ...rest],
        ['Credit for Basic (2025-06-16 to 2025-07-01)', '1', '-15', ...rest],
        ['Credit for Backups (2025-06-16 to 2025-07-01)', '1', '-5', ...rest],
      ]);
      expect(headlineOf(settled.invoice)).toMatchObject({ billing_reason: 'SUBSCRIPTION_UPDATE', subtotal: '10', total: '10', amount_due: '10' });
      expect(r.changed_resources.line_items.map((l: any) => [l.change_action, l.end_date ?? null])).toEqual([
        ['ended', rest[0]],
        ['ended', rest[0]],
        ['created', null],
      ]);
    }
    const credit = executed.body.changed_resources.invoices[0].invoice.line_items[2];
    expect([credit.entity_type, credit.entity_id]).toEqual(['addon', addon.id]);
    expect(await associationsOf(sub.id)).toEqual([]);
    expect(await addonLinesOf(sub.id)).toEqual([['Backups', '2025-06-01T00:00:00.000Z', rest[0]]]);

    // July bills Pro alone.
    await billAt(server, '2025-07-01T00:00:00Z');
    const july = (await invoicesOf(server.api, sub.id)).find((i) => i.billing_reason === 'SUBSCRIPTION_CYCLE');
    expect(linesOf(july).map((l) => [l[0], l[2]])).toEqual([['Pro fee', '60']]);
    expect(july.total).toBe('60');
  });

  it('carries them by default, and by an override that beats a drop default; an unknown override is a warning', async () => {
    const { sub, associationId } = await withBackups();
    at(server, '2025-06-16T00:00:00Z');
    const body = { target_plan_id: pro.id, proration_behavior: 'none', entity_policies: { addons: { default_behaviour: 'drop', overrides: { [associationId]: 'carry', addon_assoc_gone: 'drop' } } } };
    const res = await change(sub.id, 'execute', body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.entity_changes).toEqual([{ entity_type: 'addon', entity_id: addon.id, reference_id: associationId, behaviour: 'carry' }]);
    expect(res.body.warnings).toEqual(['ignored addon behaviour for unknown or inactive association addon_assoc_gone']);
    expect(res.body.changed_resources.line_items.map((l: any) => l.change_action)).toEqual(['ended', 'created']);
    expect((await associationsOf(sub.id)).map((a: any) => a.id)).toEqual([associationId]);
    expect(await addonLinesOf(sub.id)).toEqual([['Backups', '2025-06-01T00:00:00.000Z', null]]);

    const { sub: plain, associationId: kept } = await withBackups();
    at(server, '2025-06-16T00:00:00Z');
    const carried = await change(plain.id, 'execute', { target_plan_id: pro.id, proration_behavior: 'none' });
    expect(carried.body.entity_changes).toEqual([{ entity_type: 'addon', entity_id: addon.id, reference_id: kept, behaviour: 'carry' }]);
    // Without prorations the change settles nothing; July's renewal bills Pro and the carried Backups in advance.
    await billAt(server, '2025-07-01T00:00:00Z');
    const july = (await invoicesOf(server.api, plain.id)).find((i) => i.billing_reason === 'SUBSCRIPTION_CYCLE');
    expect(linesOf(july).map((l) => [l[0], l[2]])).toEqual([
      ['Backups', '10'],
      ['Pro fee', '60'],
    ]);
  });

  it('drops them at the period end when the change is scheduled: the bill run cancels the association on 1 July', async () => {
    const { sub, associationId } = await withBackups();
    at(server, '2025-06-20T00:00:00Z');
    const res = await change(sub.id, 'execute', { target_plan_id: pro.id, proration_behavior: 'none', change_at: 'end_of_period', entity_policies: { addons: { default_behaviour: 'drop' } } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ is_scheduled: true, entity_changes: [{ reference_id: associationId, behaviour: 'drop' }] });
    expect((await associationsOf(sub.id)).map((a: any) => a.id)).toEqual([associationId]);
    await billAt(server, '2025-07-01T00:00:00Z');
    expect(await subscriptionOf(server.api, sub.id)).toMatchObject({ plan_id: pro.id });
    expect(await addonLinesOf(sub.id)).toEqual([['Backups', '2025-06-01T00:00:00.000Z', '2025-07-01T00:00:00.000Z']]);
    const july = (await invoicesOf(server.api, sub.id)).find((i) => i.billing_reason === 'SUBSCRIPTION_CYCLE');
    expect(linesOf(july).map((l) => [l[0], l[2]])).toEqual([['Pro fee', '60']]);
    expect(july.total).toBe('60');
  });

  it('refuses a behaviour other than carry or drop, naming the field, and changes nothing', async () => {
    const { sub, associationId } = await withBackups();
    const before = await subscriptionOf(server.api, sub.id);
    at(server, '2025-06-16T00:00:00Z');
    for (const [policy, field] of [
      [{ default_behaviour: 'add' }, 'entity_policies.addons.default_behaviour'],
      [{ overrides: { [associationId]: 'add' } }, `entity_policies.addons.overrides.${associationId}`],
    ] as const) {
      const res = await change(sub.id, 'execute', { target_plan_id: pro.id, proration_behavior: 'none', entity_policies: { addons: policy } });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(Object.keys(res.body.details)).toEqual([field]);
    }
    expect(await subscriptionOf(server.api, sub.id)).toMatchObject({ plan_id: before.plan_id, version: before.version });
    expect((await associationsOf(sub.id)).map((a: any) => a.id)).toEqual([associationId]);
  });
});
