// Rosa subscribes on 1 March to Team, $100.00 a month in advance, and pays the $100.00 opening invoice
// in full on 2 March (an offline payment). On 10 March, after an outage, the seller issues a refund
// credit note of $30.00 against the invoice: $30.00 goes into Rosa's prepaid wallet — made for her, at
// rate 1: 30 credits — and the invoice shows $30.00 refunded, PARTIALLY_REFUNDED. On 20 March the seller
// refunds the other $70.00: the invoice is REFUNDED and the wallet holds 100 credits. A third note, of
// $0.01, is refused: nothing paid is left to refund.
import { describe, expect, it } from 'vitest';
import { at, subscribe } from '../support/billing.ts';
import { count, createCustomer, createPlan, createPrice, expectRefused, fixedPrice, useTestServer, withArchived } from '../support/fixtures.ts';
import { expectLedgerHolds, ledgerOf } from '../integration/wallets/wallet-ledger.ts';

const server = useTestServer();
let customerId: string;
let invoiceId: string;
let lineId: string;
let subscriptionId: string;

const invoice = async () => (await server.api.get(`/v1/invoices/${invoiceId}`)).body;
const amounts = async () => {
  const i = await invoice();
  return { total: i.total, amount_due: i.amount_due, amount_paid: i.amount_paid, amount_remaining: i.amount_remaining, refunded_amount: i.refunded_amount, adjustment_amount: i.adjustment_amount, payment_status: i.payment_status };
};
const wallets = async () => (await server.api.get(`/v1/customers/${customerId}/wallets`)).body as any[];
const refund = async (amount: string, reason: string) => {
  const res = await server.api.post('/v1/creditnotes', { invoice_id: invoiceId, reason, line_items: [{ invoice_line_item_id: lineId, amount }] });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
};

describe('a paid invoice refunded in two credit notes', () => {
  it('bills Rosa $100.00 on 1 March and records her payment on 2 March', async () => {
    at(server, '2025-03-01T00:00:00Z');
    const plan = await createPlan(server.api, { name: 'Team' });
    await createPrice(server.api, fixedPrice(plan.id, { amount: '100.00' }));
    customerId = (await createCustomer(server.api, { name: 'Rosa' })).id;
    const sub = await subscribe(server.api, { customer_id: customerId, plan_id: plan.id, currency: 'usd', billing_period: 'MONTHLY' });
    invoiceId = sub.latest_invoice.id;
    subscriptionId = sub.id;
    lineId = (await invoice()).line_items[0].id;
    at(server, '2025-03-02T10:00:00Z');
    const payment = await server.api.post('/v1/payments', { amount: '100', currency: 'usd', destination_type: 'INVOICE', destination_id: invoiceId, payment_method_type: 'OFFLINE' });
    expect(payment.status, JSON.stringify(payment.body)).toBe(201);
    expect(await amounts()).toEqual({
      total: '100', //             1 × $100.00, March in advance
      amount_due: '100',
      amount_paid: '100',
      amount_remaining: '0', //    100 − 100
      refunded_amount: '0',
      adjustment_amount: '0',
      payment_status: 'SUCCEEDED',
    });
    expect(await wallets()).toEqual([]);
  });

  it('refunds $30.00 on 10 March: 30 credits in a new prepaid wallet, the invoice PARTIALLY_REFUNDED', async () => {
    at(server, '2025-03-10T15:00:00Z');
    const note = await refund('30', 'SERVICE_ISSUE');
    expect(note).toMatchObject({ credit_note_number: 'CN-00001', credit_note_type: 'REFUND', credit_note_status: 'FINALIZED', total_amount: '30', finalized_at: '2025-03-10T15:00:00.000Z' });
    const read = (await server.api.get(`/v1/creditnotes/${note.id}`)).body;
    expect(read).toMatchObject({ subscription_id: subscriptionId, subscription: { id: subscriptionId, customer_id: customerId }, customer: { id: customerId, name: 'Rosa' }, invoice: { id: invoiceId } });
    expect(await amounts()).toEqual({
      total: '100',
      amount_due: '100', //        a refund changes nothing owed
      amount_paid: '100',
      amount_remaining: '0',
      refunded_amount: '30', //    0 + 30
      adjustment_amount: '0',
      payment_status: 'PARTIALLY_REFUNDED', // 30 of the 100 paid
    });
    const [wallet] = await wallets();
    expect(wallet).toMatchObject({ wallet_type: 'PRE_PAID', currency: 'usd', conversion_rate: '1', credit_balance: '30', balance: '30' }); // $30 ÷ 1 = 30 credits
    const ledger = await ledgerOf(server.api, wallet.id);
    expect(ledger.map((t: any) => [t.type, t.credit_amount, t.transaction_reason, t.idempotency_key])).toEqual([['credit', '30', 'CREDIT_NOTE', note.id]]);
    expectLedgerHolds(wallet, ledger);
  });

  it('refunds the other $70.00 on 20 March: REFUNDED, 100 credits in the wallet', async () => {
    at(server, '2025-03-20T09:30:00Z');
    const note = await refund('70', 'ORDER_CHANGE');
    expect(note).toMatchObject({ credit_note_number: 'CN-00002', credit_note_type: 'REFUND', total_amount: '70' });
    expect(await amounts()).toEqual({
      total: '100',
      amount_due: '100',
      amount_paid: '100',
      amount_remaining: '0',
      refunded_amount: '100', //   30 + 70 = all that was paid
      adjustment_amount: '0',
      payment_status: 'REFUNDED',
    });
    const all = await wallets();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ credit_balance: '100', balance: '100' }); // 30 + 70
    expectLedgerHolds(all[0], await ledgerOf(server.api, all[0].id));
  });

  it('refuses a third note: the invoice is fully refunded', async () => {
    const written = async () => ({ notes: await count(server.api, '/v1/creditnotes', withArchived), invoice: await amounts(), wallet: (await wallets())[0].credit_balance });
    const refusal = await expectRefused(server.api, { path: '/v1/creditnotes', body: { invoice_id: invoiceId, reason: 'DUPLICATE', line_items: [{ invoice_line_item_id: lineId, amount: '0.01' }] } }, { fields: ['invoice_id'] }, written);
    expect(refusal.details).toEqual({ invoice_id: `invoice ${invoiceId} is already fully refunded` });
    const notes = (await server.api.get(`/v1/creditnotes?invoice_id=${invoiceId}&order=asc`)).body.items;
    expect(notes.map((n: any) => [n.credit_note_number, n.credit_note_type, n.total_amount, n.credit_note_status])).toEqual([
      ['CN-00001', 'REFUND', '30', 'FINALIZED'],
      ['CN-00002', 'REFUND', '70', 'FINALIZED'],
    ]);
  });
});
