import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../support/api-client.ts';
import { at, billAt, invoicesOf, sendEvents, subscribe } from '../../support/billing.ts';
import { count, createCustomer, createMeter, createPlan, createPrice, expectRefused, fixedPrice, usagePrice, useTestServer } from '../../support/fixtures.ts';
import { productionApi } from '../../support/test-server.ts';

const server = useTestServer();
let api: ApiClient;
let customer: any;
let plan: any;
let meter: any;
let sub: any;

/** A one-off invoice of `amount`, a draft unless `finalized`. */
async function oneOff(amount: string, finalized = true, extra: Record<string, unknown> = {}) {
  const res = await api.post('/v1/invoices', {
    customer_id: customer.id, currency: 'usd', subtotal: amount, total: amount, amount_due: amount,
    ...(finalized ? {} : { invoice_status: 'DRAFT' }),
    line_items: [{ display_name: 'Work', amount, quantity: '1', price_type: 'FIXED' }],
    ...extra,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}
const writes = () => count(api, '/v1/invoices');

beforeAll(async () => {
  api = server.api;
  at(server, '2025-10-01T00:00:00Z');
  meter = await createMeter(api, { name: 'Calls' });
  plan = await createPlan(api, { name: 'Metered' });
  await createPrice(api, fixedPrice(plan.id, { amount: '25' }));
  await createPrice(api, usagePrice(plan.id, meter.id, { amount: '0.5' }));
  customer = await createCustomer(api, { name: 'Wes', external_id: 'wes' });
  sub = await subscribe(api, { customer_id: customer.id, plan_id: plan.id, currency: 'usd', billing_period: 'MONTHLY' });
});

describe('GET /v1/invoices/{id}', () => {
  it('embeds the customer and the subscription (with its plan) when expanded; refuses an unknown token', async () => {
    const id = sub.latest_invoice.id;
    const bare = (await api.get(`/v1/invoices/${id}`)).body;
    expect(bare.customer).toBeUndefined();
    expect(bare.subscription).toBeUndefined();
    const full = (await api.get(`/v1/invoices/${id}?expand=customer,subscription.plan,coupon_applications,tax_applied`)).body;
    expect(full.customer).toMatchObject({ id: customer.id, external_id: 'wes' });
    expect(full.subscription).toMatchObject({ id: sub.id, plan_id: plan.id, plan: { id: plan.id, name: 'Metered' } });
    expect((await api.get(`/v1/invoices/${id}?expand=wallet`)).status).toBe(400);
    expect((await api.get('/v1/invoices/inv_missing')).status).toBe(404);
  });
});

describe('PUT /v1/invoices/{id}', () => {
  it('sets the due date, metadata and PDF URL, and announces invoice.update', async () => {
    const i = await oneOff('10');
    const res = await api.put(`/v1/invoices/${i.id}`, { due_date: '2025-11-15T00:00:00Z', metadata: { po: '7' }, invoice_pdf_url: 'https://files.example/inv.pdf', apply_discount: true });
    expect(res.body).toMatchObject({ due_date: '2025-11-15T00:00:00.000Z', metadata: { po: '7' }, invoice_pdf_url: 'https://files.example/inv.pdf', version: 3 });
    const events = await api.get('/v1/webhooks/events?event_type=invoice.update');
    expect(events.body.items.map((e: any) => e.entity_id)).toContain(i.id);
  });
});

describe('POST /v1/invoices/{id}/finalize', () => {
  it('finalizes a draft, refuses a finalized invoice, and leaves a SKIPPED one as it is', async () => {
    const draft = await oneOff('12', false);
    expect((await api.post(`/v1/invoices/${draft.id}/finalize`)).body).toEqual({ message: 'invoice finalized successfully' });
    const refusal = await expectRefused(api, { path: `/v1/invoices/${draft.id}/finalize` }, { code: 'invalid_operation' }, writes);
    expect(refusal.message).toMatch(/only a DRAFT invoice can be finalized/);
    const free = await oneOff('0', false, { line_items: [] });
    expect((await api.post(`/v1/invoices/${free.id}/finalize`)).status).toBe(200);
    expect((await api.get(`/v1/invoices/${free.id}`)).body).toMatchObject({ invoice_status: 'FINALIZED', payment_status: 'SUCCEEDED', amount_remaining: '0' }); // nothing due: paid
  });
});

describe('PUT /v1/invoices/{id}/payment', () => {
  it.each([
    ['PENDING', { payment_status: 'SUCCEEDED' }, 200, { payment_status: 'SUCCEEDED', amount_paid: '40', amount_remaining: '0' }],
    ['PENDING', { payment_status: 'PENDING', amount: '15' }, 200, { payment_status: 'PENDING', amount_paid: '15', amount_remaining: '25' }],
    ['PENDING', { payment_status: 'OVERPAID', amount: '50' }, 200, { payment_status: 'OVERPAID', amount_paid: '50', amount_remaining: '0', overpaid_amount: '10' }],
    ['PENDING', { payment_status: 'FAILED' }, 200, { payment_status: 'FAILED', amount_paid: '0', amount_remaining: '40' }],
    ['PENDING', { payment_status: 'PENDING', amount: '40' }, 400, null], // a partial payment is less than amount_due
    ['PENDING', { payment_status: 'OVERPAID', amount: '40' }, 400, null], // an overpayment is more
    ['PENDING', { payment_status: 'REFUNDED' }, 400, null], // not settable by hand
    ['FAILED', { payment_status: 'SUCCEEDED' }, 400, null], // FAILED is terminal
    ['SUCCEEDED', { payment_status: 'PENDING' }, 400, null],
    ['SUCCEEDED', { payment_status: 'OVERPAID', amount: '45' }, 200, { payment_status: 'OVERPAID', amount_paid: '45', overpaid_amount: '5' }],
  ])('from %s: %j → %i', async (from, change, status, expected) => {
    const i = await oneOff('40');
    if (from !== 'PENDING') expect((await api.put(`/v1/invoices/${i.id}/payment`, { payment_status: from })).status).toBe(200);
    const res = await api.put(`/v1/invoices/${i.id}/payment`, change);
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    if (expected) expect(res.body).toMatchObject(expected);
  });

  it('finalizes a draft paid in full, and refuses a voided invoice', async () => {
    const draft = await oneOff('8', false);
    expect((await api.put(`/v1/invoices/${draft.id}/payment`, { payment_status: 'SUCCEEDED' })).body).toMatchObject({ invoice_status: 'FINALIZED', payment_status: 'SUCCEEDED', invoice_number: expect.stringMatching(/^INV-202510-/) });
    const voided = await oneOff('8');
    await api.post(`/v1/invoices/${voided.id}/void`);
    expect((await api.put(`/v1/invoices/${voided.id}/payment`, { payment_status: 'SUCCEEDED' })).status).toBe(400);
  });
});

let voidedElsewhere = '';

describe('POST /v1/invoices/{id}/void', () => {
  it('voids an unpaid invoice (and then refuses a second void); a partly paid one refunds the $10 paid into a new prepaid wallet', async () => {
    const i = await oneOff('30');
    expect((await api.post(`/v1/invoices/${i.id}/void`)).body).toEqual({ message: 'invoice voided successfully' });
    expect((await api.post(`/v1/invoices/${i.id}/void`)).status).toBe(400);
    const other = await createCustomer(api, { name: 'Vic' }); // a wallet of their own, out of the way of the other tests' invoices
    const paid = await oneOff('30', true, { customer_id: other.id });
    voidedElsewhere = paid.id;
    await api.put(`/v1/invoices/${paid.id}/payment`, { payment_status: 'PENDING', amount: '10' });
    expect((await api.post(`/v1/invoices/${paid.id}/void`)).body).toEqual({ message: 'invoice voided successfully' });
    const after = (await api.get(`/v1/invoices/${paid.id}`)).body;
    expect([after.invoice_status, after.payment_status, after.amount_paid, after.refunded_amount]).toEqual(['VOIDED', 'REFUNDED', '10', '10']);
    const [wallet] = (await api.get(`/v1/customers/${paid.customer_id}/wallets`)).body;
    expect([wallet.wallet_type, wallet.currency, wallet.credit_balance, wallet.balance]).toEqual(['PRE_PAID', 'usd', '10', '10']);
  });
});

describe('POST /v1/invoices/{id}/recalculate-v2', () => {
  it('refuses a one-off invoice and a finalized subscription invoice', async () => {
    const i = await oneOff('5', false);
    expect((await api.post(`/v1/invoices/${i.id}/recalculate-v2`)).body).toMatchObject({ code: 'invalid_operation', message: expect.stringMatching(/not a subscription invoice/) });
    expect((await api.post(`/v1/invoices/${sub.latest_invoice.id}/recalculate-v2`)).body.message).toMatch(/only a DRAFT or SKIPPED invoice can be recalculated/);
  });
});

describe('POST /v1/invoices/preview', () => {
  it('shows the current period’s invoice as it would be now, saving nothing', async () => {
    at(server, '2025-10-20T00:00:00Z');
    await sendEvents(api, { eventName: meter.event_name, customer: 'wes', timestamp: '2025-10-05T00:00:00Z', count: 4, prefix: 'oct' });
    const before = await writes();
    const res = await api.post('/v1/invoices/preview', { subscription_id: sub.id });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ id: '', invoice_status: 'DRAFT', billing_reason: 'SUBSCRIPTION_CYCLE', period_start: '2025-10-01T00:00:00.000Z', period_end: '2025-11-01T00:00:00.000Z', subtotal: '27', metadata: { is_preview: 'true' } }); // 4 × $0.50 + $25
    expect(res.body.line_items.map((l: any) => [l.display_name, l.amount])).toEqual([['Calls', '2'], ['Metered', '25']]);
    expect(await writes()).toBe(before);
    const window = await api.post('/v1/invoices/preview', { subscription_id: sub.id, period_start: '2025-09-01T00:00:00Z', period_end: '2025-10-01T00:00:00Z', hide_zero_charges_line_items: true });
    expect(window.body.line_items.map((l: any) => [l.display_name, l.amount])).toEqual([['Metered', '25']]); // no calls in September: hidden
    expect((await api.post('/v1/invoices/preview', { subscription_id: 'subs_missing' })).status).toBe(404);
    expect((await api.post('/v1/invoices/preview', { subscription_id: sub.id, period_start: '2025-09-01T00:00:00Z' })).status).toBe(400);
  });
});

describe('lists, searches and the customer summary', () => {
  it('filters by every InvoiceFilter key', async () => {
    await billAt(server, '2025-11-01T00:00:00Z');
    const subInvoices = await invoicesOf(api, sub.id);
    expect(subInvoices.map((i) => i.billing_reason)).toEqual(['SUBSCRIPTION_CREATE', 'SUBSCRIPTION_CYCLE']);
    const search = async (body: Record<string, unknown>) => (await api.post('/v1/invoices/search', { limit: 1000, ...body })).body.items.map((i: any) => i.id);
    const all = await search({});
    expect(await search({ subscription_id: sub.id })).toEqual(subInvoices.map((i) => i.id).reverse());
    expect(await search({ external_customer_id: 'wes' })).toEqual(all.filter((id: string) => id !== voidedElsewhere));
    expect(await search({ customer_id: customer.id, invoice_type: 'SUBSCRIPTION' })).toHaveLength(2);
    expect(await search({ billing_reason: 'SUBSCRIPTION_CYCLE' })).toEqual([subInvoices[1].id]);
    expect(await search({ invoice_status: ['VOIDED'] })).toHaveLength(3); // voided in the payment test, and two in the void test
    expect(await search({ payment_status: ['OVERPAID'] })).toHaveLength(2); // the two overpayments of the transition table
    expect(await search({ invoice_ids: [subInvoices[0].id] })).toEqual([subInvoices[0].id]);
    expect(await search({ amount_due_gt: 26, invoice_type: 'SUBSCRIPTION' })).toEqual([subInvoices[1].id]); // $27, not the $25 opening one
    // The $40 invoices of the transition table with all $40 left: the two FAILED, and the three whose change was refused.
    expect(await search({ amount_remaining_gt: 39.5, invoice_type: 'ONE_OFF' })).toHaveLength(5);
    expect(await search({ currency: 'USD', subscription_customer_id: [customer.id], invoice_type: 'SUBSCRIPTION' })).toHaveLength(2);
    expect(await search({ period_start_gte: '2025-10-01T00:00:00Z', period_end_lte: '2025-11-01T00:00:00Z', invoice_type: 'SUBSCRIPTION' })).toHaveLength(2);
    expect(await search({ start_time: '2025-10-02T00:00:00Z', invoice_type: 'SUBSCRIPTION' })).toEqual([]);
    expect(await search({ period_start_lte: '2025-09-30T00:00:00Z' })).toEqual([]);
    expect(await search({ period_end_gte: '2025-11-01T00:00:00Z', invoice_type: 'SUBSCRIPTION' })).toHaveLength(2);
    const lean = await api.post('/v1/invoices/search', { subscription_id: sub.id, skip_line_items: true, expand: 'customer' });
    expect(lean.body.items[0].line_items).toBeUndefined();
    expect(lean.body.items[0].customer).toMatchObject({ id: customer.id });
    expect((await api.get(`/v1/invoices?invoice_status=FINALIZED&subscription_id=${sub.id}`)).body.pagination.total).toBe(2);
    expect((await api.post('/v1/invoices/search', { external_customer_id: 'nobody' })).status).toBe(404);
    expect((await api.post('/v1/invoices/search', { sort: [{ field: 'nope', direction: 'asc' }] })).status).toBe(400);
  });

  it('sums the customer’s invoices per currency', async () => {
    const res = await api.get(`/v1/customers/${customer.id}/invoices/summary`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.customer_id).toBe(customer.id);
    expect(res.body.default_currency).toBe('usd');
    const [usd] = res.body.summaries;
    expect(usd.currency).toBe('usd');
    expect(usd.total_invoice_count).toBeGreaterThan(2);
    expect(Number(usd.total_unpaid_amount)).toBeGreaterThan(0);
    expect((await api.get('/v1/customers/cust_missing/invoices/summary')).status).toBe(404);
  });

  it('keeps another environment out', async () => {
    const { api: prod } = await productionApi(server);
    expect((await prod.get(`/v1/invoices/${sub.latest_invoice.id}`)).status).toBe(404);
    expect((await prod.post(`/v1/invoices/${sub.latest_invoice.id}/void`)).status).toBe(404);
    expect((await prod.put(`/v1/invoices/${sub.latest_invoice.id}/payment`, { payment_status: 'SUCCEEDED' })).status).toBe(404);
    expect((await prod.get('/v1/invoices')).body.pagination.total).toBe(0);
    expect((await prod.post('/v1/invoices/preview', { subscription_id: sub.id })).status).toBe(404);
  });
});
