// Kim subscribes on 1 March 2025 to Basic, $30 a month in advance, with a 14-day trial (to 15 March).
// Everything after is a `modify` of her subscription, each previewed then executed (same answers):
// - 5 March: her trial is moved to 20 March (trial_end scheduled_date); nothing is billed on 15 March.
// - 10 March: a 10%-forever coupon is attached (coupon add) and an 8.25% sales tax linked (tax add).
// - 20 March: the trial ends: $30 for 20 March – 20 April, 10% off ($3.00) = $27.00, taxed 8.25%
//   ($2.2275 → $2.23): $29.23; she is incomplete until she pays it, then active.
// - 20 April: the renewal, $29.23 again.
// - 25 April: the coupon is removed and the tax unlinked. The 20 May invoice (period 20 April – 20
//   May, which the coupon's inclusive end date overlaps) is still discounted but, finalized after the
//   tax ended, untaxed: $27.00. The 20 June one is the plain $30.00.
import { describe, expect, it } from 'vitest';
import { at, billAt, headlineOf, invoicesOf, linesOf, subscribe, subscriptionOf } from '../support/billing.ts';
import { createCoupon, createCustomer, createPlan, createPrice, created, fixedPrice, useTestServer } from '../support/fixtures.ts';

const server = useTestServer();
let subId = '';
let couponId = '';
let rateId = '';

/** Previews then executes the same modification at the same instant: both must answer the same. */
async function modify(body: Record<string, unknown>): Promise<any> {
  const preview = await server.api.post(`/v1/subscriptions/${subId}/modify/preview`, body);
  expect(preview.status, JSON.stringify(preview.body)).toBe(200);
  const executed = await server.api.post(`/v1/subscriptions/${subId}/modify/execute`, body);
  expect(executed.status, JSON.stringify(executed.body)).toBe(200);
  const comparable = (r: any) => ({ ...r, subscription: { ...r.subscription, coupon_associations: r.subscription.coupon_associations?.map((a: any) => ({ ...a, id: null, created_at: null })) }, changed_resources: { ...r.changed_resources, tax_associations: r.changed_resources.tax_associations?.map((a: any) => ({ ...a, id: null })) } });
  expect(comparable(preview.body)).toEqual(comparable(executed.body));
  return executed.body;
}

const withoutNumbers = (invoices: any[]) => invoices.map((i) => [i.billing_reason, i.period_start, i.period_end, i.subtotal, i.total_discount, i.total_tax, i.total]);

describe('a trial moved, then a coupon and a tax added and removed', () => {
  it('starts Kim’s 14-day trial on 1 March', async () => {
    at(server, '2025-03-01T00:00:00Z');
    const api = server.api;
    const plan = await createPlan(api, { name: 'Basic' });
    await createPrice(api, fixedPrice(plan.id, { amount: '30', display_name: 'Basic' }));
    couponId = (await createCoupon(api, { type: 'percentage', name: '10% forever', percentage_off: '10', cadence: 'forever', coupon_code: 'KIM-TEN' })).id;
    rateId = (await created(api, '/v1/taxes/rates', { name: 'Sales tax', code: 'KIM-TAX', tax_rate_type: 'percentage', percentage_value: '8.25' })).id;
    const customer = await createCustomer(api, { name: 'Kim' });
    const sub = await subscribe(api, { customer_id: customer.id, plan_id: plan.id, currency: 'usd', billing_period: 'MONTHLY', trial_period_days: 14 });
    subId = sub.id;
    expect(sub).toMatchObject({ subscription_status: 'trialing', trial_end: '2025-03-15T00:00:00.000Z' });
  });

  it('moves the trial end to 20 March on 5 March: nothing billed on 15 March', async () => {
    at(server, '2025-03-05T00:00:00Z');
    const r = await modify({ type: 'trial_end', trial_end_params: { action: 'scheduled_date', new_trial_end: '2025-03-20T00:00:00Z' } });
    expect(r.changed_resources.subscriptions).toEqual([{ id: subId, action: 'updated', status: 'trialing', trial_end: '2025-03-20T00:00:00.000Z', current_period_end: '2025-03-20T00:00:00.000Z' }]);
    await billAt(server, '2025-03-15T00:00:00Z');
    expect(withoutNumbers(await invoicesOf(server.api, subId))).toEqual([['SUBSCRIPTION_TRIAL_START', '2025-03-01T00:00:00.000Z', '2025-03-15T00:00:00.000Z', '0', '0', '0', '0']]);
    expect((await subscriptionOf(server.api, subId)).subscription_status).toBe('trialing');
  });

  it('attaches 10% off and links 8.25% tax on 10 March', async () => {
    at(server, '2025-03-10T00:00:00Z');
    const coupon = await modify({ type: 'coupon', coupon_params: { action: 'add', coupon_code: 'kim-ten' } });
    expect(coupon.subscription.coupon_associations.map((a: any) => [a.coupon_id, a.start_date, a.end_date ?? null])).toEqual([[couponId, '2025-03-10T00:00:00.000Z', null]]);
    const tax = await modify({ type: 'tax', tax_params: { action: 'add', tax_rate_id: rateId } });
    expect(tax.changed_resources.tax_associations.map((a: any) => [a.tax_rate_id, a.start_date, a.priority, a.auto_apply])).toEqual([[rateId, '2025-03-10T00:00:00.000Z', 100, true]]);
  });

  it('ends the trial on 20 March: $30 − $3.00 = $27.00, tax $2.23, $29.23', async () => {
    await billAt(server, '2025-03-20T00:00:00Z');
    const trialEnd = (await invoicesOf(server.api, subId)).find((i: any) => i.billing_reason === 'SUBSCRIPTION_TRIAL_END');
    expect(linesOf(trialEnd)).toEqual([['Basic', '1', '30', '2025-03-20T00:00:00.000Z', '2025-04-20T00:00:00.000Z']]);
    // 10% of $30 = $3.00; 8.25% of $27.00 = $2.2275 → $2.23; $27.00 + $2.23 = $29.23.
    expect(headlineOf(trialEnd)).toMatchObject({ invoice_status: 'FINALIZED', subtotal: '30', total_discount: '3', total_tax: '2.23', total: '29.23', amount_due: '29.23' });
    expect(await subscriptionOf(server.api, subId)).toMatchObject({ subscription_status: 'incomplete', billing_anchor: '2025-03-20T00:00:00.000Z', current_period_end: '2025-04-20T00:00:00.000Z' });
    // Paid in full: active, as after a trial the bill run ended.
    const paid = await server.api.put(`/v1/invoices/${trialEnd.id}/payment`, { payment_status: 'SUCCEEDED' });
    expect(paid.body).toMatchObject({ payment_status: 'SUCCEEDED', amount_paid: '29.23', amount_remaining: '0' });
    expect((await subscriptionOf(server.api, subId)).subscription_status).toBe('active');
  });

  it('renews on 20 April at $29.23', async () => {
    await billAt(server, '2025-04-20T00:00:00Z');
    const [april] = (await invoicesOf(server.api, subId)).filter((i: any) => i.billing_reason === 'SUBSCRIPTION_CYCLE');
    expect(headlineOf(april)).toMatchObject({ subtotal: '30', total_discount: '3', total_tax: '2.23', total: '29.23' });
  });

  it('removes the coupon and unlinks the tax on 25 April: $27.00 on 20 May (coupon still overlaps, tax ended), $30.00 on 20 June', async () => {
    at(server, '2025-04-25T00:00:00Z');
    const sub = await subscriptionOf(server.api, subId);
    const association = sub.coupon_associations[0];
    const removed = await modify({ type: 'coupon', coupon_params: { action: 'remove', coupon_association_id: association.id } });
    expect(removed.subscription.coupon_associations.map((a: any) => [a.id, a.end_date])).toEqual([[association.id, '2025-04-25T00:00:00.000Z']]);
    const links = (await server.api.get(`/v1/taxes/associations?entity_type=subscription&entity_id=${subId}`)).body.items;
    expect(links).toHaveLength(1);
    const unlinked = await modify({ type: 'tax', tax_params: { action: 'remove', tax_association_id: links[0].id } });
    expect(unlinked.changed_resources.tax_associations.map((a: any) => a.end_date)).toEqual(['2025-04-25T00:00:00.000Z']);
    await billAt(server, '2025-05-20T00:00:00Z');
    await billAt(server, '2025-06-20T00:00:00Z');
    expect(withoutNumbers((await invoicesOf(server.api, subId)).filter((i: any) => i.billing_reason === 'SUBSCRIPTION_CYCLE'))).toEqual([
      ['SUBSCRIPTION_CYCLE', '2025-03-20T00:00:00.000Z', '2025-04-20T00:00:00.000Z', '30', '3', '2.23', '29.23'],
      ['SUBSCRIPTION_CYCLE', '2025-04-20T00:00:00.000Z', '2025-05-20T00:00:00.000Z', '30', '3', '0', '27'],
      ['SUBSCRIPTION_CYCLE', '2025-05-20T00:00:00.000Z', '2025-06-20T00:00:00.000Z', '30', '0', '0', '30'],
    ]);
    // subscription.updated for each of the five modifications (trial moved; coupon and tax each added and removed) and the trial's end (incomplete).
    const events = (await server.api.get('/v1/webhooks/events?limit=1000')).body.items.filter((e: any) => e.entity_id === subId && e.event_type === 'subscription.updated');
    expect(events).toHaveLength(6);
  });
});
