// Noor subscribes on 1 April 2025 (April has 30 days) to Studio: $30 a month in advance. On 16 April
// she attaches Priority Support, an addon at $10 a month in advance, with prorations: the rest of
// April, (30 d − 1 s − 15 d) ÷ (30 d − 1 s) = 1,295,999 ÷ 2,591,999 of $10 = $4.99999…, rounded once:
// $5.00 on a proration invoice (billing_reason PRORATION). The 1 May renewal bills Studio $30 and
// Priority Support $10 for May: $40. On 16 May (May has 31 days) she removes the addon at once, with
// prorations: the unused 16 of May's 31 days of the $10 it was charged, $10 × (16 d − 1 s) ÷ (31 d − 1 s)
// = 13,823,990 ÷ 2,678,399 = $5.16128…, rounded: $5.16 credited to a new PRE_PAID wallet
// (SUBSCRIPTION_CREDIT_GRANT). The 1 June renewal bills Studio alone: $30; the wallet keeps its $5.16
// (prepaid credits pay usage charges, and Studio has none).
import { describe, expect, it } from 'vitest';
import { expectLedgerHolds, ledgerOf } from '../integration/wallets/wallet-ledger.ts';
import { at, billAt, headlineOf, invoicesOf, linesOf, subscribe } from '../support/billing.ts';
import { createAddon, createCustomer, createPlan, createPrice, fixedPrice, priceBody, useTestServer } from '../support/fixtures.ts';

const server = useTestServer();
let customer: any;
let subId: string;
let addon: any;
let associationId: string;

const april = ['2025-04-01T00:00:00.000Z', '2025-05-01T00:00:00.000Z'] as const;
const may = ['2025-05-01T00:00:00.000Z', '2025-06-01T00:00:00.000Z'] as const;
const june = ['2025-06-01T00:00:00.000Z', '2025-07-01T00:00:00.000Z'] as const;
/** The subscription's invoices in the order they were raised (a PRORATION invoice has no billing_sequence). */
const raised = async () => [...(await invoicesOf(server.api, subId))].sort((a, b) => a.created_at.localeCompare(b.created_at) || a.period_start.localeCompare(b.period_start));
const associations = async () => {
  const res = await server.api.get(`/v1/subscriptions/${subId}/addons/associations`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items;
};

describe('an addon attached and removed mid-period, with prorations', () => {
  it('opens on 1 April: Studio $30', async () => {
    at(server, '2025-04-01T00:00:00Z');
    const api = server.api;
    const plan = await createPlan(api, { name: 'Studio' });
    await createPrice(api, fixedPrice(plan.id, { amount: '30', display_name: 'Studio' }));
    addon = await createAddon(api, { name: 'Priority Support' });
    await createPrice(api, priceBody('ADDON', addon.id, { type: 'FIXED', amount: '10', billing_model: 'FLAT_FEE', invoice_cadence: 'ADVANCE', display_name: 'Priority Support' }));
    customer = await createCustomer(api, { name: 'Noor' });
    const sub = await subscribe(api, { customer_id: customer.id, plan_id: plan.id, currency: 'usd', billing_period: 'MONTHLY' });
    subId = sub.id;
    expect(linesOf(sub.latest_invoice)).toEqual([['Studio', '1', '30', ...april]]);
    expect(headlineOf(sub.latest_invoice)).toMatchObject({ billing_reason: 'SUBSCRIPTION_CREATE', subtotal: '30', total: '30', amount_due: '30' });
    expect(await associations()).toEqual([]);
  });

  it('attaches Priority Support on 16 April: $5.00 on a PRORATION invoice', async () => {
    at(server, '2025-04-16T00:00:00Z');
    const res = await server.api.post('/v1/subscriptions/addon', { subscription_id: subId, addon_id: addon.id, proration_behavior: 'create_prorations', metadata: { ticket: 42 } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    associationId = res.body.id;
    expect(associationId).toMatch(/^addon_assoc_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(res.body).toMatchObject({
      entity_id: subId,
      entity_type: 'subscription',
      addon_id: addon.id,
      addon_status: 'active',
      start_date: '2025-04-16T00:00:00.000Z',
      metadata: { ticket: 42 },
      status: 'published',
    });
    expect(res.body.end_date).toBeUndefined();
    expect(linesOf(res.body.invoice)).toEqual([['Priority Support', '1', '5', '2025-04-16T00:00:00.000Z', '2025-05-01T00:00:00.000Z']]);
    expect(headlineOf(res.body.invoice)).toMatchObject({ billing_reason: 'PRORATION', subtotal: '5', total: '5', amount_due: '5' });

    const listed = await associations();
    expect(listed.map((a: any) => [a.id, a.addon_status, a.addon.name])).toEqual([[associationId, 'active', 'Priority Support']]);
    const lines = (await server.api.post('/v1/subscriptions/lineitems/search', { subscription_ids: [subId], entity_type: 'addon' })).body.items;
    expect(lines.map((l: any) => [l.entity_type, l.entity_id, l.addon_association_id, l.display_name, l.quantity, l.start_date, l.end_date])).toEqual([
      ['addon', addon.id, associationId, 'Priority Support', '1', '2025-04-16T00:00:00.000Z', undefined],
    ]);
    const invoices = await raised();
    expect(invoices.map((i: any) => [i.billing_reason, i.total])).toEqual([['SUBSCRIPTION_CREATE', '30'], ['PRORATION', '5']]);
  });

  it('renews on 1 May: Studio $30 and Priority Support $10 = $40', async () => {
    await billAt(server, '2025-05-01T00:00:00Z');
    const invoices = await raised();
    expect(invoices.map((i: any) => [i.billing_reason, i.total])).toEqual([['SUBSCRIPTION_CREATE', '30'], ['PRORATION', '5'], ['SUBSCRIPTION_CYCLE', '40']]);
    const cycle = invoices[2];
    expect(linesOf(cycle)).toEqual([
      ['Studio', '1', '30', ...may],
      ['Priority Support', '1', '10', ...may],
    ]);
    expect(headlineOf(cycle)).toMatchObject({ billing_reason: 'SUBSCRIPTION_CYCLE', subtotal: '40', total_discount: '0', total_tax: '0', total: '40', amount_due: '40' });
  });

  it('removes it on 16 May: $5.16 credited to a new PRE_PAID wallet; removing it again is refused', async () => {
    at(server, '2025-05-16T00:00:00Z');
    const res = await server.api.request('DELETE', '/v1/subscriptions/addon', {
      addon_association_id: associationId,
      proration_behavior: 'create_prorations',
      effective_date: '2025-05-16T00:00:00Z',
      reason: 'no longer needed',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ message: 'addon removed from subscription successfully' });

    const wallets = (await server.api.get(`/v1/customers/${customer.id}/wallets`)).body;
    expect(wallets).toHaveLength(1);
    expect(wallets[0]).toMatchObject({ wallet_type: 'PRE_PAID', currency: 'usd', credit_balance: '5.16', balance: '5.16' });
    const ledger = await ledgerOf(server.api, wallets[0].id);
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({ type: 'credit', transaction_reason: 'SUBSCRIPTION_CREDIT_GRANT', credit_amount: '5.16' });
    expectLedgerHolds(wallets[0], ledger);

    expect(await associations()).toEqual([]);
    const lines = (await server.api.post('/v1/subscriptions/lineitems/search', { subscription_ids: [subId], entity_type: 'addon', active_filter: false })).body.items;
    expect(lines.map((l: any) => [l.addon_association_id, l.start_date, l.end_date])).toEqual([[associationId, '2025-04-16T00:00:00.000Z', '2025-05-16T00:00:00.000Z']]);

    const again = await server.api.request('DELETE', '/v1/subscriptions/addon', { addon_association_id: associationId, proration_behavior: 'create_prorations' });
    expect(again.status).toBe(400);
    expect((await server.api.get(`/v1/customers/${customer.id}/wallets`)).body[0]).toMatchObject({ credit_balance: '5.16' });
  });

  it('renews on 1 June without it: Studio $30; the wallet keeps $5.16', async () => {
    await billAt(server, '2025-06-01T00:00:00Z');
    const invoices = await raised();
    expect(invoices.map((i: any) => [i.billing_reason, i.total])).toEqual([
      ['SUBSCRIPTION_CREATE', '30'],
      ['PRORATION', '5'],
      ['SUBSCRIPTION_CYCLE', '40'],
      ['SUBSCRIPTION_CYCLE', '30'],
    ]);
    const cycle = invoices[3];
    expect(linesOf(cycle)).toEqual([['Studio', '1', '30', ...june]]);
    expect(headlineOf(cycle)).toMatchObject({ billing_reason: 'SUBSCRIPTION_CYCLE', subtotal: '30', total: '30', amount_due: '30' });
    const wallets = (await server.api.get(`/v1/customers/${customer.id}/wallets`)).body;
    expect(wallets[0]).toMatchObject({ credit_balance: '5.16', balance: '5.16' });
  });
});
