// modify type coupon on the Basic plan ($30 a month in advance), subscribed on 1 June 2025.
import { describe, expect, it } from 'vitest';
import { at, billAt, headlineOf, invoicesOf, subscriptionOf } from '../../support/billing.ts';
import { createCoupon, createCustomer, createPlan, createPrice, expectRefused, fixedPrice, unique, useTestServer } from '../../support/fixtures.ts';
import { subscribe } from '../../support/billing.ts';
import { useBasicPlan } from './basic-plan.ts';

const server = useTestServer();
const basic = useBasicPlan(server);

const modify = (id: string, kind: 'preview' | 'execute', body: Record<string, unknown>) => server.api.post(`/v1/subscriptions/${id}/modify/${kind}`, body);
const cycleTotals = async (id: string) => (await invoicesOf(server.api, id)).filter((i: any) => i.billing_reason === 'SUBSCRIPTION_CYCLE').map((i: any) => [i.period_start, i.total_discount, i.total]);
const associations = async (id: string) => (await subscriptionOf(server.api, id)).coupon_associations ?? [];
const updates = async (id: string) => (await server.api.get('/v1/webhooks/events?limit=1000')).body.items.filter((e: any) => e.entity_id === id && e.event_type === 'subscription.updated').length;

describe('modify coupon', () => {
  it('adds 10% off forever on 16 June: the 1 July renewal is $27.00 ($30 − $3.00); removed on 10 July, August is still discounted, September is not', async () => {
    at(server, '2025-06-01T00:00:00Z');
    const sub = await basic();
    const code = unique('TENOFF');
    const coupon = await createCoupon(server.api, { type: 'percentage', percentage_off: '10', cadence: 'forever', coupon_code: code });
    at(server, '2025-06-16T00:00:00Z');
    const body = { type: 'coupon', coupon_params: { action: 'add', coupon_code: code.toLowerCase() } };
    const preview = await modify(sub.id, 'preview', body);
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    const executed = await modify(sub.id, 'execute', body);
    expect(executed.status, JSON.stringify(executed.body)).toBe(200);
    for (const r of [preview.body, executed.body]) {
      expect(r.changed_resources).toEqual({ line_items: [], invoices: [] });
      expect(r.subscription.coupon_associations.map((a: any) => [a.coupon_id, a.subscription_line_item_id ?? null, a.start_date, a.end_date ?? null])).toEqual([
        [coupon.id, null, '2025-06-16T00:00:00.000Z', null],
      ]);
    }
    // The preview kept nothing: one association, one redemption, one update.
    expect(await associations(sub.id)).toHaveLength(1);
    expect((await server.api.get(`/v1/coupons/${coupon.id}`)).body.total_redemptions).toBe(1);
    expect(await updates(sub.id)).toBe(1);
    // 1 July: July's $30 in advance, 10% off: $3.00 → $27.00.
    await billAt(server, '2025-07-01T00:00:00Z');
    const [july] = (await invoicesOf(server.api, sub.id)).filter((i: any) => i.billing_reason === 'SUBSCRIPTION_CYCLE');
    expect(headlineOf(july)).toMatchObject({ subtotal: '30', total_discount: '3', total: '27', amount_due: '27' });
    expect(july.coupon_applications.map((a: any) => [a.coupon_id, a.original_price, a.discounted_amount, a.final_price])).toEqual([[coupon.id, '30', '3', '27']]);

    at(server, '2025-07-10T00:00:00Z');
    const association = (await associations(sub.id))[0];
    const removed = await modify(sub.id, 'execute', { type: 'coupon', coupon_params: { action: 'remove', coupon_association_id: association.id } });
    expect(removed.status, JSON.stringify(removed.body)).toBe(200);
    expect(removed.body.subscription.coupon_associations.map((a: any) => [a.id, a.end_date])).toEqual([[association.id, '2025-07-10T00:00:00.000Z']]);
    // The association's end date is inclusive and it overlaps July (the 1 August invoice's period): August is still $27; September $30.
    await billAt(server, '2025-08-01T00:00:00Z');
    await billAt(server, '2025-09-01T00:00:00Z');
    expect(await cycleTotals(sub.id)).toEqual([
      ['2025-06-01T00:00:00.000Z', '3', '27'],
      ['2025-07-01T00:00:00.000Z', '3', '27'],
      ['2025-08-01T00:00:00.000Z', '0', '30'],
    ]);
    expect(await updates(sub.id)).toBe(2);
  });

  it('adds $5 off one line item of two: the renewal is $45 − $5 = $40', async () => {
    at(server, '2025-06-01T00:00:00Z');
    const plan = await createPlan(server.api, { name: 'Two lines' });
    await createPrice(server.api, fixedPrice(plan.id, { amount: '30', display_name: 'Base' }));
    await createPrice(server.api, fixedPrice(plan.id, { amount: '15', display_name: 'Support' }));
    const customer = await createCustomer(server.api);
    const sub = await subscribe(server.api, { customer_id: customer.id, plan_id: plan.id, currency: 'usd', billing_period: 'MONTHLY' });
    const support = sub.line_items.find((l: any) => l.display_name === 'Support');
    const code = unique('FIVE');
    await createCoupon(server.api, { type: 'fixed', amount_off: '5', currency: 'usd', cadence: 'forever', coupon_code: code });
    at(server, '2025-06-20T00:00:00Z');
    const res = await modify(sub.id, 'execute', { type: 'coupon', coupon_params: { action: 'add', coupon_code: code, subscription_line_item_id: support.id } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.subscription.coupon_associations.map((a: any) => a.subscription_line_item_id)).toEqual([support.id]);
    await billAt(server, '2025-07-01T00:00:00Z');
    const [july] = (await invoicesOf(server.api, sub.id)).filter((i: any) => i.billing_reason === 'SUBSCRIPTION_CYCLE');
    // $30 + $15 = $45; $5 off the Support line: $40.
    expect(headlineOf(july)).toMatchObject({ subtotal: '45', total_discount: '5', total: '40' });
  });

  it('refuses what FlexPrice refuses, naming the field, and changes nothing', async () => {
    at(server, '2025-06-01T00:00:00Z');
    const sub = await basic();
    const other = await basic();
    const forever = unique('FOREVER');
    const coupon = await createCoupon(server.api, { type: 'percentage', percentage_off: '10', cadence: 'forever', coupon_code: forever });
    const euros = unique('EUROS');
    await createCoupon(server.api, { type: 'fixed', amount_off: '5', currency: 'eur', cadence: 'once', coupon_code: euros });
    const later = unique('LATER');
    await createCoupon(server.api, { coupon_code: later, redeem_after: '2025-09-01T00:00:00Z' });
    const spent = unique('SPENT');
    await createCoupon(server.api, { coupon_code: spent, max_redemptions: 1 });
    expect((await modify(other.id, 'execute', { type: 'coupon', coupon_params: { action: 'add', coupon_code: spent } })).status).toBe(200);
    at(server, '2025-06-10T00:00:00Z');
    // One attached now, one from 1 August, one already ended.
    expect((await modify(sub.id, 'execute', { type: 'coupon', coupon_params: { action: 'add', coupon_code: forever } })).status).toBe(200);
    const pending = unique('PENDING');
    await createCoupon(server.api, { type: 'percentage', percentage_off: '5', cadence: 'forever', coupon_code: pending });
    expect((await modify(sub.id, 'execute', { type: 'coupon', coupon_params: { action: 'add', coupon_code: pending, start_date: '2025-08-01T00:00:00Z' } })).status).toBe(200);
    const ended = unique('ENDED');
    await createCoupon(server.api, { type: 'percentage', percentage_off: '5', cadence: 'forever', coupon_code: ended });
    expect((await modify(sub.id, 'execute', { type: 'coupon', coupon_params: { action: 'add', coupon_code: ended, start_date: '2025-06-01T00:00:00Z', end_date: '2025-06-05T00:00:00Z' } })).status).toBe(200);
    const byCode = async (c: string) => (await associations(sub.id)).find((a: any) => a.coupon?.coupon_code === c.toLowerCase() || a.coupon_id === c);
    const pendingId = (await byCode(pending)).id;
    const endedId = (await byCode(ended)).id;
    const otherAssociation = (await associations(other.id))[0].id;

    const state = async () => [await associations(sub.id), (await server.api.get(`/v1/coupons/${coupon.id}`)).body.total_redemptions, await updates(sub.id)];
    const path = `/v1/subscriptions/${sub.id}/modify/execute`;
    const add = (p: Record<string, unknown>) => ({ type: 'coupon', coupon_params: { action: 'add', ...p } });
    const remove = (p: Record<string, unknown>) => ({ type: 'coupon', coupon_params: { action: 'remove', ...p } });
    const cases: [Record<string, unknown>, string, number?][] = [
      [{ type: 'coupon' }, 'coupon_params'],
      [add({}), 'coupon_params.coupon_code'],
      [add({ coupon_code: 'NO-SUCH-CODE' }), 'coupon_params.coupon_code'],
      [add({ coupon_code: euros }), 'coupon_params.coupon_code'],
      [add({ coupon_code: later }), 'coupon_params.coupon_code'],
      [add({ coupon_code: spent }), 'coupon_params.coupon_code'],
      // Already attached and in effect now.
      [add({ coupon_code: forever }), 'coupon_params.coupon_code'],
      [add({ coupon_code: forever, subscription_id: sub.id, subscription_line_item_id: sub.line_items[0].id }), 'coupon_params.subscription_line_item_id'],
      [add({ coupon_code: forever, subscription_id: other.id }), 'coupon_params.subscription_id'],
      [add({ coupon_code: forever, subscription_line_item_id: other.line_items[0].id }), 'coupon_params.subscription_line_item_id'],
      [add({ coupon_code: forever, start_date: '2025-07-01T00:00:00Z', end_date: '2025-07-01T00:00:00Z' }), 'coupon_params.end_date'],
      [remove({}), 'coupon_params.coupon_association_id'],
      [remove({ coupon_association_id: 'coupon_assoc_missing' }), 'coupon_params.coupon_association_id', 404],
      [remove({ coupon_association_id: otherAssociation }), 'coupon_params.coupon_association_id', 404],
      [remove({ coupon_association_id: endedId }), 'coupon_params.coupon_association_id'],
      // It starts on 1 August: it cannot end now.
      [remove({ coupon_association_id: pendingId }), 'coupon_params.end_date'],
    ];
    for (const [body, field, status] of cases) await expectRefused(server.api, { path, body }, { fields: [field], ...(status ? { status } : {}) }, state);
  });
});
