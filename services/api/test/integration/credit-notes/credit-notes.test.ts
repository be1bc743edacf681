import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../support/api-client.ts';
import { at } from '../../support/billing.ts';
import { count, createCustomer, expectRefused, useTestServer, withArchived } from '../../support/fixtures.ts';
import { productionApi } from '../../support/test-server.ts';
import { expectLedgerHolds, ledgerOf } from '../wallets/wallet-ledger.ts';
import { creditedAmounts, eventsOf, invoiceOf100, walletsOf } from './credit-note-fixtures.ts';

const server = useTestServer();
let api: ApiClient;

const notes = () => count(api, '/v1/creditnotes', withArchived);
const post = async (body: Record<string, unknown>) => {
  const res = await api.post('/v1/creditnotes', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
};
const line = (invoiceLineItemId: string, amount: string | number) => ({ invoice_line_item_id: invoiceLineItemId, amount });

beforeAll(() => {
  api = server.api;
  at(server, '2025-11-03T09:00:00Z');
});

describe('a refund credit note (the invoice is paid)', () => {
  let paid: Awaited<ReturnType<typeof invoiceOf100>>;
  let note: any;

  it('refunds $30 of a $100 invoice paid in full: FINALIZED at once, numbered, its lines as given', async () => {
    paid = await invoiceOf100(api, { paid: true });
    note = await post({ invoice_id: paid.invoice.id, reason: 'SERVICE_ISSUE', memo: 'Outage on 2 November', line_items: [line(paid.platform, '30')], metadata: { ticket: 'SUP-1' } });
    expect(note).toEqual({
      id: expect.stringMatching(/^cn_[0-9A-HJKMNP-TV-Z]{26}$/),
      credit_note_number: 'CN-00001',
      invoice_id: paid.invoice.id,
      customer_id: paid.customerId,
      credit_note_status: 'FINALIZED',
      credit_note_type: 'REFUND',
      refund_status: null,
      reason: 'SERVICE_ISSUE',
      memo: 'Outage on 2 November',
      currency: 'usd',
      total_amount: '30',
      idempotency_key: expect.stringMatching(/^credit_note-[0-9a-f]{16}$/),
      line_items: [
        {
          id: expect.stringMatching(/^cn_line_[0-9A-HJKMNP-TV-Z]{26}$/),
          credit_note_id: note.id,
          invoice_line_item_id: paid.platform,
          display_name: 'Platform',
          amount: '30',
          currency: 'usd',
          metadata: {},
          environment_id: expect.any(String),
          tenant_id: expect.any(String),
          status: 'published',
          created_at: '2025-11-03T09:00:00.000Z',
          updated_at: '2025-11-03T09:00:00.000Z',
          created_by: expect.any(String),
          updated_by: expect.any(String),
        },
      ],
      finalized_at: '2025-11-03T09:00:00.000Z',
      metadata: { ticket: 'SUP-1' },
      environment_id: expect.any(String),
      tenant_id: expect.any(String),
      status: 'published',
      created_at: '2025-11-03T09:00:00.000Z',
      updated_at: '2025-11-03T09:00:00.000Z',
      created_by: expect.any(String),
      updated_by: expect.any(String),
    });
  });

  it('adds the $30 to the invoice’s refunded_amount: PARTIALLY_REFUNDED, nothing owed changes', async () => {
    expect(await creditedAmounts(api, paid.invoice.id)).toEqual({
      amount_due: '100',
      amount_paid: '100',
      amount_remaining: '0',
      refunded_amount: '30', // 0 + 30
      adjustment_amount: '0',
      payment_status: 'PARTIALLY_REFUNDED', // 30 of 100 paid refunded
    });
  });

  it('deposits $30 in a PRE_PAID wallet made for the customer (rate 1: 30 credits), reason CREDIT_NOTE, keyed by the note', async () => {
    const [wallet] = await walletsOf(api, paid.customerId);
    expect(wallet).toMatchObject({ wallet_type: 'PRE_PAID', currency: 'usd', conversion_rate: '1', credit_balance: '30', balance: '30' });
    const ledger = await ledgerOf(api, wallet.id);
    expect(ledger.map((t: any) => [t.type, t.credit_amount, t.amount, t.transaction_reason, t.idempotency_key, t.metadata])).toEqual([['credit', '30', '30', 'CREDIT_NOTE', note.id, { credit_note_id: note.id }]]);
    expectLedgerHolds(wallet, ledger);
  });

  it('announces credit_note.created (DRAFT) and credit_note.updated (FINALIZED) with FlexPrice’s trimmed note', async () => {
    const events = await eventsOf(api, note.id);
    expect(events.map((e) => e.type)).toEqual(['credit_note.created', 'credit_note.updated']);
    const trimmed = {
      id: note.id,
      credit_note_number: 'CN-00001',
      invoice_id: paid.invoice.id,
      customer_id: paid.customerId,
      credit_note_type: 'REFUND',
      reason: 'SERVICE_ISSUE',
      memo: 'Outage on 2 November',
      currency: 'usd',
      total_amount: '30',
      metadata: { ticket: 'SUP-1' },
    };
    expect(events[0]!.payload).toEqual({ event_type: 'credit_note.created', credit_note: { ...trimmed, credit_note_status: 'DRAFT' } });
    expect(events[1]!.payload).toEqual({ event_type: 'credit_note.updated', credit_note: { ...trimmed, credit_note_status: 'FINALIZED', finalized_at: '2025-11-03T09:00:00.000Z' } });
  });

  it('reads the note with its invoice and customer embedded, as FlexPrice does', async () => {
    const res = await api.get(`/v1/creditnotes/${note.id}`);
    expect(res.status).toBe(200);
    const { invoice, customer, ...rest } = res.body;
    expect(rest).toEqual(note);
    expect(invoice).toMatchObject({ id: paid.invoice.id, refunded_amount: '30', payment_status: 'PARTIALLY_REFUNDED' });
    expect(invoice.line_items.map((l: any) => l.amount)).toEqual(['60', '40']);
    expect(invoice).not.toHaveProperty('customer');
    expect(customer).toMatchObject({ id: paid.customerId, name: 'Credited' });
  });

  it('answers the same note again without an idempotency key (FlexPrice derives one), writing nothing', async () => {
    const before = await notes();
    const again = await post({ invoice_id: paid.invoice.id, reason: 'SERVICE_ISSUE', memo: 'sent twice', line_items: [line(paid.platform, 30)] });
    expect(again.id).toBe(note.id);
    expect(await notes()).toBe(before);
    expect((await creditedAmounts(api, paid.invoice.id)).refunded_amount).toBe('30');
  });

  it('refunds the remaining $70 in a second note (CN-00002): REFUNDED, $100 in the wallet; a third is refused', async () => {
    const second = await post({ invoice_id: paid.invoice.id, reason: 'ORDER_CHANGE', line_items: [line(paid.platform, '30'), line(paid.support, '40')], idempotency_key: 'rest-of-it' });
    expect(second).toMatchObject({ credit_note_number: 'CN-00002', total_amount: '70', idempotency_key: 'rest-of-it', credit_note_status: 'FINALIZED' });
    expect(await creditedAmounts(api, paid.invoice.id)).toMatchObject({ refunded_amount: '100', payment_status: 'REFUNDED' }); // 30 + 70 = 100 paid
    const [wallet] = await walletsOf(api, paid.customerId);
    expect(wallet.credit_balance).toBe('100'); // 30 + 70
    expectLedgerHolds(wallet, await ledgerOf(api, wallet.id));
    const refusal = await expectRefused(api, { path: '/v1/creditnotes', body: { invoice_id: paid.invoice.id, reason: 'DUPLICATE', line_items: [line(paid.support, '1')] } }, { fields: ['invoice_id'] }, notes);
    expect(refusal.details.invoice_id).toBe(`invoice ${paid.invoice.id} is already fully refunded`);
    expect((await api.post('/v1/creditnotes', { invoice_id: paid.invoice.id, reason: 'DUPLICATE', line_items: [line(paid.support, '1')], idempotency_key: 'rest-of-it' })).body.id).toBe(second.id);
  });

  it('converts the refund at the wallet’s conversion_rate: $30 into a wallet at rate 2 is 15 credits', async () => {
    const customer = await createCustomer(api, { name: 'Rated' });
    const made = await api.post('/v1/wallets', { customer_id: customer.id, currency: 'usd', conversion_rate: '2' });
    expect(made.status).toBe(200);
    const invoice = await invoiceOf100(api, { paid: true, customerId: customer.id });
    await post({ invoice_id: invoice.invoice.id, reason: 'BILLING_ERROR', line_items: [line(invoice.platform, '30')] });
    const wallets = await walletsOf(api, customer.id);
    expect(wallets.map((w: any) => [w.id, w.credit_balance, w.balance])).toEqual([[made.body.id, '15', '30']]); // $30 ÷ 2 = 15 credits, worth 15 × 2 = $30
    expectLedgerHolds(wallets[0], await ledgerOf(api, made.body.id));
  });
});

describe('an adjustment credit note (the invoice is not paid)', () => {
  it('takes $40 off an unpaid $100 invoice: amount_due and amount_remaining $60, still PENDING', async () => {
    const unpaid = await invoiceOf100(api);
    const note = await post({ invoice_id: unpaid.invoice.id, reason: 'BILLING_ERROR', line_items: [line(unpaid.support, '40')] });
    expect(note).toMatchObject({ credit_note_type: 'ADJUSTMENT', credit_note_status: 'FINALIZED', total_amount: '40' });
    expect(await creditedAmounts(api, unpaid.invoice.id)).toEqual({
      amount_due: '60', // 100 − 40
      amount_paid: '0',
      amount_remaining: '60', // max(60 − 0, 0)
      refunded_amount: '0',
      adjustment_amount: '40',
      payment_status: 'PENDING',
    });
    expect(await walletsOf(api, unpaid.customerId)).toEqual([]);
  });

  it('settles an invoice with $40 paid by adjusting the $60 left: SUCCEEDED, nothing remaining', async () => {
    const part = await invoiceOf100(api, { paid: '40' });
    await post({ invoice_id: part.invoice.id, reason: 'ORDER_CHANGE', line_items: [line(part.platform, '60')] });
    expect(await creditedAmounts(api, part.invoice.id)).toEqual({
      amount_due: '40', // 100 − 60
      amount_paid: '40',
      amount_remaining: '0', // max(40 − 40, 0)
      refunded_amount: '0',
      adjustment_amount: '60',
      payment_status: 'SUCCEEDED',
    });
    expect((await api.get(`/v1/invoices/${part.invoice.id}`)).body.paid_at).toBe('2025-11-03T09:00:00.000Z');
  });

  it('keeps a draft (process_credit_note: false) until it is finalized, then applies it', async () => {
    const unpaid = await invoiceOf100(api);
    const draft = await post({ invoice_id: unpaid.invoice.id, reason: 'DUPLICATE', line_items: [line(unpaid.platform, '25')], process_credit_note: false });
    expect(draft).toMatchObject({ credit_note_status: 'DRAFT', credit_note_type: 'ADJUSTMENT', total_amount: '25' });
    expect(draft).not.toHaveProperty('finalized_at');
    expect((await creditedAmounts(api, unpaid.invoice.id)).adjustment_amount).toBe('0');
    at(server, '2025-11-04T10:00:00Z');
    const finalized = await api.post(`/v1/creditnotes/${draft.id}/finalize`, {});
    expect(finalized.status).toBe(200);
    expect(finalized.body).toEqual({ message: 'Adjustment credit note processed successfully' });
    expect((await api.get(`/v1/creditnotes/${draft.id}`)).body).toMatchObject({ credit_note_status: 'FINALIZED', finalized_at: '2025-11-04T10:00:00.000Z' });
    expect(await creditedAmounts(api, unpaid.invoice.id)).toMatchObject({ amount_due: '75', amount_remaining: '75', adjustment_amount: '25' }); // 100 − 25
    expect((await eventsOf(api, draft.id)).map((e) => e.type)).toEqual(['credit_note.created', 'credit_note.updated']);
    at(server, '2025-11-03T09:00:00Z');
  });

  it('voids a finalized adjustment: the invoice owes it again, and one it had settled is PENDING again', async () => {
    const part = await invoiceOf100(api, { paid: '40' });
    const note = await post({ invoice_id: part.invoice.id, reason: 'ORDER_CHANGE', line_items: [line(part.platform, '60')] });
    expect((await creditedAmounts(api, part.invoice.id)).payment_status).toBe('SUCCEEDED');
    const voided = await api.post(`/v1/creditnotes/${note.id}/void`, {});
    expect(voided.status).toBe(200);
    expect(voided.body).toEqual({ message: 'Credit note voided successfully' });
    expect((await api.get(`/v1/creditnotes/${note.id}`)).body).toMatchObject({ credit_note_status: 'VOIDED', voided_at: '2025-11-03T09:00:00.000Z', finalized_at: '2025-11-03T09:00:00.000Z' });
    expect(await creditedAmounts(api, part.invoice.id)).toEqual({
      amount_due: '100', // 100 − 0
      amount_paid: '40',
      amount_remaining: '60', // 100 − 40
      refunded_amount: '0',
      adjustment_amount: '0', // 60 − 60
      payment_status: 'PENDING',
    });
    expect((await api.get(`/v1/invoices/${part.invoice.id}`)).body).not.toHaveProperty('paid_at');
    const events = await eventsOf(api, note.id);
    expect(events.map((e) => [e.type, e.payload.credit_note.credit_note_status])).toEqual([
      ['credit_note.created', 'DRAFT'],
      ['credit_note.updated', 'FINALIZED'],
      ['credit_note.updated', 'VOIDED'],
    ]);
  });

  it('voids a draft without touching the invoice', async () => {
    const unpaid = await invoiceOf100(api);
    const draft = await post({ invoice_id: unpaid.invoice.id, reason: 'DUPLICATE', line_items: [line(unpaid.platform, '10')], process_credit_note: false });
    expect((await api.post(`/v1/creditnotes/${draft.id}/void`, {})).status).toBe(200);
    expect(await creditedAmounts(api, unpaid.invoice.id)).toMatchObject({ amount_due: '100', adjustment_amount: '0' });
    const refusal = await expectRefused(api, { path: `/v1/creditnotes/${draft.id}/finalize`, body: {} }, { code: 'invalid_operation' }, () => creditedAmounts(api, unpaid.invoice.id));
    expect(refusal.message).toBe(`credit note ${draft.id} is VOIDED; only a DRAFT credit note can be finalized`);
  });
});

describe('refusals write nothing', () => {
  let unpaid: Awaited<ReturnType<typeof invoiceOf100>>;
  const refuse = (body: Record<string, unknown>, fields: string[], status = 400) => expectRefused(api, { path: '/v1/creditnotes', body }, { status, fields }, notes);
  const valid = (extra: Record<string, unknown> = {}) => ({ invoice_id: unpaid.invoice.id, reason: 'DUPLICATE', line_items: [line(unpaid.platform, '10')], ...extra });

  beforeAll(async () => {
    unpaid = await invoiceOf100(api);
  });

  it('an unknown invoice: 404 naming invoice_id', async () => {
    const body = await refuse(valid({ invoice_id: 'inv_01JD2Z7Q8K3M4N5P6R7S8T9V0W' }), ['invoice_id'], 404);
    expect(body.code).toBe('not_found');
  });

  it('a draft invoice, and a voided one', async () => {
    const customer = await createCustomer(api);
    const draft = await api.post('/v1/invoices', { customer_id: customer.id, currency: 'usd', invoice_type: 'ONE_OFF', invoice_status: 'DRAFT', subtotal: '5', total: '5', amount_due: '5', line_items: [{ amount: '5', quantity: '1' }] });
    expect(draft.body.invoice_status).toBe('DRAFT');
    const body = await refuse(valid({ invoice_id: draft.body.id, line_items: [line(draft.body.line_items[0].id, '1')] }), ['invoice_id']);
    expect(body.details.invoice_id).toBe(`invoice ${draft.body.id} is DRAFT; credit notes are issued for FINALIZED invoices only`);
    const other = await invoiceOf100(api);
    expect((await api.post(`/v1/invoices/${other.invoice.id}/void`, {})).status).toBe(200);
    await refuse({ invoice_id: other.invoice.id, reason: 'DUPLICATE', line_items: [line(other.platform, '1')] }, ['invoice_id']);
  });

  it('an invoice whose payment status takes no credit note (OVERPAID)', async () => {
    const over = await invoiceOf100(api);
    const set = await api.put(`/v1/invoices/${over.invoice.id}/payment`, { payment_status: 'OVERPAID', amount: '120' });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    const body = await refuse({ invoice_id: over.invoice.id, reason: 'DUPLICATE', line_items: [line(over.platform, '1')] }, ['invoice_id']);
    expect(body.details.invoice_id).toBe(`invoice ${over.invoice.id} has payment status OVERPAID, which takes no credit note`);
  });

  it('a line of another invoice, a line beyond the invoice line, an amount finer than the currency', async () => {
    const other = await invoiceOf100(api);
    expect((await refuse(valid({ line_items: [line(other.platform, '1')] }), ['line_items[0].invoice_line_item_id'])).details).toEqual({
      'line_items[0].invoice_line_item_id': `${other.platform} is not a line of this invoice`,
    });
    expect((await refuse(valid({ line_items: [line(unpaid.support, '40.01')] }), ['line_items[0].amount'])).details).toEqual({
      'line_items[0].amount': `credits 40.01 against invoice line ${unpaid.support}, which was charged only 40`,
    });
    await refuse(valid({ line_items: [line(unpaid.support, '30'), line(unpaid.support, '10.5'), line(unpaid.platform, '0.001')] }), ['line_items[1].amount', 'line_items[2].amount']);
  });

  it('an amount of 0 or below, no lines, a reason FlexPrice does not have', async () => {
    await refuse(valid({ line_items: [line(unpaid.platform, '0')] }), ['line_items[0].amount']);
    await refuse(valid({ line_items: [line(unpaid.platform, '-5')] }), ['line_items[0].amount']);
    await refuse(valid({ line_items: [] }), ['line_items']);
    await refuse(valid({ reason: 'GOODWILL' }), ['reason']);
    expect((await refuse(valid({ refund_target: 'BACK_TO_SOURCE' }), ['refund_target'])).details.refund_target).toContain('payment gateway');
  });

  it('a total beyond what can still be credited: $60 + $40 adjusted already, then $0.01 more', async () => {
    const customer = await createCustomer(api);
    const inv = await invoiceOf100(api, { customerId: customer.id, paid: '30' });
    // $100 with $30 paid: $70 can be adjusted.
    const body = await refuse({ invoice_id: inv.invoice.id, reason: 'DUPLICATE', line_items: [line(inv.platform, '60'), line(inv.support, '10.01')] }, ['line_items']);
    expect(body.details.line_items).toBe(`credit 70.01 usd in total, but only 70 can still be adjusted on invoice ${inv.invoice.id}`);
    await post({ invoice_id: inv.invoice.id, reason: 'DUPLICATE', line_items: [line(inv.platform, '60'), line(inv.support, '10')] });
    expect(await creditedAmounts(api, inv.invoice.id)).toEqual({ amount_due: '30', amount_paid: '30', amount_remaining: '0', refunded_amount: '0', adjustment_amount: '70', payment_status: 'SUCCEEDED' });
    // Now paid: a refund of at most the $30 paid.
    await refuse({ invoice_id: inv.invoice.id, reason: 'DUPLICATE', line_items: [line(inv.support, '30.01')] }, ['line_items']);
  });

  it('a credit_note_number already given: 409', async () => {
    await post(valid({ credit_note_number: 'CN-CUSTOM-1', idempotency_key: 'custom-1' }));
    const body = await refuse(valid({ credit_note_number: 'CN-CUSTOM-1', idempotency_key: 'custom-2' }), ['credit_note_number'], 409);
    expect(body.code).toBe('already_exists');
  });

  it('finalizing a finalized note; voiding a voided one, and a finalized refund', async () => {
    const note = await post(valid({ idempotency_key: 'fin-1', line_items: [line(unpaid.platform, '1')] }));
    const state = () => creditedAmounts(api, unpaid.invoice.id);
    await expectRefused(api, { path: `/v1/creditnotes/${note.id}/finalize` }, { code: 'invalid_operation' }, state);
    expect((await api.post(`/v1/creditnotes/${note.id}/void`)).status).toBe(200);
    await expectRefused(api, { path: `/v1/creditnotes/${note.id}/void` }, { code: 'invalid_operation' }, state);
    const paidOne = await invoiceOf100(api, { paid: true });
    const refund = await post({ invoice_id: paidOne.invoice.id, reason: 'DUPLICATE', line_items: [line(paidOne.platform, '5')] });
    const refusal = await expectRefused(api, { path: `/v1/creditnotes/${refund.id}/void` }, { code: 'invalid_operation' }, async () => [await creditedAmounts(api, paidOne.invoice.id), (await api.get(`/v1/creditnotes/${refund.id}`)).body.credit_note_status]);
    expect(refusal.message).toContain('a refund cannot be voided once completed');
  });

  it('voiding an adjustment of an invoice refunded since', async () => {
    const inv = await invoiceOf100(api, { paid: '40' });
    const adjustment = await post({ invoice_id: inv.invoice.id, reason: 'DUPLICATE', line_items: [line(inv.platform, '60')] });
    await post({ invoice_id: inv.invoice.id, reason: 'DUPLICATE', line_items: [line(inv.support, '10')] }); // a $10 refund of the $40 paid
    expect((await creditedAmounts(api, inv.invoice.id)).payment_status).toBe('PARTIALLY_REFUNDED');
    await expectRefused(api, { path: `/v1/creditnotes/${adjustment.id}/void` }, { code: 'invalid_operation' }, () => creditedAmounts(api, inv.invoice.id));
  });

  it('another environment’s note or invoice: 404', async () => {
    const note = await post(valid({ idempotency_key: 'env-1' }));
    const { api: other } = await productionApi(server);
    expect((await other.get(`/v1/creditnotes/${note.id}`)).status).toBe(404);
    expect((await other.post(`/v1/creditnotes/${note.id}/finalize`)).status).toBe(404);
    expect((await other.post(`/v1/creditnotes/${note.id}/void`)).status).toBe(404);
    expect((await other.post('/v1/creditnotes', valid())).status).toBe(404);
    expect((await other.get('/v1/creditnotes')).body.pagination.total).toBe(0);
  });
});

describe('GET /v1/creditnotes', () => {
  it('filters by invoice, status and type, and embeds what expand asks for', async () => {
    const inv = await invoiceOf100(api);
    const a = await post({ invoice_id: inv.invoice.id, reason: 'DUPLICATE', line_items: [line(inv.platform, '5')] });
    const b = await post({ invoice_id: inv.invoice.id, reason: 'DUPLICATE', line_items: [line(inv.platform, '6')], process_credit_note: false });
    const ids = async (query: string) => (await api.get(`/v1/creditnotes?invoice_id=${inv.invoice.id}${query}`)).body.items.map((n: any) => n.id);
    expect(await ids('')).toEqual([b.id, a.id]);
    expect(await ids('&order=asc')).toEqual([a.id, b.id]);
    expect(await ids('&credit_note_status=DRAFT')).toEqual([b.id]);
    expect(await ids('&credit_note_status=DRAFT&credit_note_status=FINALIZED&sort=total_amount&order=asc')).toEqual([a.id, b.id]);
    expect(await ids('&credit_note_type=REFUND')).toEqual([]);
    expect(await ids(`&credit_note_ids=${a.id}`)).toEqual([a.id]);
    const page = (await api.get(`/v1/creditnotes?invoice_id=${inv.invoice.id}&limit=1&expand=invoice,customer`)).body;
    expect(page.pagination).toEqual({ total: 2, limit: 1, offset: 1 });
    expect(page.items[0]).toMatchObject({ id: b.id, invoice: { id: inv.invoice.id, adjustment_amount: '5' }, customer: { id: inv.customerId } });
    expect((await api.get('/v1/creditnotes?expand=plans')).status).toBe(400);
  });
});
