// Pia holds a prepaid wallet at a top-up rate of 0.5 ($0.50 a credit) and a conversion rate of 1. On
// 1 June 2025 she buys 100 credits on an invoice: a $50 ONE_OFF invoice, the credits pending. She pays
// it on 4 June and the 100 credits land. On 10 June she buys 40 more ($20); that invoice is voided on
// 12 June and the purchase fails: the wallet keeps its 100 credits, and the ledger holds throughout.
import { describe, expect, it } from 'vitest';
import { at } from '../support/billing.ts';
import { createCustomer, useTestServer } from '../support/fixtures.ts';
import { expectLedgerHolds, ledgerOf } from '../integration/wallets/wallet-ledger.ts';

const server = useTestServer();
let walletId: string;
let first: any;
let second: any;

const wallet = async () => (await server.api.get(`/v1/wallets/${walletId}`)).body;
const invoice = async (id: string) => (await server.api.get(`/v1/invoices/${id}`)).body;
const buy = async (credits: string, key: string) => {
  const res = await server.api.post(`/v1/wallets/${walletId}/top-up`, { transaction_reason: 'PURCHASED_CREDIT_INVOICED', credits_to_add: credits, idempotency_key: key });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};
const row = (t: any) => [t.transaction_reason, t.transaction_status, t.credit_amount, t.amount, t.credits_available, t.credit_balance_before, t.credit_balance_after];

describe('credits bought on an invoice: paid, then another voided', () => {
  it('buys 100 credits on 1 June: a $50 invoice, the credits pending', async () => {
    at(server, '2025-06-01T00:00:00Z');
    const customer = await createCustomer(server.api, { name: 'Pia' });
    const w = await server.api.post('/v1/wallets', { customer_id: customer.id, currency: 'usd', topup_conversion_rate: '0.5' });
    expect(w.status, JSON.stringify(w.body)).toBe(200);
    walletId = w.body.id;
    first = await buy('100', 'pia-june-1');
    expect(row(first.wallet_transaction)).toEqual(['PURCHASED_CREDIT_INVOICED', 'pending', '100', '50', '0', '0', '0']); // 100 × 0.5
    expect([first.wallet.credit_balance, first.wallet.balance]).toEqual(['0', '0']);
    const inv = await invoice(first.invoice_id);
    expect([inv.invoice_type, inv.invoice_status, inv.payment_status, inv.billing_reason, inv.invoice_number, inv.subtotal, inv.total, inv.amount_due, inv.amount_remaining]).toEqual([
      'ONE_OFF', 'FINALIZED', 'PENDING', 'MANUAL', 'INV-202506-00001', '50', '50', '50', '50',
    ]);
    expect(inv.line_items.map((l: any) => [l.display_name, l.quantity, l.amount, l.metadata.wallet_transaction_id])).toEqual([['Purchased credits', '100', '50', first.wallet_transaction.id]]);
  });

  it('pays the $50 on 4 June: the 100 credits land', async () => {
    at(server, '2025-06-04T00:00:00Z');
    const pay = await server.api.post('/v1/payments', { amount: '50', currency: 'usd', destination_type: 'INVOICE', destination_id: first.invoice_id, payment_method_type: 'OFFLINE' });
    expect(pay.status, JSON.stringify(pay.body)).toBe(201);
    const inv = await invoice(first.invoice_id);
    expect([inv.payment_status, inv.amount_paid, inv.amount_remaining, inv.paid_at]).toEqual(['SUCCEEDED', '50', '0', '2025-06-04T00:00:00.000Z']);
    const w = await wallet();
    expect([w.credit_balance, w.balance, w.credits_available_breakdown]).toEqual(['100', '100', { purchased: '100', free: '0' }]); // 100 × 1
    const ledger = await ledgerOf(server.api, walletId);
    expect(ledger.map(row)).toEqual([['PURCHASED_CREDIT_INVOICED', 'completed', '100', '50', '100', '0', '100']]);
    expect(ledger[0].updated_at).toBe('2025-06-04T00:00:00.000Z');
    expectLedgerHolds(w, ledger);
  });

  it('buys 40 more on 10 June ($20); the invoice is voided on 12 June and the purchase fails', async () => {
    at(server, '2025-06-10T00:00:00Z');
    second = await buy('40', 'pia-june-2');
    expect(row(second.wallet_transaction)).toEqual(['PURCHASED_CREDIT_INVOICED', 'pending', '40', '20', '0', '100', '100']);
    expect((await invoice(second.invoice_id))).toMatchObject({ total: '20', invoice_number: 'INV-202506-00002', payment_status: 'PENDING' });
    at(server, '2025-06-12T00:00:00Z');
    expect((await server.api.post(`/v1/invoices/${second.invoice_id}/void`, {})).status).toBe(200);
    expect(await invoice(second.invoice_id)).toMatchObject({ invoice_status: 'VOIDED', payment_status: 'PENDING', refunded_amount: '0' }); // nothing had paid it
    const w = await wallet();
    expect([w.credit_balance, w.balance]).toEqual(['100', '100']);
    const ledger = await ledgerOf(server.api, walletId);
    expect(ledger.map(row)).toEqual([
      ['PURCHASED_CREDIT_INVOICED', 'completed', '100', '50', '100', '0', '100'],
      ['PURCHASED_CREDIT_INVOICED', 'failed', '40', '20', '0', '100', '100'],
    ]);
    expectLedgerHolds(w, ledger);
    const events = (await server.api.get('/v1/webhooks/events?event_type=wallet.transaction.updated&limit=100')).body.items;
    expect(events.map((e: any) => [e.entity_id, e.payload?.updated_transaction?.transaction_status ?? e.data?.updated_transaction?.transaction_status]).sort()).toEqual(
      [[first.wallet_transaction.id, 'completed'], [second.wallet_transaction.id, 'failed']].sort(),
    );
    const paying = await server.api.post('/v1/payments', { amount: '20', currency: 'usd', destination_type: 'INVOICE', destination_id: second.invoice_id, payment_method_type: 'OFFLINE' });
    expect(paying.status).toBe(400); // a voided invoice is not paid
  });
});
