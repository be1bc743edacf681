/**
 * The taxes face the invoices module calls at finalization (no HTTP route of its own): which rates tax
 * an invoice, the record of the taxes applied, and the tax set-up of new subscriptions — on the real
 * database, with rates, associations and customers made through the API.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuthContext } from '../../../src/auth-context.ts';
import { invoiceTotals } from '../../../src/billing/invoicing/index.ts';
import { Transactions, type Tx } from '../../../src/db/transactions.ts';
import { AppError } from '../../../src/errors/app-error.ts';
import { customerReader } from '../../../src/modules/customers/index.ts';
import { TaxApplicationService, TaxAssociationService, taxApplicationKey, toTaxAppliedResponse, withAssociations } from '../../../src/modules/taxes/index.ts';
import type { ApiClient } from '../../support/api-client.ts';
import { created, createCustomer, createPlan, createPrice, fixedPrice, unique, useTestServer } from '../../support/fixtures.ts';
import { productionApi } from '../../support/test-server.ts';

const server = useTestServer();
let api: ApiClient;
let db: Transactions;
let auth: AuthContext;
let applications: TaxApplicationService;
let associations: TaxAssociationService;
let state: any;
let levy: any;
let tenantRate: any;
let tenantAssociation: any;

const feb1 = new Date('2026-02-01T00:00:00Z');

beforeAll(async () => {
  api = server.api;
  db = new Transactions(server.orm);
  const ctx = { db, clock: server.clock };
  applications = new TaxApplicationService(ctx);
  associations = new TaxAssociationService(ctx, { customers: customerReader });
  auth = { tenantId: server.bootstrap.tenantId, environmentId: server.bootstrap.defaultEnvironmentId, secretId: 'secret_face_test' };
  const rate = async (body: Record<string, unknown>) => (await api.post('/v1/taxes/rates', { code: unique(String(body.name).toUpperCase()), ...body })).body;
  state = await rate({ name: 'State', tax_rate_type: 'percentage', percentage_value: '6' });
  levy = await rate({ name: 'Levy', tax_rate_type: 'fixed', fixed_value: '1.5' });
  tenantRate = await rate({ name: 'Default', tax_rate_type: 'percentage', percentage_value: '10' });
  tenantAssociation = (await api.post('/v1/taxes/associations', { tax_rate_code: tenantRate.code, entity_type: 'tenant', auto_apply: true, start_date: '2025-01-01T00:00:00Z' })).body;
});

const run = <T>(work: (tx: Tx) => Promise<T>) => db.run(work);
const associate = async (body: Record<string, unknown>) => {
  const res = await api.post('/v1/taxes/associations', { auto_apply: true, start_date: '2026-01-01T00:00:00Z', ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};
/** A customer made while the tenant already has its default association, so it got a copy; the copy is removed to start clean. */
async function bareCustomer(): Promise<any> {
  const c = await createCustomer(api);
  for (const a of (await api.get(`/v1/taxes/associations?entity_type=customer&entity_id=${c.id}`)).body.items) await api.delete(`/v1/taxes/associations/${a.id}`);
  return c;
}
async function refusal(work: () => Promise<unknown>): Promise<AppError> {
  try {
    await work();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('applicableRates', () => {
  it('a customer\'s auto-applied associations, lower priority first, each with its association; worked into the invoice totals', async () => {
    const c = await bareCustomer();
    const s = await associate({ tax_rate_code: state.code, entity_type: 'customer', entity_id: c.id, priority: 0, currency: 'usd' });
    const l = await associate({ tax_rate_code: levy.code, entity_type: 'customer', entity_id: c.id, priority: 1 });
    await associate({ tax_rate_code: tenantRate.code, entity_type: 'customer', entity_id: c.id, auto_apply: false });

    const rates = await run((tx) => applications.applicableRates(tx, auth, { customerId: c.id, currency: 'USD', at: feb1 }));
    expect(rates).toEqual([
      { id: state.id, taxRateType: 'percentage', percentageValue: '6', fixedValue: null, code: state.code, name: 'State', priority: 0, taxAssociationId: s.id, source: 'customer' },
      { id: levy.id, taxRateType: 'fixed', percentageValue: null, fixedValue: '1.5', code: levy.code, name: 'Levy', priority: 1, taxAssociationId: l.id, source: 'customer' },
    ]);

    // Usage $80 + fixed $20 = $100; 25% off the usage line ($20) and $10 off the invoice → taxable $70.
    // State 6% of $70 = $4.20; levy $1.50; total tax $5.70; total 100 − 30 + 5.70 = $75.70.
    const totals = invoiceTotals({
      currency: 'usd',
      lines: [{ amount: '80', lineItemDiscount: '20', invoiceLevelDiscount: '8' }, { amount: '20', invoiceLevelDiscount: '2' }],
      taxRates: rates,
    });
    expect([totals.taxableAmount, totals.taxes.map((t) => t.taxAmount), totals.totalTax, totals.total]).toEqual(['70', ['4.2', '1.5'], '5.7', '75.7']);
  });

  it('in EUR the usd-only state association does not bear: only the levy taxes the invoice', async () => {
    const c = await bareCustomer();
    await associate({ tax_rate_code: state.code, entity_type: 'customer', entity_id: c.id, currency: 'usd' });
    await associate({ tax_rate_code: levy.code, entity_type: 'customer', entity_id: c.id });
    const rates = await run((tx) => applications.applicableRates(tx, auth, { customerId: c.id, currency: 'eur', at: feb1 }));
    expect(rates.map((r) => r.code)).toEqual([levy.code]);
  });

  it('a customer with no association of its own inherits the tenant\'s; one whose associations ended too', async () => {
    const c = await bareCustomer();
    const none = await run((tx) => applications.applicableRates(tx, auth, { customerId: c.id, currency: 'usd', at: feb1 }));
    expect(none.map((r) => [r.code, r.source, r.taxAssociationId])).toEqual([[tenantRate.code, 'tenant', tenantAssociation.id]]);
    await associate({ tax_rate_code: state.code, entity_type: 'customer', entity_id: c.id, end_date: '2026-01-15T00:00:00Z' });
    const ended = await run((tx) => applications.applicableRates(tx, auth, { customerId: c.id, currency: 'usd', at: feb1 }));
    expect(ended.map((r) => r.source)).toEqual(['tenant']);
    // Before the association ended, it decided.
    const before = await run((tx) => applications.applicableRates(tx, auth, { customerId: c.id, currency: 'usd', at: new Date('2026-01-10T00:00:00Z') }));
    expect(before.map((r) => [r.code, r.source])).toEqual([[state.code, 'customer']]);
  });

  it('a customer exempted by a paused association pays no tax, the tenant default notwithstanding', async () => {
    const c = await bareCustomer();
    await associate({ tax_rate_code: state.code, entity_type: 'customer', entity_id: c.id, auto_apply: false });
    expect(await run((tx) => applications.applicableRates(tx, auth, { customerId: c.id, currency: 'usd', at: feb1 }))).toEqual([]);
  });

  it('a subscription\'s associations replace its customer\'s', async () => {
    const c = await bareCustomer();
    await associate({ tax_rate_code: state.code, entity_type: 'customer', entity_id: c.id });
    const plan = await createPlan(api);
    await createPrice(api, fixedPrice(plan.id, { amount: '10' }));
    // Its tax_rate_overrides become the subscription's associations, in effect from its creation.
    const sub = await created(api, '/v1/subscriptions', { customer_id: c.id, plan_id: plan.id, currency: 'usd', billing_period: 'MONTHLY', tax_rate_overrides: [{ tax_rate_code: levy.code, currency: 'usd' }] });
    const soon = new Date(server.clock.now().getTime() + 60_000);
    const rates = await run((tx) => applications.applicableRates(tx, auth, { customerId: c.id, subscriptionId: sub.id, currency: 'usd', at: soon }));
    expect(rates.map((r) => [r.code, r.source])).toEqual([[levy.code, 'subscription']]);
    const other = await run((tx) => applications.applicableRates(tx, auth, { customerId: c.id, subscriptionId: 'subs_NONE', currency: 'usd', at: soon }));
    expect(other.map((r) => [r.code, r.source])).toEqual([[state.code, 'customer']]);
  });

  it('an invoice\'s own tax_rate_overrides alone tax it (auto-applied, by priority); else its tax_rates ids', async () => {
    const c = await bareCustomer();
    await associate({ tax_rate_code: state.code, entity_type: 'customer', entity_id: c.id });
    const overrides = [
      { taxRateCode: levy.code, currency: 'usd', autoApply: true, priority: 2, metadata: {} },
      { taxRateCode: tenantRate.code, currency: 'USD', autoApply: true, priority: 1, metadata: {} },
      { taxRateCode: state.code, currency: 'usd', autoApply: false, priority: 0, metadata: {} },
    ];
    const byOverrides = await run((tx) => applications.applicableRates(tx, auth, { customerId: c.id, currency: 'usd', at: feb1, overrides, taxRateIds: [state.id] }));
    expect(byOverrides.map((r) => [r.code, r.source, r.taxAssociationId, r.priority])).toEqual([
      [tenantRate.code, 'tax_rate_overrides', null, 1],
      [levy.code, 'tax_rate_overrides', null, 2],
    ]);
    const byIds = await run((tx) => applications.applicableRates(tx, auth, { customerId: c.id, currency: 'usd', at: feb1, overrides: [], taxRateIds: [levy.id, levy.id, state.id] }));
    expect(byIds.map((r) => [r.code, r.source])).toEqual([
      [levy.code, 'tax_rates'],
      [state.code, 'tax_rates'],
    ]);
  });

  it('refuses overrides naming an unknown or INACTIVE rate or another currency, and unknown tax_rates ids, naming the field', async () => {
    const c = await bareCustomer();
    const o = (taxRateCode: string, currency = 'usd') => ({ taxRateCode, currency, autoApply: true, priority: 0, metadata: {} });
    const unknown = await refusal(() => run((tx) => applications.applicableRates(tx, auth, { customerId: c.id, currency: 'usd', at: feb1, overrides: [o(state.code), o('NOPE')] })));
    expect([unknown.code, unknown.details]).toEqual(['not_found', { 'tax_rate_overrides[1].tax_rate_code': 'NOPE' }]);
    const currency = await refusal(() => run((tx) => applications.applicableRates(tx, auth, { customerId: c.id, currency: 'usd', at: feb1, overrides: [o(state.code, 'eur')] })));
    expect([currency.code, currency.details]).toEqual(['validation_error', { 'tax_rate_overrides[0].currency': "must be the invoice's currency, usd" }]);
    const inactive = (await api.post('/v1/taxes/rates', { name: 'Off', code: unique('OFF'), tax_rate_type: 'percentage', percentage_value: '3' })).body;
    await api.put(`/v1/taxes/rates/${inactive.id}`, { tax_rate_status: 'INACTIVE' });
    const off = await refusal(() => run((tx) => applications.applicableRates(tx, auth, { customerId: c.id, currency: 'usd', at: feb1, overrides: [o(inactive.code)] })));
    expect([off.code, off.details]).toEqual(['invalid_operation', { 'tax_rate_overrides[0].tax_rate_code': inactive.code }]);
    const id = await refusal(() => run((tx) => applications.applicableRates(tx, auth, { customerId: c.id, currency: 'usd', at: feb1, taxRateIds: ['taxrate_NOPE'] })));
    expect([id.code, id.details]).toEqual(['not_found', { 'tax_rates[0]': 'taxrate_NOPE' }]);
  });

  it('sees only the caller\'s environment', async () => {
    const prod = await productionApi(server);
    const prodAuth = { ...auth, environmentId: prod.environmentId };
    const c = await bareCustomer();
    await associate({ tax_rate_code: state.code, entity_type: 'customer', entity_id: c.id });
    expect(await run((tx) => applications.applicableRates(tx, prodAuth, { customerId: c.id, currency: 'usd', at: feb1 }))).toEqual([]);
  });
});

describe('recordApplied and appliedTo', () => {
  it('records one row per rate with FlexPrice\'s key, lists them for the invoice, and re-applying updates them', async () => {
    const c = await bareCustomer();
    const s = await associate({ tax_rate_code: state.code, entity_type: 'customer', entity_id: c.id, priority: 0 });
    await associate({ tax_rate_code: levy.code, entity_type: 'customer', entity_id: c.id, priority: 1 });
    const invoice = { id: unique('inv_FACE'), currency: 'USD', appliedAt: new Date('2026-02-01T00:05:00Z') };
    const rates = await run((tx) => applications.applicableRates(tx, auth, { customerId: c.id, currency: 'usd', at: feb1 }));
    // $70 taxable: state 6% = $4.20, levy $1.50.
    const totals = invoiceTotals({ currency: 'usd', lines: [{ amount: '70' }], taxRates: rates });
    const recorded = await run((tx) => applications.recordApplied(tx, auth, invoice, withAssociations(totals.taxes, rates)));
    expect(recorded.map((t) => [t.taxRateId, t.taxAssociationId, t.taxableAmount, t.taxAmount, t.currency])).toEqual([
      [state.id, s.id, '70', '4.2', 'usd'],
      [levy.id, expect.stringMatching(/^ta_/), '70', '1.5', 'usd'],
    ]);

    const listed = await run((tx) => applications.appliedTo(tx, auth, [invoice.id, 'inv_NONE'], { withRates: true }));
    expect(listed.get('inv_NONE')).toEqual([]);
    const [first, second] = listed.get(invoice.id)!;
    expect(toTaxAppliedResponse(first!.applied, first!.rate)).toEqual({
      id: expect.stringMatching(/^taxapp_[0-9A-HJKMNP-TV-Z]{26}$/),
      tax_rate_id: state.id,
      tax_association_id: s.id,
      entity_type: 'invoice',
      entity_id: invoice.id,
      taxable_amount: '70',
      tax_amount: '4.2',
      currency: 'usd',
      applied_at: '2026-02-01T00:05:00.000Z',
      idempotency_key: taxApplicationKey(invoice.id, state.id),
      metadata: {},
      environment_id: auth.environmentId,
      tenant_id: auth.tenantId,
      status: 'published',
      created_at: expect.any(String),
      updated_at: expect.any(String),
      created_by: 'secret_face_test',
      updated_by: 'secret_face_test',
      tax_rate: state,
    });
    expect(first!.applied.idempotencyKey).toMatch(/^tax_application-[0-9a-f]{16}$/);
    expect(second!.rate?.code).toBe(levy.code);
    expect('tax_rate' in toTaxAppliedResponse(second!.applied)).toBe(false);

    // Re-applied after a discount: taxable $50, state only (levy dropped) → the state row is updated in
    // place (same id, 6% of 50 = 3.00), the levy row is archived.
    const again = await run((tx) =>
      applications.recordApplied(tx, auth, { ...invoice, appliedAt: new Date('2026-02-02T00:00:00Z') }, [{ taxRateId: state.id, taxableAmount: '50', taxAmount: '3', taxAssociationId: s.id }]),
    );
    expect(again.map((t) => [t.id, t.taxAmount])).toEqual([[first!.applied.id, '3']]);
    const after = (await run((tx) => applications.appliedTo(tx, auth, [invoice.id]))).get(invoice.id)!;
    expect(after.map((v) => [v.applied.taxRateId, v.applied.taxableAmount, v.applied.taxAmount, v.applied.appliedAt.toISOString(), v.rate])).toEqual([
      [state.id, '50', '3', '2026-02-02T00:00:00.000Z', null],
    ]);
    // A rate applied to an invoice can no longer change its code.
    expect((await api.put(`/v1/taxes/rates/${levy.id}`, { code: unique('LEVY2') })).body.code).toBe('invalid_operation');
  });

  it('a tax-free invoice records nothing', async () => {
    const invoice = { id: unique('inv_FREE'), currency: 'usd', appliedAt: feb1 };
    expect(await run((tx) => applications.recordApplied(tx, auth, invoice, []))).toEqual([]);
    expect((await run((tx) => applications.appliedTo(tx, auth, [invoice.id]))).get(invoice.id)).toEqual([]);
  });
});

describe('copyToSubscription', () => {
  it('without overrides copies the customer\'s auto-applied associations; with overrides links those; [] links nothing', async () => {
    const c = await bareCustomer();
    await associate({ tax_rate_code: state.code, entity_type: 'customer', entity_id: c.id, priority: 4, currency: 'usd' });
    await associate({ tax_rate_code: levy.code, entity_type: 'customer', entity_id: c.id, auto_apply: false });
    const copied = await run((tx) => associations.copyToSubscription(tx, auth, c.id, 'subs_COPY'));
    expect(copied.map((a) => [a.taxRateId, a.entityType, a.entityId, a.priority, a.autoApply, a.currency])).toEqual([[state.id, 'subscription', 'subs_COPY', 4, true, 'usd']]);

    const linked = await run((tx) =>
      associations.copyToSubscription(tx, auth, c.id, 'subs_OVERRIDE', { currency: 'USD', overrides: [{ taxRateCode: levy.code, currency: 'usd', autoApply: true, priority: 2, metadata: { why: 'override' } }] }),
    );
    expect(linked.map((a) => [a.taxRateId, a.entityId, a.priority, a.autoApply, a.currency, a.metadata])).toEqual([[levy.id, 'subs_OVERRIDE', 2, true, 'usd', { why: 'override' }]]);
    const viaApi = (await api.get('/v1/taxes/associations?entity_type=subscription&entity_id=subs_OVERRIDE')).body.items;
    expect(viaApi.map((a: any) => a.tax_rate_id)).toEqual([levy.id]);

    expect(await run((tx) => associations.copyToSubscription(tx, auth, c.id, 'subs_EMPTY', { overrides: [] }))).toEqual([]);
  });

  it('refuses an override in another currency or naming an unknown rate, and writes nothing', async () => {
    const c = await bareCustomer();
    const wrong = await refusal(() =>
      run((tx) => associations.copyToSubscription(tx, auth, c.id, 'subs_BAD', { currency: 'usd', overrides: [{ taxRateCode: levy.code, currency: 'eur', autoApply: true, priority: 0, metadata: {} }] })),
    );
    expect(wrong.details).toEqual({ 'tax_rate_overrides[0].currency': "must be the subscription's currency, usd" });
    const unknown = await refusal(() =>
      run((tx) => associations.copyToSubscription(tx, auth, c.id, 'subs_BAD', { overrides: [{ taxRateCode: 'NOPE', currency: 'usd', autoApply: true, priority: 0, metadata: {} }] })),
    );
    expect([unknown.code, unknown.details]).toEqual(['not_found', { 'tax_rate_overrides[0].tax_rate_code': 'NOPE' }]);
    expect((await api.get('/v1/taxes/associations?entity_type=subscription&entity_id=subs_BAD')).body.items).toEqual([]);
  });
});
