// FlexPrice's pricing example as a Tally catalogue: a metered feature with its own meter, a plan
// with a $49/month platform fee and graduated API-call pricing, 1000 calls a month included, and a
// 20 % coupon. Runnable against a local Tally: `npm start` at the repository root, then
//   export TALLY_API_KEY=$(cat .data/bootstrap-api-key)
//   npm run build -w @tally/sdk && node packages/sdk-typescript/examples/catalogue.ts
import { Tally } from '@tally/sdk';

const tally = new Tally(); // TALLY_API_KEY; TALLY_BASE_URL or http://localhost:8080/v1
const suffix = Date.now(); // lookup keys and coupon codes are unique per environment

const feature = await tally.features.createFeature({
  createFeatureRequest: {
    name: 'API calls',
    type: 'metered',
    lookup_key: `api_calls_${suffix}`,
    meter: { name: 'API calls', event_name: 'api_call', aggregation: { type: 'COUNT' }, reset_usage: 'BILLING_PERIOD' },
  },
});
const plan = await tally.plans.createPlan({ createPlanRequest: { name: 'Pro', lookup_key: `pro_${suffix}` } });

const monthly = { currency: 'usd', billing_period: 'MONTHLY', billing_period_count: 1, price_unit_type: 'FIAT' } as const;
const fee = await tally.prices.createPrice({
  createPriceRequest: { ...monthly, entity_type: 'PLAN', entity_id: plan.id, type: 'FIXED', billing_model: 'FLAT_FEE', amount: '49', invoice_cadence: 'ADVANCE' },
});
const calls = await tally.prices.createPrice({
  createPriceRequest: {
    ...monthly,
    entity_type: 'PLAN',
    entity_id: plan.id,
    type: 'USAGE',
    meter_id: feature.meter_id,
    billing_model: 'TIERED',
    tier_mode: 'SLAB', // graduated: each tier prices the calls that fall inside it
    tiers: [
      { up_to: 1000, unit_amount: '0.10' },
      { up_to: 5000, unit_amount: '0.08', flat_amount: '10' },
      { up_to: null, unit_amount: '0.05' },
    ],
    invoice_cadence: 'ARREAR',
  },
});
await tally.entitlements.createEntitlement({
  createEntitlementRequest: { entity_type: 'PLAN', entity_id: plan.id, feature_id: feature.id, feature_type: 'metered', usage_limit: 1000, usage_reset_period: 'MONTHLY' },
});
const coupon = await tally.coupons.createCoupon({
  createCouponRequest: { name: 'Launch', type: 'percentage', percentage_off: '20', cadence: 'forever', coupon_code: `LAUNCH${suffix}` },
});

const pro = await tally.plans.getPlan({ id: plan.id }); // prices and entitlements embedded
console.log(`${pro.name}: ${pro.prices?.length} prices, ${pro.entitlements?.length} entitlement; fee ${fee.display_amount}/month`);

const cost = await tally.prices.getPriceCost({ id: calls.id, priceCostRequest: { quantity: '6000' } });
console.log(`6000 calls cost ${cost.amount} ${cost.currency}: ${cost.breakdown.map((tier) => tier.amount).join(' + ')}`); // 480: 100 + 330 + 50

const found = await tally.coupons.getCouponByCode({ code: `launch${suffix}` }); // any letter case
console.log(`coupon ${found.coupon_code}: ${found.percentage_off} % off, ${coupon.cadence}`);
