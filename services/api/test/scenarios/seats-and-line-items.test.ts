// Eva subscribes on 1 April 2025 (April has 30 days) to Team: $10 a seat a month in advance, 2 seats,
// and Support, $30 a month in arrear. Her line items change during April:
// - 11 April: Support is ended (DELETE /subscriptions/lineitems/{id}); it is billed 10 of 30 days: $10.
// - 16 April: seats 2 → 5 (modify preview, then execute, same numbers): 3 seats × $10 for the rest of
//   April, (30 d − 1 s − 15 d) ÷ (30 d − 1 s) = 1,295,999 ÷ 2,591,999 of $30 = $14.99999…, rounded once:
//   $15.00 on a proration invoice (billing_reason PRORATION).
// - 21 April: Storage, an inline $60 a month in-arrear price, is added; billed 10 of 30 days: $20.
// - 26 April: seats 5 → 1: 4 seats × $10 × (5 d − 1 s) ÷ (30 d − 1 s) = 40 × 431,999 ÷ 2,591,999
//   = $6.66665…, rounded: $6.67 credited to a new PRE_PAID wallet (SUBSCRIPTION_CREDIT_GRANT).
// On 1 May: Support $10 + Storage $20 (April, by time) + May's 1 seat $10 in advance = $40.
import { describe, expect, it } from 'vitest';
import { expectLedgerHolds, ledgerOf } from '../integration/wallets/wallet-ledger.ts';
import { at, billAt, headlineOf, invoicesOf, linesOf, subscribe } from '../support/billing.ts';
import { createCustomer, createPlan, createPrice, fixedPrice, useTestServer } from '../support/fixtures.ts';

const server = useTestServer();
let customer: any;
let subId: string;
let seats: any;
let support: any;

const april = ['2025-04-01T00:00:00.000Z', '2025-05-01T00:00:00.000Z'] as const;
const modify = (kind: 'preview' | 'execute', body: Record<string, unknown>) => server.api.post(`/v1/subscriptions/${subId}/modify/${kind}`, body);
const lineItems = async () => (await server.api.post('/v1/subscriptions/lineitems/search', { subscription_ids: [subId], active_filter: false, limit: 50 })).body.items;

describe('seats and line items changing mid-period', () => {
  it('opens on 1 April with 2 seats: $20', async () => {
    at(server, '2025-04-01T00:00:00Z');
    const api = server.api;
    const plan = await createPlan(api, { name: 'Team' });
    const seat = await createPrice(api, fixedPrice(plan.id, { amount: '10', display_name: 'Seats' }));
    await createPrice(api, fixedPrice(plan.id, { amount: '30', display_name: 'Support', invoice_cadence: 'ARREAR' }));
    customer = await createCustomer(api, { name: 'Eva' });
    const sub = await subscribe(api, { customer_id: customer.id, plan_id: plan.id, currency: 'usd', billing_period: 'MONTHLY', override_line_items: [{ price_id: seat.id, quantity: '2' }] });
    subId = sub.id;
    expect(linesOf(sub.latest_invoice)).toEqual([['Seats', '2', '20', ...april]]);
    expect(headlineOf(sub.latest_invoice)).toMatchObject({ billing_reason: 'SUBSCRIPTION_CREATE', total: '20', amount_due: '20' });
    seats = sub.line_items.find((l: any) => l.display_name === 'Seats');
    support = sub.line_items.find((l: any) => l.display_name === 'Support');
  });

  it('ends Support on 11 April; ending it again is refused', async () => {
    at(server, '2025-04-11T00:00:00Z');
    const res = await server.api.delete(`/v1/subscriptions/lineitems/${support.id}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ id: support.id, end_date: '2025-04-11T00:00:00.000Z', quantity: '1' });
    const again = await server.api.delete(`/v1/subscriptions/lineitems/${support.id}`);
    expect(again.status).toBe(400);
  });

  it('raises seats 2 → 5 on 16 April: preview and execute both charge $15.00 on a PRORATION invoice', async () => {
    at(server, '2025-04-16T00:00:00Z');
    const body = { type: 'quantity_change', quantity_change_params: { line_items: [{ id: seats.id, quantity: '5' }] } };
    const preview = await modify('preview', body);
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    const executed = await modify('execute', body);
    expect(executed.status, JSON.stringify(executed.body)).toBe(200);
    for (const r of [preview.body, executed.body]) {
      expect(r.changed_resources.invoices).toHaveLength(1);
      const inv = r.changed_resources.invoices[0];
      expect(inv).toMatchObject({ action: 'created', amount: '15' });
      expect(linesOf(inv.invoice)).toEqual([['Seats', '3', '15', '2025-04-16T00:00:00.000Z', '2025-05-01T00:00:00.000Z']]);
      expect(inv.invoice).toMatchObject({ billing_reason: 'PRORATION', subtotal: '15', total: '15', amount_due: '15' });
      expect(r.changed_resources.line_items.map((l: any) => [l.change_action, l.quantity, l.start_date, l.end_date])).toEqual([
        ['ended', '2', '2025-04-01T00:00:00.000Z', '2025-04-16T00:00:00.000Z'],
        ['created', '5', '2025-04-16T00:00:00.000Z', undefined],
      ]);
    }
    expect(preview.body.changed_resources.invoices[0]).toMatchObject({ id: '(preview)', status: 'preview' });
    expect(executed.body.changed_resources.invoices[0].invoice.invoice_status).toBe('FINALIZED');
    const invoices = await invoicesOf(server.api, subId);
    expect(invoices.map((i: any) => [i.billing_reason, i.total]).sort()).toEqual([['PRORATION', '15'], ['SUBSCRIPTION_CREATE', '20']]);
    seats = (await lineItems()).find((l: any) => l.display_name === 'Seats' && l.quantity === '5');
  });

  it('adds Storage ($60 a month, in arrear) on 21 April', async () => {
    at(server, '2025-04-21T00:00:00Z');
    const res = await server.api.post(`/v1/subscriptions/${subId}/lineitems`, {
      price: { type: 'FIXED', amount: '60', billing_period: 'MONTHLY', billing_model: 'FLAT_FEE', invoice_cadence: 'ARREAR', display_name: 'Storage' },
      display_name: 'Storage',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ entity_type: 'subscription', start_date: '2025-04-21T00:00:00.000Z', quantity: '1', invoice_cadence: 'ARREAR' });
  });

  it('lowers seats 5 → 1 on 26 April: $6.67 into a new PRE_PAID wallet', async () => {
    at(server, '2025-04-26T00:00:00Z');
    const res = await modify('execute', { type: 'quantity_change', quantity_change_params: { line_items: [{ id: seats.id, quantity: '1' }] } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.changed_resources.invoices).toEqual([{ id: expect.any(String), action: 'wallet_credit', status: 'issued', amount: '6.67' }]);
    const wallets = (await server.api.get(`/v1/customers/${customer.id}/wallets`)).body;
    expect(wallets).toHaveLength(1);
    expect(wallets[0]).toMatchObject({ wallet_type: 'PRE_PAID', credit_balance: '6.67', balance: '6.67' });
    const ledger = await ledgerOf(server.api, wallets[0].id);
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({ type: 'credit', transaction_reason: 'SUBSCRIPTION_CREDIT_GRANT', credit_amount: '6.67' });
    expectLedgerHolds(wallets[0], ledger);
    const refused = await modify('execute', { type: 'inheritance', inheritance_params: {} });
    expect(refused.status).toBe(400);
    expect(Object.keys(refused.body.details ?? refused.body.error?.details ?? {})).toContain('type');
  });

  it('bills 1 May: Support $10 and Storage $20 by time for April, 1 seat for May $10', async () => {
    await billAt(server, '2025-05-01T00:00:00Z');
    const invoices = await invoicesOf(server.api, subId);
    expect(invoices.map((i: any) => [i.billing_reason, i.total]).sort()).toEqual([['PRORATION', '15'], ['SUBSCRIPTION_CREATE', '20'], ['SUBSCRIPTION_CYCLE', '40']]);
    const last = invoices.find((i: any) => i.billing_reason === 'SUBSCRIPTION_CYCLE');
    expect(linesOf(last)).toEqual([
      ['Support', '1', '10', '2025-04-01T00:00:00.000Z', '2025-04-11T00:00:00.000Z'],
      ['Storage', '1', '20', '2025-04-21T00:00:00.000Z', '2025-05-01T00:00:00.000Z'],
      ['Seats', '1', '10', '2025-05-01T00:00:00.000Z', '2025-06-01T00:00:00.000Z'],
    ]);
    expect(headlineOf(last)).toMatchObject({ billing_reason: 'SUBSCRIPTION_CYCLE', subtotal: '40', total: '40' });
  });
});
