// Mara pays $0.10 a call, monthly in arrears, from 1 January 2025, out of a prepaid wallet ($1 a
// credit) that tops itself up by 50 credits whenever it falls to 10 or below.
// - 1 January: she buys 60 credits (priority 1: spent first) and her subscription is granted 20
//   free credits (priority 9) that lapse after two weeks.
// - 1 February: January's 400 calls make $40.00, paid at finalization by 40 of her bought credits
//   (the granted ones expired on 15 January and do not pay). Their expiry had waited while January
//   was not paid (FlexPrice's deferral); now they lapse: 80 − 40 − 20 = 20 credits.
// - 1 March: February's 150 calls make $15.00, paid by credits: 20 − 15 = 5 ≤ 10, so the wallet
//   tops itself up by 50 in the same transaction: 55.
// - 10 March: the February invoice is voided; the 15 credits that paid it come back: 70.
// - 1 April: March's 200 calls make $20.00, paid by credits: 50.
// Every balance is asserted after every step, and the ledger's invariants with it.
import { describe, expect, it } from 'vitest';
import { at, billAt, headlineOf, invoicesOf, linesOf, sendEvents, subscribe } from '../support/billing.ts';
import { createCustomer, createMeter, createPlan, createPrice, usagePrice, useTestServer } from '../support/fixtures.ts';
import { expectLedgerHolds, ledgerOf } from '../integration/wallets/wallet-ledger.ts';

const server = useTestServer();
let meter: any;
let customer: any;
let subscriptionId = '';
let walletId = '';

const month = (m: number) => [new Date(Date.UTC(2025, m - 1, 1)).toISOString(), new Date(Date.UTC(2025, m, 1)).toISOString()] as const;

/** The wallet now, its ledger checked: [credit_balance, balance]. */
async function balances(): Promise<[string, string]> {
  const wallet = (await server.api.get(`/v1/wallets/${walletId}`)).body;
  expectLedgerHolds(wallet, await ledgerOf(server.api, walletId));
  return [wallet.credit_balance, wallet.balance];
}
/** The ledger's movements after the first `skip`: [type, reason, credits, balance after]. */
const movements = async (skip: number) =>
  (await ledgerOf(server.api, walletId)).slice(skip).map((t: any) => [t.type, t.transaction_reason, t.credit_amount, t.credit_balance_after]);
/** The period-end invoices (the usage-only plan's opening invoice is SKIPPED). */
const billed = async () => (await invoicesOf(server.api, subscriptionId)).filter((i: any) => i.invoice_status !== 'SKIPPED');

describe('three months of prepaid credit', () => {
  it('1 January: Mara subscribes, buys 60 credits and is granted 20 that lapse after two weeks: 80', async () => {
    at(server, '2025-01-01T00:00:00Z');
    const api = server.api;
    meter = await createMeter(api, { name: 'Calls' });
    const plan = await createPlan(api, { name: 'Metered' });
    await createPrice(api, usagePrice(plan.id, meter.id, { amount: '0.10' }));
    customer = await createCustomer(api, { name: 'Mara' });
    subscriptionId = (await subscribe(api, { customer_id: customer.id, plan_id: plan.id, currency: 'usd', billing_period: 'MONTHLY' })).id;
    const wallet = await api.post('/v1/wallets', { customer_id: customer.id, currency: 'usd', auto_topup: { enabled: true, threshold: '10', amount: '50', invoicing: false } });
    expect(wallet.status, JSON.stringify(wallet.body)).toBe(200);
    walletId = wallet.body.id;
    const bought = await api.post(`/v1/wallets/${walletId}/top-up`, { credits_to_add: '60', transaction_reason: 'PURCHASED_CREDIT_DIRECT', priority: 1, idempotency_key: 'order-1' });
    expect(bought.status, JSON.stringify(bought.body)).toBe(200);
    const grant = await api.post('/v1/creditgrants', {
      name: 'Welcome credits',
      scope: 'SUBSCRIPTION',
      subscription_id: subscriptionId,
      start_date: '2025-01-01T00:00:00Z',
      credits: '20',
      cadence: 'ONETIME',
      expiration_type: 'DURATION',
      expiration_duration: 2,
      expiration_duration_unit: 'WEEK',
      priority: 9,
    });
    expect(grant.status, JSON.stringify(grant.body)).toBe(201);
    expect(await movements(0)).toEqual([
      ['credit', 'PURCHASED_CREDIT_DIRECT', '60', '60'],
      ['credit', 'SUBSCRIPTION_CREDIT_GRANT', '20', '80'],
    ]);
    const granted = (await ledgerOf(api, walletId))[1];
    expect(granted.expiry_date).toBe('2025-01-15T00:00:00.000Z'); // 1 January + 2 weeks
    expect(await balances()).toEqual(['80', '80']);
  });

  it('15 January: the granted credits have expired, but their lapse waits while January is not paid', async () => {
    at(server, '2025-01-20T00:00:00Z');
    await sendEvents(server.api, { eventName: meter.event_name, customer: customer.external_id, timestamp: '2025-01-10T00:00:00Z', count: 400, prefix: 'jan' });
    await billAt(server, '2025-01-20T00:00:00Z');
    expect(await movements(2)).toEqual([]);
    expect(await balances()).toEqual(['80', '80']);
  });

  it('1 February: January’s $40.00 is paid by 40 bought credits; then the 20 granted ones lapse: 20', async () => {
    await billAt(server, '2025-02-01T00:00:00Z');
    await billAt(server, '2025-02-01T00:00:00Z');
    const [january] = await billed();
    expect(linesOf(january)).toEqual([['Calls', '400', '40', ...month(1)]]); // 400 × $0.10
    expect(headlineOf(january)).toMatchObject({ invoice_status: 'FINALIZED', payment_status: 'SUCCEEDED', subtotal: '40', amount_due: '0' });
    expect(january.total_prepaid_credits_applied).toBe('40');
    expect(january.line_items[0].prepaid_credits_applied).toBe('40');
    expect(await movements(2)).toEqual([
      ['debit', 'CREDIT_ADJUSTMENT', '40', '40'], // 80 − 40, from the bought credits (priority 1)
      ['debit', 'CREDIT_EXPIRED', '20', '20'], //    40 − 20: the granted credits, nothing unpaid holding them any more
    ]);
    expect(await balances()).toEqual(['20', '20']);
  });

  it('1 March: February’s $15.00 is paid by credits, 20 − 15 = 5 ≤ 10: topped up by 50 at once: 55', async () => {
    at(server, '2025-02-20T00:00:00Z');
    await sendEvents(server.api, { eventName: meter.event_name, customer: customer.external_id, timestamp: '2025-02-14T00:00:00Z', count: 150, prefix: 'feb' });
    await billAt(server, '2025-03-01T00:00:00Z');
    const [, february] = await billed();
    expect(linesOf(february)).toEqual([['Calls', '150', '15', ...month(2)]]); // 150 × $0.10
    expect(headlineOf(february)).toMatchObject({ payment_status: 'SUCCEEDED', subtotal: '15', amount_due: '0' });
    expect(february.total_prepaid_credits_applied).toBe('15');
    expect(await movements(4)).toEqual([
      ['debit', 'CREDIT_ADJUSTMENT', '15', '5'],
      ['credit', 'PURCHASED_CREDIT_DIRECT', '50', '55'], // the automatic top-up
    ]);
    expect((await ledgerOf(server.api, walletId))[5].metadata).toMatchObject({ auto_topup: 'true' });
    expect(await balances()).toEqual(['55', '55']);
  });

  it('10 March: February’s invoice is voided and the 15 credits that paid it come back: 70', async () => {
    at(server, '2025-03-10T00:00:00Z');
    const [, february] = await billed();
    const voided = await server.api.post(`/v1/invoices/${february.id}/void`, {});
    expect(voided.status, JSON.stringify(voided.body)).toBe(200);
    const after = (await server.api.get(`/v1/invoices/${february.id}`)).body;
    expect(after).toMatchObject({ invoice_status: 'VOIDED', payment_status: 'REFUNDED', refunded_amount: '15' });
    expect(await movements(6)).toEqual([['credit', 'INVOICE_VOID_REFUND', '15', '70']]);
    expect(await balances()).toEqual(['70', '70']);
  });

  it('1 April: March’s $20.00 is paid by credits: 50', async () => {
    at(server, '2025-03-25T00:00:00Z');
    await sendEvents(server.api, { eventName: meter.event_name, customer: customer.external_id, timestamp: '2025-03-20T00:00:00Z', count: 200, prefix: 'mar' });
    await billAt(server, '2025-04-01T00:00:00Z');
    const invoices = await billed();
    expect(invoices).toHaveLength(3);
    expect(linesOf(invoices[2])).toEqual([['Calls', '200', '20', ...month(3)]]); // 200 × $0.10
    expect(headlineOf(invoices[2])).toMatchObject({ payment_status: 'SUCCEEDED', subtotal: '20', amount_due: '0' });
    expect(await movements(7)).toEqual([['debit', 'CREDIT_ADJUSTMENT', '20', '50']]);
    expect(await balances()).toEqual(['50', '50']);
  });
});
