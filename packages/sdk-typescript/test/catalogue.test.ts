import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CouponResponse,
  type EntitlementResponse,
  type FeatureResponse,
  type PlanResponse,
  type PriceResponse,
  Tally,
} from '../src/index.js';
import { type RunningTally, startTally } from './tally-server.js';

// FlexPrice's documented pricing example, built through the SDK: a metered feature with its own
// meter, a plan with a $49/month fixed fee and a graduated (SLAB) usage price, an entitlement of
// 1000 calls a month, and a 20 % coupon.

let server: RunningTally;
let tally: Tally;

const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

interface Catalogue {
  feature: FeatureResponse;
  plan: PlanResponse;
  fixed: PriceResponse;
  usage: PriceResponse;
  entitlement: EntitlementResponse;
  coupon: CouponResponse;
  couponCode: string;
}
let catalogue: Catalogue;

async function buildCatalogue(): Promise<Catalogue> {
  const feature = await tally.features.createFeature({
    createFeatureRequest: {
      name: 'API calls',
      type: 'metered',
      lookup_key: unique('api_calls'),
      unit_singular: 'call',
      unit_plural: 'calls',
      meter: { name: 'API calls', event_name: 'api_call', aggregation: { type: 'COUNT' }, reset_usage: 'BILLING_PERIOD' },
    },
  });
  const plan = await tally.plans.createPlan({
    createPlanRequest: { name: 'Pro', lookup_key: unique('pro_monthly'), description: 'For growing teams' },
  });
  const fixed = await tally.prices.createPrice({
    createPriceRequest: {
      entity_type: 'PLAN',
      entity_id: plan.id,
      type: 'FIXED',
      price_unit_type: 'FIAT',
      currency: 'usd',
      amount: '49',
      billing_model: 'FLAT_FEE',
      billing_period: 'MONTHLY',
      billing_period_count: 1,
      invoice_cadence: 'ADVANCE',
      lookup_key: unique('pro_base_usd'),
      display_name: 'Platform fee',
    },
  });
  const usage = await tally.prices.createPrice({
    createPriceRequest: {
      entity_type: 'PLAN',
      entity_id: plan.id,
      type: 'USAGE',
      price_unit_type: 'FIAT',
      currency: 'usd',
      meter_id: feature.meter_id,
      billing_model: 'TIERED',
      tier_mode: 'SLAB',
      tiers: [
        { up_to: 1000, unit_amount: '0.10' },
        { up_to: 5000, unit_amount: '0.08', flat_amount: '10' },
        { up_to: null, unit_amount: '0.05' },
      ],
      billing_period: 'MONTHLY',
      billing_period_count: 1,
      invoice_cadence: 'ARREAR',
      lookup_key: unique('pro_api_calls_usd'),
      display_name: 'API calls',
    },
  });
  const entitlement = await tally.entitlements.createEntitlement({
    createEntitlementRequest: {
      entity_type: 'PLAN',
      entity_id: plan.id,
      feature_id: feature.id,
      feature_type: 'metered',
      usage_limit: 1000,
      usage_reset_period: 'MONTHLY',
    },
  });
  const couponCode = unique('launch20').toUpperCase();
  const coupon = await tally.coupons.createCoupon({
    createCouponRequest: { name: 'Launch 20 %', type: 'percentage', percentage_off: '20', cadence: 'forever', coupon_code: couponCode },
  });
  return { feature, plan, fixed, usage, entitlement, coupon, couponCode };
}

beforeAll(async () => {
  server = await startTally();
  tally = new Tally({ apiKey: server.apiKey, baseUrl: server.baseUrl, initialRetryDelayMs: 10, maxRetryDelayMs: 50 });
  catalogue = await buildCatalogue();
});

afterAll(async () => {
  await server?.stop();
});

describe('the catalogue through the TypeScript SDK against a live Tally', () => {
  it('creates a metered feature with its own COUNT meter', () => {
    const { feature } = catalogue;
    expect(feature.id).toMatch(/^feat_[0-9A-Z]{26}$/);
    expect(feature).toMatchObject({ type: 'metered', name: 'API calls', status: 'published' });
    expect(feature.meter_id).toMatch(/^meter_/);
  });

  it('creates the plan and its two prices with amounts as decimal strings', () => {
    const { plan, fixed, usage, feature } = catalogue;
    expect(plan.id).toMatch(/^plan_[0-9A-Z]{26}$/);
    expect(plan).toMatchObject({ name: 'Pro', description: 'For growing teams', status: 'published' });

    expect(fixed).toMatchObject({
      entity_type: 'PLAN',
      entity_id: plan.id,
      type: 'FIXED',
      price_unit_type: 'FIAT',
      currency: 'usd',
      amount: '49',
      display_amount: '$49',
      billing_model: 'FLAT_FEE',
      billing_period: 'MONTHLY',
      billing_period_count: 1,
      invoice_cadence: 'ADVANCE',
      meter_id: '',
    });

    expect(usage).toMatchObject({
      entity_id: plan.id,
      type: 'USAGE',
      billing_model: 'TIERED',
      tier_mode: 'SLAB',
      invoice_cadence: 'ARREAR',
      meter_id: feature.meter_id,
    });
    // "0.10" comes back with its trailing zero trimmed; the open-ended last tier has no up_to.
    expect(usage.tiers).toHaveLength(3);
    expect(usage.tiers?.[0]).toMatchObject({ up_to: 1000, unit_amount: '0.1' });
    expect(usage.tiers?.[1]).toMatchObject({ up_to: 5000, unit_amount: '0.08', flat_amount: '10' });
    expect(usage.tiers?.[2]).toMatchObject({ unit_amount: '0.05' });
    expect(usage.tiers?.[2].up_to ?? null).toBeNull();
  });

  it('creates a monthly usage limit of 1000 on the plan', () => {
    const { entitlement, plan, feature } = catalogue;
    expect(entitlement.id).toMatch(/^ent_[0-9A-Z]{26}$/);
    expect(entitlement).toMatchObject({
      entity_type: 'PLAN',
      entity_id: plan.id,
      feature_id: feature.id,
      feature_type: 'metered',
      usage_limit: 1000,
      usage_reset_period: 'MONTHLY',
      is_enabled: true,
    });
  });

  it('reads the plan back with both prices and the entitlement embedded', async () => {
    const { plan, fixed, usage, entitlement } = catalogue;
    const read = await tally.plans.getPlan({ id: plan.id });
    expect(read.id).toBe(plan.id);
    expect(read.prices?.map((p) => p.id).sort()).toEqual([fixed.id, usage.id].sort());
    expect(read.entitlements?.map((e) => e.id)).toEqual([entitlement.id]);
    const embeddedUsage = read.prices?.find((p) => p.id === usage.id);
    expect(embeddedUsage?.tiers?.map((t) => t.unit_amount)).toEqual(['0.1', '0.08', '0.05']);
    expect(read.prices?.find((p) => p.id === fixed.id)?.amount).toBe('49');
  });

  it('previews the cost of the graduated usage price: 6000 calls cost 480, 1000 cost 100', async () => {
    const { usage } = catalogue;
    const sixThousand = await tally.prices.getPriceCost({ id: usage.id, priceCostRequest: { quantity: '6000' } });
    // 1000 × 0.10 + (4000 × 0.08 + 10) + 1000 × 0.05 = 100 + 330 + 50
    expect(sixThousand).toMatchObject({ price_id: usage.id, currency: 'usd', billing_model: 'TIERED', tier_mode: 'SLAB', quantity: '6000', amount: '480' });
    expect(sixThousand.breakdown.map((tier) => tier.amount)).toEqual(['100', '330', '50']);

    const oneThousand = await tally.prices.getPriceCost({ id: usage.id, priceCostRequest: { quantity: '1000' } });
    expect(oneThousand.amount).toBe('100');
  });

  it('previews the cost of the fixed fee: 3 seats cost 147', async () => {
    const cost = await tally.prices.getPriceCost({ id: catalogue.fixed.id, priceCostRequest: { quantity: '3' } });
    expect(cost).toMatchObject({ billing_model: 'FLAT_FEE', quantity: '3', amount: '147' });
  });

  it('finds the coupon by its code in another letter case', async () => {
    const { coupon, couponCode } = catalogue;
    expect(coupon).toMatchObject({ type: 'percentage', cadence: 'forever', percentage_off: '20', coupon_code: couponCode.toLowerCase(), total_redemptions: 0 });
    const found = await tally.coupons.getCouponByCode({ code: couponCode.toLowerCase() });
    expect(found.id).toBe(coupon.id);
    const foundUpper = await tally.coupons.getCouponByCode({ code: couponCode });
    expect(foundUpper.id).toBe(coupon.id);
  });

  it('finds the plan in a search by lookup key and by name, with prices embedded on request', async () => {
    const { plan, fixed, usage } = catalogue;
    const byLookupKey = await tally.plans.queryPlan({ planFilter: { lookup_key: plan.lookup_key, expand: 'prices' } });
    expect(byLookupKey.items.map((p) => p.id)).toEqual([plan.id]);
    expect(byLookupKey.items[0].prices?.map((p) => p.id).sort()).toEqual([fixed.id, usage.id].sort());

    const byName = await tally.collectAll((page) =>
      tally.plans.queryPlan({ planFilter: { ...page, filters: [{ field: 'name', operator: 'eq', data_type: 'string', value: { string: 'Pro' } }] } }),
    );
    expect(byName.map((p) => p.id)).toContain(plan.id);

    const listed = await tally.collectAll((page) => tally.plans.listPlans(page));
    expect(listed.map((p) => p.id)).toContain(plan.id);
  });
});
