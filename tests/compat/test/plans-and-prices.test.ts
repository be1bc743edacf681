import { beforeAll, describe, expect } from 'vitest';
import { flexprice, sdkTest, thrown, unique } from '../src/sdk-test.ts';

let meterId: string;

beforeAll(async () => {
  const key = unique('pp-meter');
  const feature = await flexprice.features.createFeature({
    name: 'Requests',
    type: 'metered',
    lookupKey: key,
    meter: { name: 'Requests', eventName: `${key}.request`, aggregation: { type: 'COUNT' }, resetUsage: 'BILLING_PERIOD' },
  });
  meterId = feature.meterId!;
});

const monthlyFee = (planId: string, amount: string) =>
  ({
    entityType: 'PLAN',
    entityId: planId,
    type: 'FIXED',
    currency: 'usd',
    amount,
    billingPeriod: 'MONTHLY',
    billingPeriodCount: 1,
    billingModel: 'FLAT_FEE',
    billingCadence: 'RECURRING',
    invoiceCadence: 'ADVANCE',
    priceUnitType: 'FIAT',
  }) as const;

describe('plans', () => {
  sdkTest('creates a plan, reads it with its prices, updates it', ['plans.createPlan', 'plans.getPlan', 'plans.updatePlan'], async () => {
    const key = unique('pro');
    const plan = await flexprice.plans.createPlan({ name: 'Pro', lookupKey: key, description: 'For teams', displayOrder: 2, metadata: { tier: 'pro' } });
    expect(plan.id).toMatch(/^plan_[0-9A-Z]{26}$/);
    expect(plan).toMatchObject({ name: 'Pro', lookupKey: key, description: 'For teams', displayOrder: 2, metadata: { tier: 'pro' }, status: 'published' });

    const price = await flexprice.prices.createPrice(monthlyFee(plan.id!, '49.90'));
    const read = await flexprice.plans.getPlan(plan.id!);
    expect(read.prices!.map((p) => [p.id, p.amount, p.displayAmount])).toEqual([[price.id, '49.9', '$49.9']]);
    expect(read.entitlements).toEqual([]);

    const updated = await flexprice.plans.updatePlan(plan.id!, { name: 'Pro 2', metadata: { tier: 'pro2' } });
    expect(updated).toMatchObject({ id: plan.id, name: 'Pro 2', lookupKey: key, metadata: { tier: 'pro2' } });
  });

  sdkTest('searches plans by id and lookup key, with prices expanded', ['plans.queryPlan'], async () => {
    const key = unique('search-plan');
    const plan = await flexprice.plans.createPlan({ name: 'Searchable', lookupKey: key });
    await flexprice.prices.createPrice(monthlyFee(plan.id!, '10'));
    const byKey = await flexprice.plans.queryPlan({ lookupKey: key });
    expect(byKey.items!.map((p) => p.id)).toEqual([plan.id]);
    expect(byKey.pagination!.total).toBe(1);
    const expanded = await flexprice.plans.queryPlan({ planIds: [plan.id!], expand: 'prices' });
    expect(expanded.items![0].prices!.map((p) => p.amount)).toEqual(['10']);
  });

  sdkTest('clones a plan with its prices', ['plans.postPlansIdClone'], async () => {
    const source = await flexprice.plans.createPlan({ name: 'Source', lookupKey: unique('src'), metadata: { a: '1' } });
    await flexprice.prices.createPrice(monthlyFee(source.id!, '25'));
    const key = unique('clone');
    const clone = await flexprice.plans.postPlansIdClone(source.id!, { name: 'Clone', lookupKey: key, metadata: { b: '2' } });
    expect(clone.id).not.toBe(source.id);
    expect(clone).toMatchObject({ name: 'Clone', lookupKey: key, metadata: { a: '1', b: '2', source_plan_id: source.id } });
    const read = await flexprice.plans.getPlan(clone.id!);
    expect(read.prices!.map((p) => [p.amount, p.entityId])).toEqual([['25', clone.id]]);
  });

  sdkTest('deletes a plan: archived, and no longer found by lookup key', ['plans.deletePlan'], async () => {
    const key = unique('old');
    const plan = await flexprice.plans.createPlan({ name: 'Old', lookupKey: key });
    const res = await flexprice.plans.deletePlan(plan.id!);
    expect(res.message).toBe('plan deleted successfully');
    expect((await flexprice.plans.getPlan(plan.id!)).status).toBe('archived');
    expect((await flexprice.plans.queryPlan({ lookupKey: key })).pagination!.total).toBe(0);
  });
});

describe('prices', () => {
  let planId: string;
  beforeAll(async () => {
    planId = (await flexprice.plans.createPlan({ name: 'Priced', lookupKey: unique('priced') })).id!;
  });

  sdkTest('creates flat, package and tiered prices and reads them by id and lookup key', ['prices.createPrice', 'prices.getPrice', 'prices.getPriceByLookupKey'], async () => {
    const key = unique('seat');
    const flat = await flexprice.prices.createPrice({ ...monthlyFee(planId, '12.50'), lookupKey: key, displayName: 'Seat', metadata: { kind: 'seat' } });
    expect(flat.id).toMatch(/^price_[0-9A-Z]{26}$/);
    expect(flat).toMatchObject({ amount: '12.5', displayAmount: '$12.5', currency: 'usd', type: 'FIXED', billingModel: 'FLAT_FEE', billingPeriod: 'MONTHLY', billingPeriodCount: 1, invoiceCadence: 'ADVANCE', billingCadence: 'RECURRING', entityType: 'PLAN', entityId: planId, lookupKey: key, displayName: 'Seat', metadata: { kind: 'seat' } });

    const pkg = await flexprice.prices.createPrice({
      entityType: 'PLAN',
      entityId: planId,
      type: 'USAGE',
      meterId,
      currency: 'eur',
      amount: '5',
      billingPeriod: 'MONTHLY',
      billingPeriodCount: 1,
      billingModel: 'PACKAGE',
      transformQuantity: { divideBy: 1000, round: 'up' },
      billingCadence: 'RECURRING',
      invoiceCadence: 'ARREAR',
      priceUnitType: 'FIAT',
    });
    expect(pkg).toMatchObject({ amount: '5', displayAmount: '€5', billingModel: 'PACKAGE', transformQuantity: { divideBy: 1000, round: 'up' }, meterId });

    const tiered = await flexprice.prices.createPrice({
      entityType: 'PLAN',
      entityId: planId,
      type: 'USAGE',
      meterId,
      currency: 'usd',
      billingPeriod: 'MONTHLY',
      billingPeriodCount: 1,
      billingModel: 'TIERED',
      tierMode: 'SLAB',
      tiers: [{ upTo: 1000, unitAmount: '0.10' }, { unitAmount: '0.05', flatAmount: '10' }],
      billingCadence: 'RECURRING',
      invoiceCadence: 'ARREAR',
      priceUnitType: 'FIAT',
    });
    expect(tiered.tiers).toEqual([{ upTo: 1000, unitAmount: '0.1' }, { unitAmount: '0.05', flatAmount: '10' }]);

    expect((await flexprice.prices.getPrice(pkg.id!)).transformQuantity).toEqual({ divideBy: 1000, round: 'up' });
    expect((await flexprice.prices.getPriceByLookupKey(key)).id).toBe(flat.id);
  });

  sdkTest('creates prices in bulk', ['prices.createPricesBulk'], async () => {
    const res = await flexprice.prices.createPricesBulk({ items: [monthlyFee(planId, '1'), monthlyFee(planId, '2.25')] });
    expect(res.items!.map((p) => [p.amount, p.entityId])).toEqual([
      ['1', planId],
      ['2.25', planId],
    ]);
  });

  sdkTest('searches prices of a plan', ['prices.queryPrice'], async () => {
    const plan = await flexprice.plans.createPlan({ name: 'Query prices', lookupKey: unique('qp') });
    const a = await flexprice.prices.createPrice(monthlyFee(plan.id!, '3'));
    const b = await flexprice.prices.createPrice(monthlyFee(plan.id!, '4'));
    const page = await flexprice.prices.queryPrice({ planIds: [plan.id!], order: 'asc' });
    expect(page.items!.map((p) => [p.id, p.amount])).toEqual([
      [a.id, '3'],
      [b.id, '4'],
    ]);
    expect(page.pagination!.total).toBe(2);
    expect((await flexprice.prices.queryPrice({ priceIds: [b.id!] })).items!.map((p) => p.id)).toEqual([b.id]);
  });

  sdkTest('updates a price in place, and versions it when the amount changes', ['prices.updatePrice'], async () => {
    const created = await flexprice.prices.createPrice(monthlyFee(planId, '20'));
    const renamed = await flexprice.prices.updatePrice(created.id!, { displayName: 'Base fee', description: 'Monthly base' });
    expect(renamed).toMatchObject({ id: created.id, displayName: 'Base fee', description: 'Monthly base', amount: '20' });
    const successor = await flexprice.prices.updatePrice(created.id!, { amount: '22' });
    expect(successor.id).not.toBe(created.id);
    expect(successor).toMatchObject({ amount: '22', parentPriceId: created.id });
    expect((await flexprice.prices.getPrice(created.id!)).endDate).toBeTruthy();
  });

  sdkTest('deletes a price by ending it', ['prices.deletePrice'], async () => {
    const created = await flexprice.prices.createPrice(monthlyFee(planId, '7'));
    const res = await flexprice.prices.deletePrice(created.id!, { endDate: '2099-01-01T00:00:00Z' });
    expect(res.message).toBe('price deleted successfully');
    expect(Date.parse((await flexprice.prices.getPrice(created.id!)).endDate!)).toBe(Date.parse('2099-01-01T00:00:00Z'));
    const again = await thrown(() => flexprice.prices.deletePrice(created.id!, {}));
    expect(again.statusCode).toBe(400);
  });
});

describe('price units', () => {
  sdkTest('creates a price unit and reads it by id, by code and in lists and searches', ['priceUnits.createPriceUnit', 'priceUnits.getPriceUnit', 'priceUnits.getPriceUnitByCode', 'priceUnits.listPriceUnits', 'priceUnits.queryPriceUnit'], async () => {
    const code = `c${Math.random().toString(36).slice(2, 4)}`;
    const unit = await flexprice.priceUnits.createPriceUnit({ name: 'Credits', code, symbol: 'CR', baseCurrency: 'USD', conversionRate: '0.015', metadata: { a: 'b' } });
    expect(unit.id).toMatch(/^price_unit_[0-9A-Z]{26}$/);
    expect(unit).toMatchObject({ name: 'Credits', code, symbol: 'CR', baseCurrency: 'usd', conversionRate: '0.015', metadata: { a: 'b' }, status: 'published' });
    expect((await flexprice.priceUnits.getPriceUnit(unit.id!)).code).toBe(code);
    expect((await flexprice.priceUnits.getPriceUnitByCode(code)).id).toBe(unit.id);
    const listed = await flexprice.priceUnits.listPriceUnits({ limit: 1000 });
    expect(listed.items!.map((u) => u.id)).toContain(unit.id);
    const searched = await flexprice.priceUnits.queryPriceUnit({ priceUnitIds: [unit.id!] });
    expect(searched.items!.map((u) => [u.id, u.conversionRate])).toEqual([[unit.id, '0.015']]);
  });

  sdkTest('renames a price unit and deletes it', ['priceUnits.updatePriceUnit', 'priceUnits.deletePriceUnit'], async () => {
    const code = `d${Math.random().toString(36).slice(2, 4)}`;
    const unit = await flexprice.priceUnits.createPriceUnit({ name: 'Tokens', code, symbol: 'T', baseCurrency: 'eur', conversionRate: '2' });
    const renamed = await flexprice.priceUnits.updatePriceUnit(unit.id!, { name: 'Token packs', metadata: { v: '2' } });
    expect(renamed).toMatchObject({ id: unit.id, name: 'Token packs', metadata: { v: '2' }, conversionRate: '2' });
    const res = await flexprice.priceUnits.deletePriceUnit(unit.id!);
    expect(res.message).toBe('Price unit deleted successfully');
    expect((await flexprice.priceUnits.getPriceUnit(unit.id!)).status).toBe('archived');
  });
});
