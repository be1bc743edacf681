import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../support/api-client.ts';
import { at } from '../../support/billing.ts';
import { count, createCoupon, createCustomer, expectRefused, useTestServer } from '../../support/fixtures.ts';

const server = useTestServer();
let api: ApiClient;
let customer: any;

const invoiceCount = () => count(api, '/v1/invoices');
const body = (extra: Record<string, unknown> = {}) => ({
  customer_id: customer.id,
  currency: 'usd',
  subtotal: '100',
  total: '100',
  amount_due: '100',
  line_items: [{ display_name: 'Consulting', amount: '100', quantity: '2' }],
  ...extra,
});
const refuse = (extra: Record<string, unknown>, field: string, status = 400) => expectRefused(api, { path: '/v1/invoices', body: body(extra) }, { status, fields: [field] }, invoiceCount);

beforeAll(async () => {
  api = server.api;
  at(server, '2025-09-10T08:00:00Z');
  customer = await createCustomer(api, { name: 'Vic' });
});

describe('POST /v1/invoices', () => {
  it('creates a one-off invoice, finalized and numbered, with its lines as given', async () => {
    const res = await api.post('/v1/invoices', body({ invoice_type: 'ONE_OFF', description: 'September work', metadata: { po: '42' }, period_start: '2025-09-01T00:00:00Z', period_end: '2025-09-10T00:00:00Z' }));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const i = res.body;
    expect(i.id).toMatch(/^inv_[0-9A-HJKMNP-TV-Z]{26}$/);
    const { line_items, ...fields } = i;
    expect(fields).toEqual({
      id: i.id,
      customer_id: customer.id,
      invoice_type: 'ONE_OFF',
      invoice_status: 'FINALIZED',
      payment_status: 'PENDING',
      currency: 'usd',
      amount_due: '100',
      amount_paid: '0',
      amount_remaining: '100',
      subtotal: '100',
      total: '100',
      total_discount: '0',
      total_tax: '0',
      total_prepaid_credits_applied: '0',
      adjustment_amount: '0',
      refunded_amount: '0',
      invoice_number: 'INV-202509-00001',
      idempotency_key: null,
      billing_sequence: null,
      description: 'September work',
      finalized_at: '2025-09-10T08:00:00.000Z',
      issue_date: '2025-09-10T08:00:00.000Z',
      last_computed_at: '2025-09-10T08:00:00.000Z',
      period_start: '2025-09-01T00:00:00.000Z',
      period_end: '2025-09-10T00:00:00.000Z',
      billing_reason: 'MANUAL',
      metadata: { po: '42' },
      version: 2,
      is_manually_edited: false,
      coupon_applications: [],
      taxes: [],
      environment_id: server.bootstrap.defaultEnvironmentId,
      tenant_id: server.bootstrap.tenantId,
      status: 'published',
      created_at: '2025-09-10T08:00:00.000Z',
      updated_at: '2025-09-10T08:00:00.000Z',
      created_by: expect.stringMatching(/^secret_/),
      updated_by: expect.stringMatching(/^secret_/),
    });
    expect(line_items).toEqual([
      expect.objectContaining({ display_name: 'Consulting', amount: '100', quantity: '2', currency: 'usd', price_type: 'FIXED', invoice_id: i.id, period_start: '2025-09-01T00:00:00.000Z' }),
    ]);
    const announced = await api.get('/v1/webhooks/events?event_type=invoice.update.finalized');
    expect(announced.body.items.find((e: any) => e.entity_id === i.id).payload.invoice).toMatchObject({ id: i.id, invoice_number: 'INV-202509-00001', line_items: [expect.objectContaining({ amount: '100' })] });
  });

  it('skips a coupon that cannot apply (archived, other currency) silently, as FlexPrice does; applies the others in order', async () => {
    const archived = await createCoupon(api, { amount_off: '50', currency: 'usd' });
    expect((await api.delete(`/v1/coupons/${archived.id}`)).status).toBe(200);
    const euros = await createCoupon(api, { amount_off: '5', currency: 'eur' });
    const ten = await createCoupon(api, { amount_off: '10', currency: 'usd' });
    const half = await createCoupon(api, { type: 'percentage', percentage_off: '50' });
    const res = await api.post('/v1/invoices', body({ coupons: ['coupon_missing', archived.id, euros.id, ten.id, half.id], total: '45', amount_due: '45' }));
    expect(res.body).toMatchObject({ subtotal: '100', total_discount: '55', total: '45' }); // $10 off → $90, then 50% → $45
    expect(res.body.coupon_applications.map((a: any) => [a.coupon_id, a.discounted_amount])).toEqual([[ten.id, '10'], [half.id, '45']]);
  });

  it('accepts total and amount_due equal to the lines’ sum, as FlexPrice checks them, and stores Tally’s total', async () => {
    const ten = await createCoupon(api, { amount_off: '10', currency: 'usd' });
    const res = await api.post('/v1/invoices', body({ coupons: [ten.id] }));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ subtotal: '100', total: '90', amount_due: '90' });
  });

  it('keeps a line’s price_unit and price_unit_amount as given', async () => {
    const res = await api.post('/v1/invoices', body({ line_items: [{ display_name: 'Credits', amount: '100', quantity: '1', price_unit: 'ccr', price_unit_amount: '6666.67' }] }));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.line_items[0]).toMatchObject({ amount: '100', price_unit: 'ccr', price_unit_amount: '6666.67' });
    const read = await api.get(`/v1/invoices/${res.body.id}`);
    expect(read.body.line_items[0]).toMatchObject({ price_unit: 'ccr', price_unit_amount: '6666.67' });
  });

  it('creates a credit invoice with negative amounts', async () => {
    const res = await api.post('/v1/invoices', body({ invoice_type: 'CREDIT', subtotal: '-30', total: '-30', amount_due: '-30', line_items: [{ display_name: 'Credit', amount: '-30', quantity: '1' }] }));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ invoice_type: 'CREDIT', total: '-30', amount_due: '-30', invoice_status: 'FINALIZED' });
  });

  it('returns the draft made with the same idempotency_key; a finalized one’s key is a 409', async () => {
    const first = await api.post('/v1/invoices', body({ invoice_status: 'DRAFT', idempotency_key: 'draft-key' }));
    const again = await api.post('/v1/invoices', body({ invoice_status: 'DRAFT', idempotency_key: 'draft-key' }));
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(first.body).toMatchObject({ invoice_status: 'DRAFT', idempotency_key: 'draft-key', invoice_number: null });
    await api.post('/v1/invoices', body({ idempotency_key: 'final-key' }));
    await refuse({ idempotency_key: 'final-key' }, 'idempotency_key', 409);
  });

  it.each([
    ['a 4-letter currency', { currency: 'usdt' }, 'currency'],
    ['a SUBSCRIPTION invoice', { invoice_type: 'SUBSCRIPTION' }, 'invoice_type'],
    ['a line amount finer than cents', { subtotal: '100.001', total: '100.001', amount_due: '100.001', line_items: [{ amount: '100.001', quantity: '1' }] }, 'line_items[0].amount'],
    ['a negative line amount on a one-off invoice', { line_items: [{ amount: '-1', quantity: '1' }] }, 'line_items[0].amount'],
    ['a subtotal other than the lines’ sum', { subtotal: '99' }, 'subtotal'],
    ['a total other than the computed one', { total: '80' }, 'total'],
    ['an amount_due other than the total', { amount_due: '1' }, 'amount_due'],
    ['a paid amount (record payments instead)', { amount_paid: '10' }, 'amount_paid'],
    ['a payment status other than PENDING', { payment_status: 'SUCCEEDED' }, 'payment_status'],
    ['an invoice number (allocated at finalization)', { invoice_number: 'INV-1' }, 'invoice_number'],
    ['tax rates (none yet)', { tax_rates: ['taxrate_1'] }, 'tax_rates'],
    ['a VOIDED status', { invoice_status: 'VOIDED' }, 'invoice_status'],
    ['a period that ends before it starts', { period_start: '2025-09-02T00:00:00Z', period_end: '2025-09-01T00:00:00Z' }, 'period_end'],
  ])('refuses %s with 400 naming the field, writing nothing', async (_name, extra, field) => {
    await refuse(extra, field);
  });

  it('answers 404 for an unknown customer', async () => {
    await refuse({ customer_id: 'cust_missing' }, 'customer_id', 404);
  });
});
