import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../support/api-client.ts';
import { at } from '../../support/billing.ts';
import { count, createCustomer, expectRefused, unique, useTestServer, withArchived } from '../../support/fixtures.ts';
import { productionApi } from '../../support/test-server.ts';

const server = useTestServer();
let api: ApiClient;
let customer: any;

/** A one-off invoice of `amount` in `currency`, finalized unless `draft`. */
async function invoiceOf(amount: string, options: { draft?: boolean; currency?: string } = {}) {
  const res = await api.post('/v1/invoices', {
    customer_id: customer.id, currency: options.currency ?? 'usd', subtotal: amount, total: amount, amount_due: amount,
    ...(options.draft ? { invoice_status: 'DRAFT' } : {}),
    line_items: [{ display_name: 'Work', amount, quantity: '1', price_type: 'FIXED' }],
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** An OFFLINE payment request of `amount` for `invoice`, with `extra` on top. */
const offline = (invoice: any, amount: string, extra: Record<string, unknown> = {}) => ({
  amount, currency: 'usd', destination_type: 'INVOICE', destination_id: invoice.id, payment_method_type: 'OFFLINE', ...extra,
});

async function pay(body: Record<string, unknown>) {
  const res = await api.post('/v1/payments', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

const invoice = async (id: string) => (await api.get(`/v1/invoices/${id}`)).body;
const paymentRows = () => count(api, '/v1/payments', withArchived);
/** Every payment row, and the invoice's payment state: what a refused request must leave as it was. */
const stateOf = (invoiceId: string) => async () => {
  const i = await invoice(invoiceId);
  return { payments: await paymentRows(), invoice: [i.amount_paid, i.amount_remaining, i.payment_status, i.invoice_status, i.version] };
};
const eventsOf = async (entityId: string) =>
  (await api.get(`/v1/webhooks/events?entity_id=${entityId}&limit=100`)).body.items.map((e: any) => e.event_type).reverse();

beforeAll(async () => {
  api = server.api;
  at(server, '2025-10-01T00:00:00Z');
  customer = await createCustomer(api, { name: 'Pam', external_id: unique('pam') });
});

describe('POST /v1/payments', () => {
  it('records an OFFLINE payment, processes it at once, and pays the invoice with it', async () => {
    at(server, '2025-10-02T09:00:00Z');
    const i = await invoiceOf('40');
    const p = await pay(offline(i, '15', { metadata: { cheque: '1042' } }));
    expect(p).toEqual({
      id: expect.stringMatching(/^pay_[0-9A-HJKMNP-TV-Z]{26}$/),
      idempotency_key: expect.stringMatching(/^payment-[0-9a-f]{16}$/),
      destination_type: 'INVOICE',
      destination_id: i.id,
      payment_method_type: 'OFFLINE',
      amount: '15',
      currency: 'usd',
      payment_status: 'SUCCEEDED',
      track_attempts: false,
      metadata: { cheque: '1042' },
      succeeded_at: '2025-10-02T09:00:00.000Z',
      invoice_number: i.invoice_number,
      save_card_and_make_default: false,
      attempts: [],
      environment_id: server.bootstrap.defaultEnvironmentId,
      tenant_id: server.bootstrap.tenantId,
      status: 'published',
      created_at: '2025-10-02T09:00:00.000Z',
      updated_at: '2025-10-02T09:00:00.000Z',
      created_by: expect.stringMatching(/^secret_/),
      updated_by: expect.stringMatching(/^secret_/),
    });
    expect(await invoice(i.id)).toMatchObject({ amount_paid: '15', amount_remaining: '25', payment_status: 'PENDING' }); // 40 − 15 = 25
    expect((await api.get(`/v1/payments/${p.id}`)).body).toEqual(p);
    expect(await eventsOf(p.id)).toEqual(['payment.created', 'payment.pending', 'payment.success']);
    const success = (await api.get(`/v1/webhooks/events?entity_id=${p.id}&event_type=payment.success`)).body.items[0];
    expect(success.payload).toEqual({
      event_type: 'payment.success',
      payment: {
        id: p.id, destination_type: 'INVOICE', destination_id: i.id, payment_method_type: 'OFFLINE', amount: '15', currency: 'usd',
        payment_status: 'SUCCEEDED', succeeded_at: '2025-10-02T09:00:00.000Z', invoice_number: i.invoice_number,
      },
    });
    expect(await eventsOf(i.id)).toContain('invoice.update.payment');
  });

  it('pays in parts: the invoice follows the sum of its succeeded payments, SUCCEEDED with paid_at once nothing remains', async () => {
    at(server, '2025-10-03T00:00:00Z');
    const i = await invoiceOf('70.78');
    await pay(offline(i, '50'));
    expect(await invoice(i.id)).toMatchObject({ amount_paid: '50', amount_remaining: '20.78', payment_status: 'PENDING' }); // 70.78 − 50
    await pay(offline(i, '20.78'));
    const paid = await invoice(i.id);
    expect(paid).toMatchObject({ amount_paid: '70.78', amount_remaining: '0', payment_status: 'SUCCEEDED', paid_at: '2025-10-03T00:00:00.000Z' }); // 50 + 20.78
  });

  it('finalizes a DRAFT invoice that a payment pays in full, and names its new number', async () => {
    const draft = await invoiceOf('12', { draft: true });
    expect(draft.invoice_number).toBeNull();
    const p = await pay(offline(draft, '12'));
    const paid = await invoice(draft.id);
    expect(paid).toMatchObject({ invoice_status: 'FINALIZED', payment_status: 'SUCCEEDED', amount_paid: '12', amount_remaining: '0', invoice_number: expect.stringMatching(/^INV-202510-\d{5}$/) });
    expect(p.invoice_number).toBe(paid.invoice_number);
  });

  it('leaves a payment INITIATED with process_payment false, until POST /payments/{id}/process', async () => {
    at(server, '2025-10-04T00:00:00Z');
    const i = await invoiceOf('30');
    const p = await pay(offline(i, '30', { process_payment: false }));
    expect(p).toMatchObject({ payment_status: 'INITIATED' });
    expect(p.succeeded_at).toBeUndefined();
    expect(await invoice(i.id)).toMatchObject({ amount_paid: '0', amount_remaining: '30', payment_status: 'PENDING' });
    expect(await eventsOf(p.id)).toEqual(['payment.created']);
    at(server, '2025-10-05T00:00:00Z');
    const processed = await api.post(`/v1/payments/${p.id}/process`);
    expect(processed.status, JSON.stringify(processed.body)).toBe(200);
    expect(processed.body).toMatchObject({ id: p.id, payment_status: 'SUCCEEDED', succeeded_at: '2025-10-05T00:00:00.000Z', updated_at: '2025-10-05T00:00:00.000Z' });
    expect(await invoice(i.id)).toMatchObject({ amount_paid: '30', amount_remaining: '0', payment_status: 'SUCCEEDED' });
    expect(await eventsOf(p.id)).toEqual(['payment.created', 'payment.pending', 'payment.success']);
    const again = await expectRefused(api, { path: `/v1/payments/${p.id}/process` }, { code: 'invalid_operation' }, stateOf(i.id));
    expect(again.message).toBe(`payment ${p.id} is SUCCEEDED; only an INITIATED or PENDING payment can be processed`);
  });

  it('refuses to process a payment its invoice can no longer take, writing nothing', async () => {
    const i = await invoiceOf('10');
    const later = await pay(offline(i, '6', { process_payment: false })); // waits
    await pay(offline(i, '5')); // 10 − 5 = 5 remain, less than the 6 waiting
    const refusal = await expectRefused(api, { path: `/v1/payments/${later.id}/process` }, { code: 'invalid_operation' }, stateOf(i.id));
    expect(refusal.message).toBe(`payment ${later.id} cannot be processed: exceeds the invoice's amount_remaining (5 usd)`);
  });

  describe('refuses, naming the field and writing nothing', () => {
    let i: any;
    beforeAll(async () => {
      i = await invoiceOf('20');
    });
    it.each<[string, Record<string, unknown>, string]>([
      ['an amount of 0', { amount: '0' }, 'amount'],
      ['a negative amount', { amount: '-5' }, 'amount'],
      ['an amount that is no number', { amount: 'ten' }, 'amount'],
      ['more decimals than the currency has', { amount: '1.005' }, 'amount'],
      ['more than remains to pay', { amount: '20.01' }, 'amount'], // 20 remain
      ['another currency than the invoice’s', { currency: 'eur' }, 'currency'],
      ['a currency that is no code', { currency: 'u$d' }, 'currency'],
      ['a destination that is no invoice', { destination_type: 'CUSTOMER' }, 'destination_type'],
      ['a payment method id on an OFFLINE payment', { payment_method_id: 'pm_1' }, 'payment_method_id'],
      ['a CARD payment (needs a gateway)', { payment_method_type: 'CARD' }, 'payment_method_type'],
      ['an ACH payment (needs a gateway)', { payment_method_type: 'ACH' }, 'payment_method_type'],
      ['a PAYMENT_LINK payment (needs a gateway)', { payment_method_type: 'PAYMENT_LINK' }, 'payment_method_type'],
      ['a UPI payment (needs a gateway)', { payment_method_type: 'UPI' }, 'payment_method_type'],
      ['a CREDITS payment when the customer has no POST_PAID wallet', { payment_method_type: 'CREDITS' }, 'payment_method_id'],
    ])('%s', async (_case, change, field) => {
      await expectRefused(api, { path: '/v1/payments', body: offline(i, '5', change) }, { fields: [field] }, stateOf(i.id));
    });

    it('explains why a gateway or wallet payment is refused', async () => {
      const card = await api.post('/v1/payments', offline(i, '5', { payment_method_type: 'CARD', payment_gateway: 'stripe' }));
      expect(card.body.details).toEqual({ payment_method_type: 'CARD payments need a payment gateway, which Tally does not connect to yet; record money received outside Tally as OFFLINE' });
      const credits = await api.post('/v1/payments', offline(i, '5', { payment_method_type: 'CREDITS' }));
      expect(credits.body.details).toEqual({ payment_method_id: 'the customer has no active POST_PAID wallet in usd' });
    });

    it('answers 404 naming destination_id for an invoice that does not exist', async () => {
      await expectRefused(api, { path: '/v1/payments', body: offline({ id: 'inv_missing' }, '5') }, { status: 404, code: 'not_found', fields: ['destination_id'] }, paymentRows);
    });

    it('refuses a voided invoice and one already paid', async () => {
      const voided = await invoiceOf('8');
      expect((await api.post(`/v1/invoices/${voided.id}/void`)).status).toBe(200);
      const v = await expectRefused(api, { path: '/v1/payments', body: offline(voided, '8') }, { fields: ['destination_id'] }, stateOf(voided.id));
      expect(v.details).toEqual({ destination_id: `invoice ${voided.id} is VOIDED; only a DRAFT or FINALIZED invoice can be paid` });
      const paid = await invoiceOf('8');
      await pay(offline(paid, '8'));
      const p = await expectRefused(api, { path: '/v1/payments', body: offline(paid, '1') }, { fields: ['destination_id'] }, stateOf(paid.id));
      expect(p.details).toEqual({ destination_id: `invoice ${paid.id} is already paid (payment status SUCCEEDED)` });
    });
  });
});

describe('idempotency', () => {
  it('records the same payment sent twice once: the derived key answers the first payment, writing nothing', async () => {
    const i = await invoiceOf('50');
    const first = await pay(offline(i, '10'));
    const before = await stateOf(i.id)();
    const second = await pay(offline(i, '10'));
    expect(second).toEqual(first);
    expect(await stateOf(i.id)()).toEqual(before);
    expect(await invoice(i.id)).toMatchObject({ amount_paid: '10', amount_remaining: '40' }); // once: 50 − 10
    const other = await pay(offline(i, '11')); // another amount is another payment
    expect(other.id).not.toBe(first.id);
    expect(other.idempotency_key).not.toBe(first.idempotency_key);
  });

  it('answers the payment of a given idempotency_key whatever else the second request says', async () => {
    const i = await invoiceOf('50');
    const key = unique('receipt');
    const first = await pay(offline(i, '10', { idempotency_key: key }));
    expect(first.idempotency_key).toBe(key);
    const again = await pay(offline(i, '49', { idempotency_key: key }));
    expect(again).toEqual(first);
    expect((await api.get(`/v1/payments?destination_id=${i.id}`)).body.pagination.total).toBe(1);
  });

  it('records one payment when the same payment is sent ten times at once', async () => {
    const i = await invoiceOf('25');
    const answers = await Promise.all(Array.from({ length: 10 }, () => api.post('/v1/payments', offline(i, '25'))));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(201));
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect((await api.get(`/v1/payments?destination_id=${i.id}`)).body.pagination.total).toBe(1);
    expect(await invoice(i.id)).toMatchObject({ amount_paid: '25', amount_remaining: '0', payment_status: 'SUCCEEDED' }); // paid once
  });
});

describe('PUT /v1/payments/{id}: FlexPrice’s payment status transitions', () => {
  const statuses = ['INITIATED', 'PENDING', 'PROCESSING', 'SUCCEEDED', 'OVERPAID', 'FAILED', 'REFUNDED', 'PARTIALLY_REFUNDED', 'VOIDED'] as const;
  /** Where each status may go besides staying where it is (written out here, not read from the code). */
  const allowed: Record<string, string[]> = {
    INITIATED: ['PENDING', 'PROCESSING', 'SUCCEEDED', 'OVERPAID', 'FAILED'],
    PENDING: ['PROCESSING', 'SUCCEEDED', 'OVERPAID', 'FAILED'],
    PROCESSING: ['SUCCEEDED', 'OVERPAID', 'FAILED'],
    SUCCEEDED: ['OVERPAID', 'REFUNDED', 'PARTIALLY_REFUNDED', 'VOIDED'],
    OVERPAID: ['REFUNDED', 'PARTIALLY_REFUNDED'],
    PARTIALLY_REFUNDED: ['REFUNDED'],
    FAILED: [],
    REFUNDED: [],
    VOIDED: [],
  };
  /** How a payment created INITIATED reaches each status. */
  const path: Record<string, string[]> = {
    INITIATED: [],
    PENDING: ['PENDING'],
    PROCESSING: ['PROCESSING'],
    SUCCEEDED: ['SUCCEEDED'],
    OVERPAID: ['OVERPAID'],
    FAILED: ['FAILED'],
    REFUNDED: ['SUCCEEDED', 'REFUNDED'],
    PARTIALLY_REFUNDED: ['SUCCEEDED', 'PARTIALLY_REFUNDED'],
    VOIDED: ['SUCCEEDED', 'VOIDED'],
  };
  let big: any;
  beforeAll(async () => {
    big = await invoiceOf('1000'); // $1 payments never pay it in full
  });

  const cases = statuses.flatMap((from) => statuses.map((to) => [from, to, from === to || allowed[from]!.includes(to)] as const));
  it.each(cases)('%s → %s allowed: %s', async (from, to, ok) => {
    const p = await pay(offline(big, '1', { process_payment: false, idempotency_key: unique('transition') }));
    for (const step of path[from]!) expect((await api.put(`/v1/payments/${p.id}`, { payment_status: step })).status).toBe(200);
    if (ok) {
      const res = await api.put(`/v1/payments/${p.id}`, { payment_status: to });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.payment_status).toBe(to);
    } else {
      const before = (await api.get(`/v1/payments/${p.id}`)).body;
      const refusal = await expectRefused(api, { method: 'PUT', path: `/v1/payments/${p.id}`, body: { payment_status: to } }, { code: 'validation_error', fields: ['payment_status'] }, stateOf(big.id));
      expect(refusal.details).toEqual({ payment_status: `cannot go from ${from} to ${to}` });
      expect((await api.get(`/v1/payments/${p.id}`)).body).toEqual(before);
    }
  });

  it('stamps succeeded_at and failed_at from the clock and announces payment.success, payment.failed, payment.updated', async () => {
    const i = await invoiceOf('9');
    const good = await pay(offline(i, '4', { process_payment: false }));
    const bad = await pay(offline(i, '5', { process_payment: false }));
    at(server, '2025-10-06T12:00:00Z');
    expect((await api.put(`/v1/payments/${good.id}`, { payment_status: 'SUCCEEDED' })).body).toMatchObject({ payment_status: 'SUCCEEDED', succeeded_at: '2025-10-06T12:00:00.000Z' });
    expect((await api.put(`/v1/payments/${bad.id}`, { payment_status: 'FAILED', error_message: 'cheque bounced' })).body).toMatchObject({
      payment_status: 'FAILED', failed_at: '2025-10-06T12:00:00.000Z', error_message: 'cheque bounced',
    });
    expect((await api.put(`/v1/payments/${good.id}`, { metadata: { note: 'thanks' }, gateway_payment_id: 'rcpt-7' })).body).toMatchObject({ metadata: { note: 'thanks' }, gateway_payment_id: 'rcpt-7', payment_status: 'SUCCEEDED' });
    expect(await eventsOf(good.id)).toEqual(['payment.created', 'payment.success', 'payment.updated']);
    expect(await eventsOf(bad.id)).toEqual(['payment.created', 'payment.failed']);
    expect(await invoice(i.id)).toMatchObject({ amount_paid: '4', amount_remaining: '5', payment_status: 'PENDING' }); // only the $4 succeeded: 9 − 4
  });

  it('recomputes the invoice when a succeeded payment is refunded', async () => {
    const i = await invoiceOf('10');
    const a = await pay(offline(i, '6'));
    await pay(offline(i, '4'));
    expect(await invoice(i.id)).toMatchObject({ amount_paid: '10', payment_status: 'SUCCEEDED' }); // 6 + 4
    await api.put(`/v1/payments/${a.id}`, { payment_status: 'REFUNDED' });
    expect(await invoice(i.id)).toMatchObject({ amount_paid: '4', amount_remaining: '6', payment_status: 'PENDING' }); // the $6 no longer counts: 10 − 4
    expect((await api.get(`/v1/payments/${a.id}`)).body).toMatchObject({ payment_status: 'REFUNDED', refunded_at: '2025-10-06T12:00:00.000Z' });
  });
});

describe('DELETE /v1/payments/{id}', () => {
  it('deletes an INITIATED or FAILED payment (still readable), and refuses any other', async () => {
    const i = await invoiceOf('30');
    const initiated = await pay(offline(i, '1', { process_payment: false }));
    const failed = await pay(offline(i, '2', { process_payment: false }));
    await api.put(`/v1/payments/${failed.id}`, { payment_status: 'FAILED' });
    const pending = await pay(offline(i, '3', { process_payment: false }));
    await api.put(`/v1/payments/${pending.id}`, { payment_status: 'PENDING' });
    const succeeded = await pay(offline(i, '4'));
    for (const p of [initiated, failed]) {
      expect((await api.delete(`/v1/payments/${p.id}`)).body).toEqual({ message: 'payment deleted successfully' });
      expect((await api.get(`/v1/payments/${p.id}`)).body).toMatchObject({ id: p.id, status: 'archived' });
    }
    for (const [p, status] of [[pending, 'PENDING'], [succeeded, 'SUCCEEDED']] as const) {
      const refusal = await expectRefused(api, { method: 'DELETE', path: `/v1/payments/${p.id}` }, { code: 'invalid_operation' }, stateOf(i.id));
      expect(refusal.message).toBe(`payment ${p.id} is ${status}; only an INITIATED or FAILED payment can be deleted`);
    }
    expect((await api.get(`/v1/payments?destination_id=${i.id}`)).body.items.map((p: any) => p.id).sort()).toEqual([pending.id, succeeded.id].sort());
    expect((await api.delete('/v1/payments/pay_missing')).status).toBe(404);
  });

  it('frees a deleted payment’s key: the same payment may be recorded again', async () => {
    const i = await invoiceOf('7');
    const first = await pay(offline(i, '7', { process_payment: false }));
    await api.delete(`/v1/payments/${first.id}`);
    const again = await pay(offline(i, '7'));
    expect(again.id).not.toBe(first.id);
    expect(again.idempotency_key).toBe(first.idempotency_key);
    expect(await invoice(i.id)).toMatchObject({ amount_paid: '7', payment_status: 'SUCCEEDED' });
  });
});

describe('PUT /v1/invoices/{id}/payment on an invoice paid by payments', () => {
  it('is refused once a payment succeeded, and allowed before', async () => {
    const i = await invoiceOf('10');
    await pay(offline(i, '3', { process_payment: false }));
    const manual = await api.put(`/v1/invoices/${i.id}/payment`, { payment_status: 'PENDING', amount: '2' });
    expect(manual.status, JSON.stringify(manual.body)).toBe(200); // nothing succeeded yet
    const other = await invoiceOf('10');
    await pay(offline(other, '3'));
    const refusal = await expectRefused(api, { method: 'PUT', path: `/v1/invoices/${other.id}/payment`, body: { payment_status: 'SUCCEEDED' } }, { code: 'invalid_operation' }, stateOf(other.id));
    expect(refusal.message).toBe('Manual payment status updates are disabled for payment-based invoices.');
  });
});

describe('GET /v1/payments', () => {
  it('filters by invoice, status, method, currency, ids and sorts', async () => {
    const i = await invoiceOf('100');
    const eur = await invoiceOf('100', { currency: 'eur' });
    const a = await pay(offline(i, '30'));
    const b = await pay(offline(i, '20', { process_payment: false }));
    const c = await pay(offline(eur, '10', { currency: 'EUR' }));
    const ids = async (query: string) => (await api.get(`/v1/payments?${query}`)).body.items.map((p: any) => p.id);
    expect(await ids(`destination_id=${i.id}`)).toEqual([b.id, a.id]); // newest first
    expect(await ids(`destination_id=${i.id}&sort=amount&order=asc`)).toEqual([b.id, a.id]); // $20, $30
    expect(await ids(`destination_id=${i.id}&payment_status=INITIATED`)).toEqual([b.id]);
    expect(await ids(`payment_ids=${a.id}&payment_ids=${c.id}&order=asc`)).toEqual([a.id, c.id]);
    expect(await ids(`currency=eur&destination_type=INVOICE&payment_method_type=OFFLINE`)).toEqual([c.id]);
    expect(await ids(`destination_id=${i.id}&payment_gateway=stripe`)).toEqual([]);
    expect(c.currency).toBe('eur');
    expect((await api.get('/v1/payments?payment_method_type=CHEQUE')).status).toBe(400);
    expect((await api.get('/v1/payments?sort=nonsense')).status).toBe(400);
  });
});

describe('isolation', () => {
  it('keeps another environment out', async () => {
    const i = await invoiceOf('10');
    const p = await pay(offline(i, '2', { process_payment: false }));
    const { api: prod } = await productionApi(server);
    expect((await prod.get(`/v1/payments/${p.id}`)).status).toBe(404);
    expect((await prod.put(`/v1/payments/${p.id}`, { payment_status: 'FAILED' })).status).toBe(404);
    expect((await prod.delete(`/v1/payments/${p.id}`)).status).toBe(404);
    expect((await prod.post(`/v1/payments/${p.id}/process`)).status).toBe(404);
    const create = await prod.post('/v1/payments', offline(i, '1'));
    expect(create.status).toBe(404);
    expect(create.body.details).toEqual({ destination_id: i.id });
    expect((await prod.get('/v1/payments')).body.pagination.total).toBe(0);
    expect((await api.get(`/v1/payments/${p.id}`)).body.payment_status).toBe('INITIATED');
  });
});
