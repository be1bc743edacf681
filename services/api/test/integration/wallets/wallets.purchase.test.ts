// Credits bought on an invoice (top-up reason PURCHASED_CREDIT_INVOICED): a pending credit and a
// ONE_OFF invoice for the credits at the wallet's topup_conversion_rate; the credits land when the
// invoice is paid, and the purchase fails when it is voided.
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuthContext } from '../../../src/auth-context.ts';
import { Transactions } from '../../../src/db/transactions.ts';
import type { Services } from '../../../src/services.ts';
import type { ApiClient } from '../../support/api-client.ts';
import { at } from '../../support/billing.ts';
import { createCustomer, expectRefused, useTestServer } from '../../support/fixtures.ts';
import { expectLedgerHolds, ledgerOf } from './wallet-ledger.ts';

let services: Services;
const server = useTestServer({}, { dueWork: (s) => ((services = s), []) });
let api: ApiClient;

beforeAll(() => {
  api = server.api;
  at(server, '2025-10-01T00:00:00Z');
});

async function walletOf(body: Record<string, unknown> = {}) {
  const customer = await createCustomer(api);
  const res = await api.post('/v1/wallets', { customer_id: customer.id, currency: 'usd', ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}
const topUp = (walletId: string, body: Record<string, unknown>) => api.post(`/v1/wallets/${walletId}/top-up`, { transaction_reason: 'PURCHASED_CREDIT_INVOICED', ...body });
const wallet = async (id: string) => (await api.get(`/v1/wallets/${id}`)).body;
const invoice = async (id: string) => (await api.get(`/v1/invoices/${id}`)).body;
const transaction = async (walletId: string, id: string) => (await ledgerOf(api, walletId)).find((t: any) => t.id === id);
const payOffline = async (invoiceId: string, amount: string) => {
  const res = await api.post('/v1/payments', { amount, currency: 'usd', destination_type: 'INVOICE', destination_id: invoiceId, payment_method_type: 'OFFLINE' });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
};

describe('PURCHASED_CREDIT_INVOICED top-ups', () => {
  it('40 credits at a top-up rate of 0.25 are invoiced $10, pending; paid in two payments, they land with the second', async () => {
    const w = await walletOf({ conversion_rate: '0.5', topup_conversion_rate: '0.25', initial_credits_to_load: '10' });
    const res = await topUp(w.id, { credits_to_add: '40', idempotency_key: 'order-1', metadata: { order: '1' } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const { wallet_transaction: t, invoice_id: invoiceId } = res.body;
    expect(t).toMatchObject({ type: 'credit', transaction_status: 'pending', transaction_reason: 'PURCHASED_CREDIT_INVOICED', credit_amount: '40', amount: '10', credits_available: '0', credit_balance_before: '10', credit_balance_after: '10', reference_type: 'INVOICE', reference_id: invoiceId });
    expect([res.body.wallet.credit_balance, res.body.wallet.balance, res.body.wallet.credits_available_breakdown]).toEqual(['10', '5', { purchased: '0', free: '10' }]);
    const inv = await invoice(invoiceId);
    expect([inv.invoice_type, inv.invoice_status, inv.payment_status, inv.billing_reason, inv.total, inv.amount_due, inv.amount_remaining]).toEqual(['ONE_OFF', 'FINALIZED', 'PENDING', 'MANUAL', '10', '10', '10']); // 40 × 0.25
    expect(inv.line_items.map((l: any) => [l.display_name, l.quantity, l.amount, l.price_type, l.metadata.wallet_transaction_id])).toEqual([['Purchased credits', '40', '10', 'FIXED', t.id]]);

    await payOffline(invoiceId, '4');
    expect((await transaction(w.id, t.id)).transaction_status).toBe('pending');
    expect((await wallet(w.id)).credit_balance).toBe('10');
    await payOffline(invoiceId, '6');
    expect((await invoice(invoiceId)).payment_status).toBe('SUCCEEDED');
    expect(await transaction(w.id, t.id)).toMatchObject({ transaction_status: 'completed', credits_available: '40', credit_balance_before: '10', credit_balance_after: '50' });
    const after = await wallet(w.id);
    expect([after.credit_balance, after.balance, after.credits_available_breakdown]).toEqual(['50', '25', { purchased: '40', free: '10' }]); // 50 × 0.5
    expectLedgerHolds(after, await ledgerOf(api, w.id));
    const events = (await api.get('/v1/webhooks/events?limit=1000')).body.items.filter((e: any) => e.entity_id === t.id).map((e: any) => e.event_type);
    expect(events.sort()).toEqual(['wallet.transaction.created', 'wallet.transaction.updated']);

    const again = await topUp(w.id, { credits_to_add: '40', idempotency_key: 'order-1' });
    expect([again.body.wallet_transaction.id, again.body.invoice_id]).toEqual([t.id, invoiceId]); // the first purchase, not a second
  });

  it('a voided invoice fails the purchase: the balance never moved; credits bought meanwhile and spent keep the ledger whole', async () => {
    const w = await walletOf({ initial_credits_to_load: '5' });
    const { wallet_transaction: t, invoice_id: invoiceId } = (await topUp(w.id, { amount: '12.5' })).body; // 12.5 credits at rate 1
    expect(t).toMatchObject({ credit_amount: '12.5', amount: '12.5', transaction_status: 'pending' });
    expect((await api.post(`/v1/wallets/${w.id}/top-up`, { transaction_reason: 'FREE_CREDIT_GRANT', credits_to_add: '3' })).status).toBe(200);
    expect((await api.post(`/v1/invoices/${invoiceId}/void`, {})).status).toBe(200);
    expect(await transaction(w.id, t.id)).toMatchObject({ transaction_status: 'failed', credits_available: '0', credit_balance_before: '5', credit_balance_after: '5' });
    const after = await wallet(w.id);
    expect(after.credit_balance).toBe('8'); // 5 + 3, never the 12.5
    expectLedgerHolds(after, await ledgerOf(api, w.id));
    expect((await invoice(invoiceId))).toMatchObject({ invoice_status: 'VOIDED', refunded_amount: '0', payment_status: 'PENDING' }); // nothing funded it
  });

  it('a partly paid purchase invoice may be voided: the purchase fails and the $4 paid returns to the wallet as credit', async () => {
    const w = await walletOf();
    const { wallet_transaction: t, invoice_id: invoiceId } = (await topUp(w.id, { credits_to_add: '10' })).body;
    await payOffline(invoiceId, '4');
    expect((await api.post(`/v1/invoices/${invoiceId}/void`, {})).status).toBe(200);
    expect((await transaction(w.id, t.id)).transaction_status).toBe('failed');
    const ledger = await ledgerOf(api, w.id);
    expect(ledger.map((r: any) => [r.transaction_reason, r.transaction_status, r.credit_amount])).toEqual([
      ['PURCHASED_CREDIT_INVOICED', 'failed', '10'],
      ['INVOICE_VOID_REFUND', 'completed', '4'],
    ]);
    expectLedgerHolds(await wallet(w.id), ledger);
  });

  it('refuses to void a paid purchase invoice whose credits landed (its refund would pay them twice), changing nothing', async () => {
    const w = await walletOf();
    const { invoice_id: invoiceId } = (await topUp(w.id, { credits_to_add: '10' })).body;
    await payOffline(invoiceId, '10');
    const state = async () => [(await invoice(invoiceId)).invoice_status, (await wallet(w.id)).credit_balance, (await ledgerOf(api, w.id)).length];
    expect(await state()).toEqual(['FINALIZED', '10', 1]);
    const body = await expectRefused(api, { path: `/v1/invoices/${invoiceId}/void`, body: {} }, { code: 'invalid_operation', fields: ['id'] }, state);
    expect(body.message).toContain('credit note');
  });

  it('a purchase paid after other changes of the wallet lands on the balance of then (5 → 2 → 12)', async () => {
    const w = await walletOf({ initial_credits_to_load: '5' });
    const { wallet_transaction: t, invoice_id: invoiceId } = (await topUp(w.id, { credits_to_add: '10' })).body;
    expect((await api.post(`/v1/wallets/${w.id}/debit`, { credits: '3', transaction_reason: 'MANUAL_BALANCE_DEBIT', idempotency_key: `d-${w.id}` })).status).toBe(200);
    expect((await api.put(`/v1/invoices/${invoiceId}/payment`, { payment_status: 'SUCCEEDED' })).status).toBe(200);
    expect(await transaction(w.id, t.id)).toMatchObject({ transaction_status: 'completed', credit_balance_before: '2', credit_balance_after: '12' });
    const after = await wallet(w.id);
    expect(after.credit_balance).toBe('12');
    expectLedgerHolds(after, await ledgerOf(api, w.id));
  });

  it('a bonus waits beside the purchase, uninvoiced: paid, both land (10 → 50 → 54); voided, both fail', async () => {
    const w = await walletOf({ initial_credits_to_load: '10', topup_conversion_rate: '0.5' });
    const paid = (await topUp(w.id, { credits_to_add: '40', bonus_credits_to_add: '4', bonus_credits_expiry_date_utc: '2026-01-01T00:00:00Z', priority: 2 })).body;
    const rows = async () => (await ledgerOf(api, w.id)).map((t: any) => [t.transaction_reason, t.transaction_status, t.credit_amount, t.amount, t.credits_available, t.credit_balance_before, t.credit_balance_after, t.parent_transaction_id ?? null, t.expiry_date ?? null, t.priority ?? null]);
    expect(await rows()).toEqual([
      ['FREE_CREDIT_GRANT', 'completed', '10', '5', '10', '0', '10', null, null, null],
      ['PURCHASED_CREDIT_INVOICED', 'pending', '40', '20', '0', '10', '10', null, null, 2],
      ['PURCHASED_CREDIT_BONUS', 'pending', '4', '2', '0', '10', '10', paid.wallet_transaction.id, '2026-01-01T00:00:00.000Z', 2],
    ]);
    expect((await invoice(paid.invoice_id)).amount_due).toBe('20'); // 40 credits × 0.5: the bonus is free
    await payOffline(paid.invoice_id, '20');
    expect((await rows()).slice(1)).toEqual([
      ['PURCHASED_CREDIT_INVOICED', 'completed', '40', '20', '40', '10', '50', null, null, 2],
      ['PURCHASED_CREDIT_BONUS', 'completed', '4', '2', '4', '50', '54', paid.wallet_transaction.id, '2026-01-01T00:00:00.000Z', 2],
    ]);
    const voided = (await topUp(w.id, { credits_to_add: '10', bonus_credits_to_add: '1' })).body;
    expect((await api.post(`/v1/invoices/${voided.invoice_id}/void`, {})).status).toBe(200);
    expect((await rows()).slice(3).map((r) => [r[0], r[1]])).toEqual([['PURCHASED_CREDIT_INVOICED', 'failed'], ['PURCHASED_CREDIT_BONUS', 'failed']]);
    const after = await wallet(w.id);
    expect(after.credit_balance).toBe('54');
    expectLedgerHolds(after, await ledgerOf(api, w.id));
  });

  it('refuses a checkout, credits worth less than a cent, a past bonus expiry and a closed wallet, writing nothing', async () => {
    const w = await walletOf();
    const stateOf = async () => ({ ledger: (await ledgerOf(api, w.id)).length, invoices: (await api.get(`/v1/invoices?customer_id=${w.customer_id}`)).body.items.length });
    const path = `/v1/wallets/${w.id}/top-up`;
    await expectRefused(api, { path, body: { transaction_reason: 'PURCHASED_CREDIT_INVOICED', credits_to_add: '5', bonus_credits_to_add: '1', bonus_credits_expiry_date_utc: '2025-09-01T00:00:00Z' } }, { fields: ['bonus_credits_expiry_date_utc'] }, stateOf);
    await expectRefused(api, { path, body: { transaction_reason: 'PURCHASED_CREDIT_INVOICED', credits_to_add: '5', checkout: { success_url: 'https://x.test' } } }, { fields: ['checkout'] }, stateOf);
    await expectRefused(api, { path, body: { transaction_reason: 'PURCHASED_CREDIT_INVOICED', credits_to_add: '0.004' } }, { fields: ['credits_to_add'] }, stateOf); // $0.004 rounds to $0.00
    expect((await api.post(`/v1/wallets/${w.id}/terminate`, {})).status).toBe(200);
    const closed = await topUp(w.id, { credits_to_add: '5' });
    expect([closed.status, closed.body.code]).toEqual([400, 'invalid_operation']);
  });

  it('WalletService.purchaseInvoiced buys in the caller’s transaction (what the auto top-up calls): WALLET_AUTO_TOPUP invoice', async () => {
    const w = await walletOf({ topup_conversion_rate: '0.1' });
    const auth: AuthContext = { tenantId: server.bootstrap.tenantId, environmentId: server.bootstrap.defaultEnvironmentId, secretId: 'purchase-test' };
    const bought = await new Transactions(server.orm).run((tx) =>
      services.wallets.purchaseInvoiced(tx, auth, w.id, { credits: '250', idempotencyKey: 'auto-1', billingReason: 'WALLET_AUTO_TOPUP', metadata: { auto_topup: 'true' } }),
    );
    expect([bought.transaction.transactionStatus, bought.transaction.creditAmount, bought.transaction.amount, bought.transaction.metadata]).toEqual(['pending', '250', '25', { auto_topup: 'true' }]);
    const inv = await invoice(bought.invoiceId);
    expect([inv.billing_reason, inv.total, inv.metadata.auto_topup]).toEqual(['WALLET_AUTO_TOPUP', '25', 'true']); // 250 × 0.1
    await payOffline(bought.invoiceId, '25');
    expect((await wallet(w.id)).credit_balance).toBe('250');
  });
});
