import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../support/api-client.ts';
import { at } from '../../support/billing.ts';
import { createCustomer, expectRefused, useTestServer } from '../../support/fixtures.ts';
import { productionApi } from '../../support/test-server.ts';
import { expectLedgerHolds, ledgerOf } from '../wallets/wallet-ledger.ts';

const server = useTestServer();
let api: ApiClient;
const path = '/v1/settings/bonus_credits_topup_config';

/** Three brackets: 12.5% from 1,000 credits (expiring after a month), 5 flat from 100, nothing below. */
const slabs = [
  { threshold: '1000.00', operator: 'gte', bonus: { type: 'percentage', value: '12.5' }, expiration_duration: 1, expiration_duration_unit: 'MONTH' },
  { threshold: 100, operator: 'gte', bonus: { type: 'flat', value: '5' } },
];
const storedSlabs = [
  { threshold: '1000', operator: 'gte', bonus: { type: 'percentage', value: '12.5' }, expiration_duration: 1, expiration_duration_unit: 'MONTH' },
  { threshold: '100', operator: 'gte', bonus: { type: 'flat', value: '5' } },
];

async function put(value: Record<string, unknown>, client = api) {
  const res = await client.put(path, { value });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}
const current = async () => (await api.get(path)).body;

beforeAll(() => {
  api = server.api;
});

beforeEach(async () => {
  at(server, '2026-01-31T10:00:00Z');
  await api.delete(path); // 404 when nothing is stored: either way the defaults apply
});

describe('/v1/settings/{key}', () => {
  it('answers the defaults of a key never stored, with key and value only', async () => {
    const res = await api.get(path);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ key: 'bonus_credits_topup_config', value: { enabled: false, slabs: [] } });
  });

  it('stores a value (decimals canonical), answers it on GET, and merges a later PUT field by field', async () => {
    const stored = await put({ enabled: true, slabs });
    expect(stored).toEqual({
      id: expect.stringMatching(/^setting_[0-9A-HJKMNP-TV-Z]{26}$/),
      key: 'bonus_credits_topup_config',
      value: { enabled: true, slabs: storedSlabs },
      environment_id: server.bootstrap.defaultEnvironmentId,
      tenant_id: server.bootstrap.tenantId,
      status: 'published',
      created_at: '2026-01-31T10:00:00.000Z',
      updated_at: '2026-01-31T10:00:00.000Z',
      created_by: expect.any(String),
      updated_by: expect.any(String),
    });
    expect(await current()).toEqual(stored);
    at(server, '2026-02-01T00:00:00Z');
    const off = await put({ enabled: false });
    expect(off).toMatchObject({ id: stored.id, value: { enabled: false, slabs: storedSlabs }, created_at: '2026-01-31T10:00:00.000Z', updated_at: '2026-02-01T00:00:00.000Z' });
  });

  it('refuses a bad value naming the field under value, and changes nothing', async () => {
    await put({ enabled: true, slabs });
    const cases: Array<[unknown, string]> = [
      [{ enabled: 'yes' }, 'value.enabled'],
      [{ slabs: [] }, 'value.slabs'], // still enabled: a slab is needed
      [{ slabs: [{ ...slabs[1], threshold: '100' }, { ...slabs[0] }] }, 'value.slabs[1].threshold'], // not highest first
      [{ slabs: [{ ...slabs[1], threshold: '100' }, { ...slabs[1], threshold: '100' }] }, 'value.slabs[1].threshold'], // equal thresholds
      [{ slabs: [{ ...slabs[1], operator: 'gt' }] }, 'value.slabs[0].operator'],
      [{ slabs: [{ ...slabs[1], threshold: '-1' }] }, 'value.slabs[0].threshold'],
      [{ slabs: [{ ...slabs[1], threshold: 'lots' }] }, 'value.slabs[0].threshold'],
      [{ slabs: [{ ...slabs[1], bonus: { type: 'double', value: '1' } }] }, 'value.slabs[0].bonus.type'],
      [{ slabs: [{ ...slabs[1], bonus: { type: 'flat', value: '-5' } }] }, 'value.slabs[0].bonus.value'],
      [{ slabs: [{ ...slabs[1], expiration_duration: 3 }] }, 'value.slabs[0].expiration_duration_unit'],
      [{ slabs: [{ ...slabs[0], expiration_duration: 0 }] }, 'value.slabs[0].expiration_duration'],
      [{ slabs: [{ ...slabs[0], expiration_duration_unit: 'HOUR' }] }, 'value.slabs[0].expiration_duration_unit'],
      [{ slabs: [{ ...slabs[1], cap: '10' }] }, 'value.slabs[0].cap'],
      [{ slabs: 'none' }, 'value.slabs'],
      [{ colour: 'blue' }, 'value.colour'],
    ];
    for (const [value, field] of cases) {
      await expectRefused(api, { method: 'PUT', path, body: { value } }, { fields: [field] }, current);
    }
  });

  it('refuses keys Tally does not keep, naming key: FlexPrice’s other settings by name, and unknown ones', async () => {
    const none = async () => (await current()).value;
    for (const key of ['invoice_config', 'subscription_config', 'no_such_setting']) {
      const body = await expectRefused(api, { method: 'PUT', path: `/v1/settings/${key}`, body: { value: {} } }, { fields: ['key'] }, none);
      expect(body.message).toContain(key === 'no_such_setting' ? 'unknown setting key' : 'not supported by Tally');
      await expectRefused(api, { method: 'GET', path: `/v1/settings/${key}` }, { fields: ['key'] }, none);
      await expectRefused(api, { method: 'DELETE', path: `/v1/settings/${key}` }, { fields: ['key'] }, none);
    }
  });

  it('deletes a stored value (the defaults apply again); deleting again is 404', async () => {
    await put({ enabled: true, slabs });
    const res = await api.delete(path);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: 'Setting deleted successfully' });
    expect(await current()).toEqual({ key: 'bonus_credits_topup_config', value: { enabled: false, slabs: [] } });
    const again = await api.delete(path);
    expect(again.status).toBe(404);
  });

  it('keeps each environment’s value apart', async () => {
    await put({ enabled: true, slabs });
    const production = (await productionApi(server)).api;
    expect((await production.get(path)).body).toEqual({ key: 'bonus_credits_topup_config', value: { enabled: false, slabs: [] } });
    await put({ enabled: false, slabs: [] }, production);
    expect((await current()).value).toEqual({ enabled: true, slabs: storedSlabs });
    expect((await production.delete(path)).status).toBe(200);
    expect((await current()).value.enabled).toBe(true);
  });

  it('takes concurrent first updates of one key in turn: every one answers 200 and one row holds the last', async () => {
    const thresholds = ['10', '20', '30', '40', '50'];
    const answers = await Promise.all(thresholds.map((t) => api.put(path, { value: { enabled: true, slabs: [{ threshold: t, operator: 'gte', bonus: { type: 'flat', value: '1' } }] } })));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(thresholds).toContain((await current()).value.slabs[0].threshold);
  });
});

describe('bonus slabs on purchased top-ups', () => {
  async function walletWith(body: Record<string, unknown> = {}) {
    const customer = await createCustomer(api);
    const res = await api.post('/v1/wallets', { customer_id: customer.id, currency: 'usd', ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  }
  async function topUp(walletId: string, body: Record<string, unknown>) {
    const res = await api.post(`/v1/wallets/${walletId}/top-up`, body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  }
  const rows = async (walletId: string) =>
    (await ledgerOf(api, walletId)).map((t: any) => [t.transaction_reason, t.credit_amount, t.amount, t.parent_transaction_id ?? null, t.expiry_date ?? null]);

  it('gives a direct purchase the highest bracket it reaches: 1,234.56 credits → 154.32 bonus credits expiring a month later (28 Feb)', async () => {
    await put({ enabled: true, slabs });
    const w = await walletWith();
    const res = await topUp(w.id, { transaction_reason: 'PURCHASED_CREDIT_DIRECT', credits_to_add: '1234.56' });
    expect(await rows(w.id)).toEqual([
      ['PURCHASED_CREDIT_DIRECT', '1234.56', '1234.56', null, null],
      ['PURCHASED_CREDIT_BONUS', '154.32', '154.32', res.wallet_transaction.id, '2026-02-28T10:00:00.000Z'],
    ]);
    expect(res.wallet).toMatchObject({ credit_balance: '1388.88', balance: '1388.88', credits_available_breakdown: { purchased: '1234.56', free: '154.32' } });
    expectLedgerHolds(await (await api.get(`/v1/wallets/${w.id}`)).body, await ledgerOf(api, w.id));
  });

  it('reads the bracket on the credits bought, not the amount paid: $30 at a top-up rate of 0.25 buys 120 credits → 5 bonus credits that never expire', async () => {
    await put({ enabled: true, slabs });
    const w = await walletWith({ topup_conversion_rate: '0.25' });
    const res = await topUp(w.id, { transaction_reason: 'PURCHASED_CREDIT_DIRECT', amount: '30' });
    expect(await rows(w.id)).toEqual([
      ['PURCHASED_CREDIT_DIRECT', '120', '30', null, null],
      ['PURCHASED_CREDIT_BONUS', '5', '1.25', res.wallet_transaction.id, null],
    ]);
  });

  it('lets an explicit bonus or bonus expiry win over the slabs', async () => {
    await put({ enabled: true, slabs });
    const w = await walletWith();
    const first = await topUp(w.id, { transaction_reason: 'PURCHASED_CREDIT_DIRECT', credits_to_add: '2000', bonus_credits_to_add: '1' });
    const second = await topUp(w.id, { transaction_reason: 'PURCHASED_CREDIT_DIRECT', credits_to_add: '2000', bonus_credits_expiry_date_utc: '2026-12-31T00:00:00Z' });
    expect(await rows(w.id)).toEqual([
      ['PURCHASED_CREDIT_DIRECT', '2000', '2000', null, null],
      ['PURCHASED_CREDIT_BONUS', '1', '1', first.wallet_transaction.id, null],
      ['PURCHASED_CREDIT_DIRECT', '2000', '2000', null, null],
      ['PURCHASED_CREDIT_BONUS', '250', '250', second.wallet_transaction.id, '2026-12-31T00:00:00.000Z'],
    ]);
  });

  it('gives a purchase on an invoice its bonus beside it, pending and uninvoiced: 1,000 credits at $0.10 → $100 invoice, 125 bonus credits', async () => {
    await put({ enabled: true, slabs });
    const w = await walletWith({ topup_conversion_rate: '0.1' });
    const res = await topUp(w.id, { transaction_reason: 'PURCHASED_CREDIT_INVOICED', credits_to_add: '1000' });
    expect((await api.get(`/v1/invoices/${res.invoice_id}`)).body.amount_due).toBe('100');
    const pending = (await ledgerOf(api, w.id)).map((t: any) => [t.transaction_reason, t.transaction_status, t.credit_amount, t.amount, t.expiry_date ?? null]);
    expect(pending).toEqual([
      ['PURCHASED_CREDIT_INVOICED', 'pending', '1000', '100', null],
      ['PURCHASED_CREDIT_BONUS', 'pending', '125', '12.5', '2026-02-28T10:00:00.000Z'],
    ]);
    expect((await api.put(`/v1/invoices/${res.invoice_id}/payment`, { payment_status: 'SUCCEEDED' })).status).toBe(200);
    expect((await api.get(`/v1/wallets/${w.id}`)).body.credit_balance).toBe('1125');
  });

  it('gives an automatic top-up its bonus too: 150 credits bought when the balance fell to 10 → 5 bonus credits', async () => {
    await put({ enabled: true, slabs });
    const w = await walletWith({ initial_credits_to_load: '30', auto_topup: { enabled: true, threshold: '10', amount: '150', invoicing: false } });
    const res = await api.post(`/v1/wallets/${w.id}/debit`, { credits: '20', transaction_reason: 'MANUAL_BALANCE_DEBIT', idempotency_key: `d-${w.id}` });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect((await ledgerOf(api, w.id)).map((t: any) => [t.transaction_reason, t.credit_amount, t.credit_balance_after])).toEqual([
      ['FREE_CREDIT_GRANT', '30', '30'],
      ['MANUAL_BALANCE_DEBIT', '20', '10'],
      ['PURCHASED_CREDIT_DIRECT', '150', '160'],
      ['PURCHASED_CREDIT_BONUS', '5', '165'],
    ]);
    expectLedgerHolds(await (await api.get(`/v1/wallets/${w.id}`)).body, await ledgerOf(api, w.id));
  });

  it('gives nothing below every bracket, to free credits, or while the setting is off', async () => {
    await put({ enabled: true, slabs });
    const w = await walletWith();
    await topUp(w.id, { transaction_reason: 'PURCHASED_CREDIT_DIRECT', credits_to_add: '99.99' });
    await topUp(w.id, { transaction_reason: 'FREE_CREDIT_GRANT', credits_to_add: '5000' });
    await put({ enabled: false });
    await topUp(w.id, { transaction_reason: 'PURCHASED_CREDIT_DIRECT', credits_to_add: '5000' });
    expect(await rows(w.id)).toEqual([
      ['PURCHASED_CREDIT_DIRECT', '99.99', '99.99', null, null],
      ['FREE_CREDIT_GRANT', '5000', '5000', null, null],
      ['PURCHASED_CREDIT_DIRECT', '5000', '5000', null, null],
    ]);
  });
});
