// Omar subscribes on 1 March 2025 to Support: a $20 fee and $0.10 per ticket, both in arrears. He holds
// a prepaid wallet of 50 credits (rate 1). He files 400 tickets in March: on 1 April his invoice is
// $40 + $20 = $60, of which his credits pay the $40 of tickets (never the fee): $20 to pay, which he
// pays on 3 April. On 5 April the seller refunds $5 of the fee in a credit note: into his wallet. On 8
// April the seller voids the invoice: what funded it — $20 paid + $40 of credits − $5 already refunded
// = $55 — goes back to his wallet as INVOICE_VOID_REFUND; the invoice is REFUNDED, $60 refunded in all.
import { describe, expect, it } from 'vitest';
import { at, billAt, headlineOf, invoicesOf, sendEvents, subscribe } from '../support/billing.ts';
import { createCustomer, createMeter, createPlan, createPrice, fixedPrice, usagePrice, useTestServer } from '../support/fixtures.ts';
import { expectLedgerHolds, ledgerOf } from '../integration/wallets/wallet-ledger.ts';

const server = useTestServer();
let customer: any;
let walletId: string;
let invoice: any;

const wallet = async () => (await server.api.get(`/v1/wallets/${walletId}`)).body;
const read = async () => (await server.api.get(`/v1/invoices/${invoice.id}`)).body;
const money = (i: any) => [i.invoice_status, i.payment_status, i.total, i.total_prepaid_credits_applied, i.amount_paid, i.amount_remaining, i.refunded_amount];

describe('an invoice paid by credits and a payment, partly refunded, then voided', () => {
  it('invoices March on 1 April: $60, of which 40 credits pay the tickets; $20 to pay', async () => {
    at(server, '2025-02-20T00:00:00Z');
    const meter = await createMeter(server.api, { name: 'Tickets' });
    const plan = await createPlan(server.api, { name: 'Support' });
    await createPrice(server.api, fixedPrice(plan.id, { amount: '20', invoice_cadence: 'ARREAR', display_name: 'Support fee' }));
    await createPrice(server.api, usagePrice(plan.id, meter.id, { amount: '0.1', display_name: 'Tickets' }));
    at(server, '2025-03-01T00:00:00Z');
    customer = await createCustomer(server.api, { name: 'Omar' });
    walletId = (await server.api.post('/v1/wallets', { customer_id: customer.id, currency: 'usd', initial_credits_to_load: '50' })).body.id;
    const sub = await subscribe(server.api, { customer_id: customer.id, plan_id: plan.id, currency: 'usd', billing_period: 'MONTHLY' });
    at(server, '2025-03-25T00:00:00Z');
    await sendEvents(server.api, { eventName: meter.event_name, customer: customer.external_id, timestamp: '2025-03-12T00:00:00Z', count: 400, prefix: 'omar-mar' });
    await billAt(server, '2025-04-01T00:00:00Z');
    invoice = (await invoicesOf(server.api, sub.id))[1];
    expect(headlineOf(invoice)).toMatchObject({ invoice_status: 'FINALIZED', subtotal: '60', total_discount: '0', total_tax: '0', total: '20', amount_due: '20', invoice_number: 'INV-202504-00001' });
    expect(invoice.line_items.map((l: any) => [l.display_name, l.amount, l.prepaid_credits_applied]).sort()).toEqual([['Support fee', '20', '0'], ['Tickets', '40', '40']]); // 400 × $0.10
    expect(money(invoice)).toEqual(['FINALIZED', 'PENDING', '20', '40', '0', '20', '0']);
    expect((await wallet()).credit_balance).toBe('10'); // 50 − 40
  });

  it('is paid $20 on 3 April and $5 of its fee refunded on 5 April (into the wallet)', async () => {
    at(server, '2025-04-03T00:00:00Z');
    const pay = await server.api.post('/v1/payments', { amount: '20', currency: 'usd', destination_type: 'INVOICE', destination_id: invoice.id, payment_method_type: 'OFFLINE' });
    expect(pay.status, JSON.stringify(pay.body)).toBe(201);
    expect(money(await read())).toEqual(['FINALIZED', 'SUCCEEDED', '20', '40', '20', '0', '0']);
    at(server, '2025-04-05T00:00:00Z');
    const fee = invoice.line_items.find((l: any) => l.display_name === 'Support fee');
    const note = await server.api.post('/v1/creditnotes', { invoice_id: invoice.id, reason: 'SERVICE_ISSUE', line_items: [{ invoice_line_item_id: fee.id, amount: '5' }] });
    expect(note.status, JSON.stringify(note.body)).toBe(201);
    expect(note.body).toMatchObject({ credit_note_type: 'REFUND', total_amount: '5' });
    expect(money(await read())).toEqual(['FINALIZED', 'PARTIALLY_REFUNDED', '20', '40', '20', '0', '5']);
    expect((await wallet()).credit_balance).toBe('15'); // 10 + 5
  });

  it('is voided on 8 April: $20 + $40 − $5 = $55 back into the wallet, the invoice REFUNDED', async () => {
    at(server, '2025-04-08T00:00:00Z');
    expect((await server.api.post(`/v1/invoices/${invoice.id}/void`, { metadata: { reason: 'billing dispute' } })).body).toEqual({ message: 'invoice voided successfully' });
    const voided = await read();
    expect(money(voided)).toEqual(['VOIDED', 'REFUNDED', '20', '40', '20', '0', '60']); // 5 by the credit note + 55 by the void
    expect([voided.voided_at, voided.metadata.reason]).toEqual(['2025-04-08T00:00:00.000Z', 'billing dispute']);
    const w = await wallet();
    expect([w.credit_balance, w.balance]).toEqual(['70', '70']); // 15 + 55
    const ledger = await ledgerOf(server.api, walletId);
    expect(ledger.map((t: any) => [t.type, t.transaction_reason, t.credit_amount, t.created_at])).toEqual([
      ['credit', 'FREE_CREDIT_GRANT', '50', '2025-03-01T00:00:00.000Z'],
      ['debit', 'CREDIT_ADJUSTMENT', '40', '2025-04-01T00:00:00.000Z'],
      ['credit', 'CREDIT_NOTE', '5', '2025-04-05T00:00:00.000Z'],
      ['credit', 'INVOICE_VOID_REFUND', '55', '2025-04-08T00:00:00.000Z'],
    ]);
    expect([ledger[3].reference_type, ledger[3].reference_id]).toEqual(['INVOICE', invoice.id]);
    expectLedgerHolds(w, ledger);
    expect((await server.api.post(`/v1/invoices/${invoice.id}/void`, {})).status).toBe(400); // once only
  });
});
