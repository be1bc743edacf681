// Proration credits capped at what the line was charged for the period less its earlier credits
// (docs/api/subscriptions.md#proration-caps). April 2025 has 30 days: the coefficient at t is
// (1 May − 1 s − t) ÷ 2,591,999 s, so 16 April 00:00 gives 1,295,999 ÷ 2,591,999, 23 April 691,199 ÷ 2,591,999.
import { beforeAll, describe, expect, it } from 'vitest';
import { at, invoicesOf, subscribe } from '../../support/billing.ts';
import { createCustomer, createPlan, createPrice, fixedPrice, useTestServer } from '../../support/fixtures.ts';
import { ledgerOf } from '../wallets/wallet-ledger.ts';

const server = useTestServer();
let planId = '';
let seatPriceId = '';
let bigPlanId = '';

beforeAll(async () => {
  at(server, '2025-04-01T00:00:00Z');
  const plan = await createPlan(server.api, { name: 'Seats' });
  seatPriceId = (await createPrice(server.api, fixedPrice(plan.id, { amount: '3' }))).id;
  planId = plan.id;
  const big = await createPlan(server.api, { name: 'Team' });
  await createPrice(server.api, fixedPrice(big.id, { amount: '90' }));
  bigPlanId = big.id;
});

/** A new customer subscribed on 1 April to $3 a seat in advance, with `seats` seats. */
async function seatsSubscription(seats: string) {
  at(server, '2025-04-01T00:00:00Z');
  const customer = await createCustomer(server.api);
  const sub = await subscribe(server.api, { customer_id: customer.id, plan_id: planId, currency: 'usd', billing_period: 'MONTHLY', override_line_items: [{ price_id: seatPriceId, quantity: seats }] });
  return { customer, sub };
}

/** The credit amounts of the customer's PRE_PAID wallet, oldest first ([] without a wallet). */
async function walletCredits(customerId: string): Promise<string[]> {
  const wallets = (await server.api.get(`/v1/customers/${customerId}/wallets`)).body;
  if (!wallets.length) return [];
  return (await ledgerOf(server.api, wallets[0].id)).filter((t: any) => t.type === 'credit').map((t: any) => t.credit_amount);
}

const seat30 = { type: 'FIXED', amount: '30', billing_period: 'MONTHLY', billing_model: 'FLAT_FEE', invoice_cadence: 'ADVANCE' };

async function quantity(subId: string, lineId: string, to: string) {
  const res = await server.api.post(`/v1/subscriptions/${subId}/modify/execute`, { type: 'quantity_change', quantity_change_params: { line_items: [{ id: lineId, quantity: to }] } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.changed_resources;
}

const createdLine = (changed: any) => changed.line_items.find((l: any) => l.change_action === 'created');

describe('a deleted line item is credited the unused time at its price, capped at what it was charged', () => {
  it('$30 added on 16 April with prorations ($15.00), deleted on 23 April: credit $8.00, the exact second-based amount', async () => {
    const { customer, sub } = await seatsSubscription('1');
    at(server, '2025-04-16T00:00:00Z');
    const added = await server.api.post(`/v1/subscriptions/${sub.id}/lineitems`, { price: seat30, display_name: 'Support', proration_behavior: 'create_prorations' });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    // 30 × 1,295,999 ÷ 2,591,999 = 14.9999942… → 15.00
    expect((await invoicesOf(server.api, sub.id)).map((i: any) => [i.billing_reason, i.total]).sort()).toEqual([['PRORATION', '15'], ['SUBSCRIPTION_CREATE', '3']]);
    at(server, '2025-04-23T00:00:00Z');
    const res = await server.api.request('DELETE', `/v1/subscriptions/lineitems/${added.body.id}`, { proration_behavior: 'create_prorations' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    // 30 × 691,199 ÷ 2,591,999 = 7.9999953… → 8.00 (≤ 15.00 charged). The whole-period share of the
    // charge (15.00 × the coefficient = 4.00) was what Tally credited before.
    expect(await walletCredits(customer.id)).toEqual(['8']);
  });

  it('a line added free on 6 April, raised 1 → 3 on 16 April ($30.00), deleted on 17 April: $42.00 unused, capped at $30.00', async () => {
    const { customer, sub } = await seatsSubscription('1');
    at(server, '2025-04-06T00:00:00Z');
    const added = await server.api.post(`/v1/subscriptions/${sub.id}/lineitems`, { price: seat30, display_name: 'Support' });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    at(server, '2025-04-16T00:00:00Z');
    // 2 × 30 × 1,295,999 ÷ 2,591,999 = 29.99998… → 30.00 on a PRORATION invoice (the partial period was free).
    const raised = await quantity(sub.id, added.body.id, '3');
    expect(raised.invoices[0]).toMatchObject({ action: 'created', amount: '30' });
    at(server, '2025-04-17T00:00:00Z');
    const res = await server.api.request('DELETE', `/v1/subscriptions/lineitems/${createdLine(raised).id}`, { proration_behavior: 'create_prorations' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    // 90 × 1,209,599 ÷ 2,591,999 = 41.99998… → 42.00 unused, but the line was charged 30.00 for April.
    expect(await walletCredits(customer.id)).toEqual(['30']);
  });
});

describe('successive quantity decreases are capped at what the line was charged less its earlier credits', () => {
  it('$3 a seat, 10 → 5 on 16 April ($7.50), 5 → 2 on 23 April ($2.40): credits $9.90 of $30.00 charged', async () => {
    const { customer, sub } = await seatsSubscription('10');
    expect((await invoicesOf(server.api, sub.id)).map((i: any) => i.total)).toEqual(['30']);
    at(server, '2025-04-16T00:00:00Z');
    // 15 × 1,295,999 ÷ 2,591,999 = 7.4999971… → 7.50
    const first = await quantity(sub.id, sub.line_items[0].id, '5');
    expect(first.invoices).toEqual([expect.objectContaining({ action: 'wallet_credit', amount: '7.5' })]);
    at(server, '2025-04-23T00:00:00Z');
    // 9 × 691,199 ÷ 2,591,999 = 2.3999986… → 2.40
    const second = await quantity(sub.id, createdLine(first).id, '2');
    expect(second.invoices).toEqual([expect.objectContaining({ action: 'wallet_credit', amount: '2.4' })]);
    // 30.00 − 9.90 = 20.10 = 30 × (1 − c₁₆) + 15 × (c₁₆ − c₂₃) + 6 × c₂₃ to the cent: the time-weighted price.
    expect(await walletCredits(customer.id)).toEqual(['7.5', '2.4']);
  });

  it('a line added free, raised 10 → 20 on 10 April ($21.00), lowered to 10 on 16 April ($15.00), then to 1 on 17 April: $6.00, not $12.60', async () => {
    const { customer, sub } = await seatsSubscription('1');
    at(server, '2025-04-06T00:00:00Z');
    const added = await server.api.post(`/v1/subscriptions/${sub.id}/lineitems`, { price_id: seatPriceId, quantity: '10' });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    at(server, '2025-04-10T00:00:00Z');
    // 30 × 1,814,399 ÷ 2,591,999 = 20.99998… → 21.00
    const up = await quantity(sub.id, added.body.id, '20');
    expect(up.invoices[0]).toMatchObject({ action: 'created', amount: '21' });
    at(server, '2025-04-16T00:00:00Z');
    // 30 × 1,295,999 ÷ 2,591,999 → 15.00 (of 21.00 charged)
    const down = await quantity(sub.id, createdLine(up).id, '10');
    expect(down.invoices).toEqual([expect.objectContaining({ action: 'wallet_credit', amount: '15' })]);
    at(server, '2025-04-17T00:00:00Z');
    // 27 × 1,209,599 ÷ 2,591,999 = 12.59998… → 12.60 unused, but only 21.00 − 15.00 = 6.00 is left to credit.
    const last = await quantity(sub.id, createdLine(down).id, '1');
    expect(last.invoices).toEqual([expect.objectContaining({ action: 'wallet_credit', amount: '6' })]);
    expect(await walletCredits(customer.id)).toEqual(['15', '6']);
  });

  it('a preview of a capped decrease answers the execution and records no credit', async () => {
    const { sub } = await seatsSubscription('10');
    at(server, '2025-04-16T00:00:00Z');
    const body = { type: 'quantity_change', quantity_change_params: { line_items: [{ id: sub.line_items[0].id, quantity: '5' }] } };
    const preview = await server.api.post(`/v1/subscriptions/${sub.id}/modify/preview`, body);
    expect(preview.body.changed_resources.invoices).toEqual([expect.objectContaining({ action: 'wallet_credit', amount: '7.5' })]);
    // The preview's credit was rolled back: the execution is not capped by it.
    const executed = await quantity(sub.id, sub.line_items[0].id, '5');
    expect(executed.invoices).toEqual([expect.objectContaining({ action: 'wallet_credit', amount: '7.5' })]);
  });
});

describe('a cancellation or plan change after a quantity change credits the line, not each line item', () => {
  it("10 → 5 seats on 16 April ($7.50), cancelled on 23 April: the 5 seats' unused time, $4.00 (not the ended 10 seats' $8.00)", async () => {
    const { customer, sub } = await seatsSubscription('10');
    at(server, '2025-04-16T00:00:00Z');
    const down = await quantity(sub.id, sub.line_items[0].id, '5');
    at(server, '2025-04-23T00:00:00Z');
    const res = await server.api.post(`/v1/subscriptions/${sub.id}/cancel`, { cancellation_type: 'immediate', proration_behavior: 'create_prorations' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    // 15 × 691,199 ÷ 2,591,999 = 3.9999976… → 4.00; the line was charged 30.00 and credited 7.50 before.
    expect(res.body.total_credit_amount).toBe('4');
    expect(res.body.proration_details.map((p: any) => [p.line_item_id, p.original_amount, p.credit_amount])).toEqual([[createdLine(down).id, '30', '4']]);
    expect(await walletCredits(customer.id)).toEqual(['7.5', '4']);
  });

  it('10 → 20 seats on 10 April ($21.00), moved to the $90 plan on 16 April: credit $30.00, charge $45.00, invoice $15.00', async () => {
    const { sub } = await seatsSubscription('10');
    at(server, '2025-04-10T00:00:00Z');
    const up = await quantity(sub.id, sub.line_items[0].id, '20');
    expect(up.invoices[0]).toMatchObject({ amount: '21' });
    at(server, '2025-04-16T00:00:00Z');
    const res = await server.api.post(`/v1/subscriptions/${sub.id}/change/v2/execute`, { target_plan_id: bigPlanId, proration_behavior: 'create_prorations' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    // Credit 60 × 1,295,999 ÷ 2,591,999 → 30.00 (of 51.00 charged); charge 90 × the same → 45.00.
    const [settled] = res.body.changed_resources.invoices;
    expect(settled.invoice).toMatchObject({ billing_reason: 'SUBSCRIPTION_UPDATE', total: '15' });
    expect(settled.invoice.line_items.map((l: any) => l.amount).sort()).toEqual(['-30', '45']);
  });
});
