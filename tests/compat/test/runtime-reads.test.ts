import { beforeAll, describe, expect } from 'vitest';
import { flexprice, sdkTest, unique } from '../src/sdk-test.ts';

/**
 * What customers and apps ask at run time, through FlexPrice's SDK on the server's wall clock: a plan
 * at $0.01 a call with 1,000 calls included a month, a customer subscribed now who has made 3,000
 * calls — its entitlements, its usage against them (300%), the usage's charges so far ($20.00 for the
 * 2,000 beyond the allowance) and the calls' list cost ($30.00).
 */
let featureId: string;
let planId: string;
let customerId: string;
let externalId: string;
let subscriptionId: string;

beforeAll(async () => {
  const key = unique('rt-calls');
  const feature = await flexprice.features.createFeature({
    name: 'Calls',
    type: 'metered',
    lookupKey: key,
    meter: { name: 'Calls', eventName: `${key}.call`, aggregation: { type: 'COUNT' }, resetUsage: 'BILLING_PERIOD' },
  });
  featureId = feature.id!;
  planId = (await flexprice.plans.createPlan({ name: 'Metered', lookupKey: unique('rt-plan') })).id!;
  await flexprice.prices.createPrice({
    entityType: 'PLAN',
    entityId: planId,
    currency: 'usd',
    billingPeriod: 'MONTHLY',
    billingPeriodCount: 1,
    billingModel: 'FLAT_FEE',
    billingCadence: 'RECURRING',
    priceUnitType: 'FIAT',
    type: 'USAGE',
    meterId: feature.meterId!,
    amount: '0.01',
    invoiceCadence: 'ARREAR',
    displayName: 'Calls',
  });
  await flexprice.entitlements.createEntitlement({ planId, featureId, featureType: 'metered', usageLimit: 1000, usageResetPeriod: 'MONTHLY' });
  externalId = unique('rt-customer');
  customerId = (await flexprice.customers.createCustomer({ externalId, name: 'Caller' })).id!;
  subscriptionId = (await flexprice.subscriptions.createSubscription({ customerId, planId, currency: 'usd', billingPeriod: 'MONTHLY', billingCadence: 'RECURRING' })).id!;
  for (let batch = 0; batch < 3; batch++) {
    const events = Array.from({ length: 1000 }, (_, i) => ({ eventName: `${key}.call`, externalCustomerId: externalId, eventId: `${subscriptionId}-${batch}-${i}` }));
    await flexprice.events.ingestEventsBulk({ events });
  }
});

describe('entitlements and usage at run time', () => {
  sdkTest('reads a subscription’s and a customer’s entitlements: 1,000 calls a month, from the plan', ['subscriptions.getSubscriptionEntitlements', 'customers.getCustomerEntitlements'], async () => {
    const sub = await flexprice.subscriptions.getSubscriptionEntitlements(subscriptionId, [featureId]);
    expect(sub).toMatchObject({ subscriptionId, planId });
    expect(sub.features).toHaveLength(1);
    expect(sub.features![0]!.feature!.id).toBe(featureId);
    expect(sub.features![0]!.entitlement).toMatchObject({ isEnabled: true, usageLimit: 1000, isSoftLimit: false, usageResetPeriod: 'MONTHLY' });
    expect(sub.features![0]!.sources).toEqual([expect.objectContaining({ subscriptionId, entityType: 'plan', entityId: planId, entityName: 'Metered', quantity: 1, usageLimit: 1000 })]);

    const customer = await flexprice.customers.getCustomerEntitlements(customerId);
    expect(customer.customerId).toBe(customerId);
    expect(customer.features!.map((f) => [f.feature!.id, f.entitlement!.usageLimit])).toEqual([[featureId, 1000]]);
  });

  sdkTest('summarises the customer’s usage: 3,000 of 1,000 calls, 300%', ['customers.getCustomerUsageSummary'], async () => {
    const summary = await flexprice.customers.getCustomerUsageSummary({ customerLookupKey: externalId, featureIds: [featureId] });
    expect(summary.customerId).toBe(customerId);
    expect(summary.features).toHaveLength(1);
    expect(summary.features![0]).toMatchObject({ currentUsage: '3000', totalLimit: 1000, usagePercent: '300', isEnabled: true, isUnlimited: false, isSoftLimit: false });
    expect(summary.period).toMatchObject({ period: 'MONTHLY' });
  });

  sdkTest('prices the subscription’s usage so far: 2,000 calls beyond the allowance × $0.01 = $20', ['subscriptions.getSubscriptionUsage'], async () => {
    const usage = await flexprice.subscriptions.getSubscriptionUsage({ subscriptionId });
    expect(usage).toMatchObject({ amount: 20, currency: 'usd', displayAmount: '$20' });
    expect(usage.charges).toHaveLength(1);
    expect(usage.charges![0]).toMatchObject({ quantity: 2000, amount: 20, displayAmount: '$20', isOverage: false });
  });

  sdkTest('reports the calls’ list cost over the last hour: 3,000 × $0.01 = $30', ['events.getUsageAnalytics'], async () => {
    const now = Date.now();
    const analytics = await flexprice.events.getUsageAnalytics({
      externalCustomerId: externalId,
      startTime: new Date(now - 3_600_000).toISOString(),
      endTime: new Date(now + 60_000).toISOString(),
    });
    expect(analytics).toMatchObject({ totalCost: '30', currency: 'usd' });
    expect(analytics.items).toHaveLength(1);
    expect(analytics.items![0]).toMatchObject({ featureId, subscriptionId, totalUsage: '3000', totalCost: '30', aggregationType: 'COUNT' });
  });
});
