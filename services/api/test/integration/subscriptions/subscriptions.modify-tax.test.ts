// modify type tax on the Basic plan ($30 a month in advance), subscribed on 1 June 2025.
import { describe, expect, it } from 'vitest';
import { at, billAt, headlineOf, invoicesOf } from '../../support/billing.ts';
import { created, expectRefused, unique, useTestServer } from '../../support/fixtures.ts';
import { useBasicPlan } from './basic-plan.ts';

const server = useTestServer();
const basic = useBasicPlan(server);

const modify = (id: string, kind: 'preview' | 'execute', body: Record<string, unknown>) => server.api.post(`/v1/subscriptions/${id}/modify/${kind}`, body);
const taxRate = (percentage: string) => created(server.api, '/v1/taxes/rates', { name: `VAT ${percentage}%`, code: unique('VAT'), tax_rate_type: 'percentage', percentage_value: percentage });
const linksOf = async (id: string) => (await server.api.get(`/v1/taxes/associations?entity_type=subscription&entity_id=${id}&limit=100`)).body.items;
const updates = async (id: string) => (await server.api.get('/v1/webhooks/events?limit=1000')).body.items.filter((e: any) => e.entity_id === id && e.event_type === 'subscription.updated').length;
const cycles = async (id: string) => (await invoicesOf(server.api, id)).filter((i: any) => i.billing_reason === 'SUBSCRIPTION_CYCLE');

describe('modify tax', () => {
  it('links 8.25% on 16 June: the 1 July renewal is taxed $2.48 on $30 ($32.48); unlinked on 10 July, the 1 August one is not', async () => {
    at(server, '2025-06-01T00:00:00Z');
    const sub = await basic();
    const rate = await taxRate('8.25');
    at(server, '2025-06-16T00:00:00Z');
    const body = { type: 'tax', tax_params: { action: 'add', tax_rate_id: rate.id } };
    const preview = await modify(sub.id, 'preview', body);
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    const executed = await modify(sub.id, 'execute', body);
    expect(executed.status, JSON.stringify(executed.body)).toBe(200);
    for (const r of [preview.body, executed.body]) {
      expect(r.changed_resources.line_items).toEqual([]);
      expect(r.changed_resources.invoices).toEqual([]);
      expect(r.changed_resources.tax_associations).toHaveLength(1);
      expect(r.changed_resources.tax_associations[0]).toMatchObject({
        tax_rate_id: rate.id,
        entity_type: 'subscription',
        entity_id: sub.id,
        priority: 100,
        auto_apply: true,
        currency: 'usd',
        start_date: '2025-06-16T00:00:00.000Z',
      });
    }
    expect(preview.body.changed_resources.tax_associations[0].id).toBe('(preview)');
    const linked = executed.body.changed_resources.tax_associations[0];
    expect(linked.id).toMatch(/^ta_/);
    // The preview kept nothing.
    expect((await linksOf(sub.id)).map((a: any) => a.id)).toEqual([linked.id]);
    expect(await updates(sub.id)).toBe(1);
    // 1 July: $30 × 8.25% = $2.475 → $2.48.
    await billAt(server, '2025-07-01T00:00:00Z');
    const [july] = await cycles(sub.id);
    expect(headlineOf(july)).toMatchObject({ subtotal: '30', total_tax: '2.48', total: '32.48', amount_due: '32.48' });
    expect(july.taxes.map((t: any) => [t.tax_rate_id, t.tax_association_id, t.taxable_amount, t.tax_amount])).toEqual([[rate.id, linked.id, '30', '2.48']]);

    at(server, '2025-07-10T00:00:00Z');
    const removed = await modify(sub.id, 'execute', { type: 'tax', tax_params: { action: 'remove', tax_association_id: linked.id } });
    expect(removed.status, JSON.stringify(removed.body)).toBe(200);
    expect(removed.body.changed_resources.tax_associations).toEqual([expect.objectContaining({ id: linked.id, end_date: '2025-07-10T00:00:00.000Z' })]);
    await billAt(server, '2025-08-01T00:00:00Z');
    const [, august] = await cycles(sub.id);
    expect(headlineOf(august)).toMatchObject({ subtotal: '30', total_tax: '0', total: '30' });
    expect(await updates(sub.id)).toBe(2);
  });

  it('links a rate from a future effective_date: invoices finalized before it are not taxed', async () => {
    at(server, '2025-06-01T00:00:00Z');
    const sub = await basic();
    const rate = await taxRate('10');
    const res = await modify(sub.id, 'execute', { type: 'tax', tax_params: { action: 'add', tax_rate_id: rate.id, effective_date: '2025-07-15T00:00:00Z' } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    await billAt(server, '2025-07-01T00:00:00Z');
    await billAt(server, '2025-08-01T00:00:00Z');
    // 1 July: before it, untaxed; 1 August: $30 × 10% = $3.00.
    expect((await cycles(sub.id)).map((i: any) => [i.total_tax, i.total])).toEqual([
      ['0', '30'],
      ['3', '33'],
    ]);
  });

  it('refuses what FlexPrice refuses, naming the field, and changes nothing', async () => {
    at(server, '2025-06-01T00:00:00Z');
    const sub = await basic();
    const other = await basic();
    const rate = await taxRate('10');
    const inactive = await taxRate('5');
    expect((await server.api.put(`/v1/taxes/rates/${inactive.id}`, { tax_rate_status: 'INACTIVE' })).status).toBe(200);
    const future = await taxRate('7');
    at(server, '2025-06-10T00:00:00Z');
    const link = async (id: string, p: Record<string, unknown>) => {
      const res = await modify(id, 'execute', { type: 'tax', tax_params: { action: 'add', ...p } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.changed_resources.tax_associations[0].id as string;
    };
    await link(sub.id, { tax_rate_id: rate.id });
    const pending = await link(sub.id, { tax_rate_id: future.id, effective_date: '2025-08-01T00:00:00Z' });
    const ended = await link(sub.id, { tax_rate_id: (await taxRate('3')).id, effective_date: '2025-06-01T00:00:00Z' });
    expect((await modify(sub.id, 'execute', { type: 'tax', tax_params: { action: 'remove', tax_association_id: ended, effective_date: '2025-06-05T00:00:00Z' } })).status).toBe(200);
    const othersLink = await link(other.id, { tax_rate_id: rate.id });

    const state = async () => [await linksOf(sub.id), await linksOf(other.id), await updates(sub.id)];
    const path = `/v1/subscriptions/${sub.id}/modify/execute`;
    const add = (p: Record<string, unknown>) => ({ type: 'tax', tax_params: { action: 'add', ...p } });
    const remove = (p: Record<string, unknown>) => ({ type: 'tax', tax_params: { action: 'remove', ...p } });
    const cases: [Record<string, unknown>, string, number?][] = [
      [{ type: 'tax' }, 'tax_params'],
      [{ type: 'tax', tax_params: { action: 'swap' } }, 'tax_params.action'],
      [add({}), 'tax_params.tax_rate_id'],
      [add({ tax_rate_id: 'taxrate_missing' }), 'tax_params.tax_rate_id'],
      [add({ tax_rate_id: inactive.id }), 'tax_params.tax_rate_id'],
      // Linked and in effect now.
      [add({ tax_rate_id: rate.id }), 'tax_params.tax_rate_id'],
      [add({ tax_rate_id: future.id, effective_date: '2025-09-01T00:00:00Z' }), 'tax_params.tax_rate_id'],
      [add({ tax_rate_id: rate.id, effective_date: 'tomorrow' }), 'tax_params.effective_date'],
      [remove({}), 'tax_params.tax_association_id'],
      [remove({ tax_association_id: 'ta_missing' }), 'tax_params.tax_association_id', 404],
      [remove({ tax_association_id: othersLink }), 'tax_params.tax_association_id'],
      [remove({ tax_association_id: ended }), 'tax_params.tax_association_id'],
      // It starts on 1 August: it cannot end now.
      [remove({ tax_association_id: pending }), 'tax_params.effective_date'],
    ];
    for (const [body, field, status] of cases) await expectRefused(server.api, { path, body }, { fields: [field], ...(status ? { status } : {}) }, state);
  });
});
