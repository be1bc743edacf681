import { beforeAll, describe, expect } from 'vitest';
import { flexprice, lastResponseBody, sdkTest, thrown, unique } from '../src/sdk-test.ts';

/**
 * Credit grants through FlexPrice's SDK: a plan's monthly grant copied onto a new subscription and
 * credited at once, a subscription's own grant, the upcoming applications, update and delete.
 */
describe('credit grants', () => {
  let planId: string;

  beforeAll(async () => {
    planId = (await flexprice.plans.createPlan({ name: 'Granted', lookupKey: unique('cg-plan') })).id!;
    await flexprice.prices.createPrice({ entityType: 'PLAN', entityId: planId, currency: 'usd', billingPeriod: 'MONTHLY', billingPeriodCount: 1, billingModel: 'FLAT_FEE', billingCadence: 'RECURRING', priceUnitType: 'FIAT', type: 'FIXED', amount: '20', invoiceCadence: 'ADVANCE' });
  });

  sdkTest(
    'creates a plan’s monthly grant, lists and reads it, and a new subscription is credited 1,000 at once',
    ['creditGrants.createCreditGrant', 'creditGrants.getCreditGrant', 'creditGrants.getPlanCreditGrants', 'subscriptions.getSubscriptionUpcomingGrants', 'customers.getCustomerUpcomingGrants'],
    async () => {
      const template = await flexprice.creditGrants.createCreditGrant({ name: 'Monthly credits', scope: 'PLAN', planId, credits: '1000', cadence: 'RECURRING', period: 'MONTHLY', periodCount: 1, expirationType: 'BILLING_CYCLE', priority: 1 });
      expect(template.id).toMatch(/^cg_[0-9A-Z]{26}$/);
      expect(template).toMatchObject({ scope: 'PLAN', planId, credits: '1000', cadence: 'RECURRING', period: 'MONTHLY', periodCount: 1, expirationType: 'BILLING_CYCLE', priority: 1, status: 'published' });
      expect(await flexprice.creditGrants.getCreditGrant(template.id!)).toEqual(template);
      expect((await flexprice.creditGrants.getPlanCreditGrants(planId)).items!.map((g) => g.id)).toEqual([template.id]);

      const customer = await flexprice.customers.createCustomer({ externalId: unique('granted'), name: 'Granted' });
      const sub = await flexprice.subscriptions.createSubscription({ customerId: customer.id!, planId, currency: 'usd', billingPeriod: 'MONTHLY', billingCadence: 'RECURRING' });
      const wallets = await flexprice.wallets.getWalletsByCustomerId(customer.id!);
      expect(wallets.map((w) => [w.walletType, w.creditBalance])).toEqual([['PRE_PAID', '1000']]);
      const upcoming = await flexprice.subscriptions.getSubscriptionUpcomingGrants(sub.id!);
      expect(upcoming.items!.map((a) => [a.applicationStatus, a.applicationReason, a.credits, a.scheduledFor === sub.currentPeriodEnd])).toEqual([['pending', 'recurring_credit_grant', 1000, true]]);
      // The SDK types `credits` as a number; Tally, like every amount, sends a decimal string.
      expect((await lastResponseBody()).items[0].credits).toBe('1000');
      const forCustomer = await flexprice.customers.getCustomerUpcomingGrants(customer.id!);
      expect(forCustomer.items!.map((a) => a.id)).toEqual(upcoming.items!.map((a) => a.id));
    },
  );

  sdkTest('updates and deletes a subscription’s own grant; a refused one names the field', ['creditGrants.updateCreditGrant', 'creditGrants.deleteCreditGrant'], async () => {
    const customer = await flexprice.customers.createCustomer({ externalId: unique('boosted'), name: 'Boosted' });
    const sub = await flexprice.subscriptions.createSubscription({ customerId: customer.id!, planId, currency: 'usd', billingPeriod: 'MONTHLY', billingCadence: 'RECURRING' });
    const start = new Date(Date.now() + 86_400_000).toISOString();
    const grant = await flexprice.creditGrants.createCreditGrant({ name: 'Boost', scope: 'SUBSCRIPTION', subscriptionId: sub.id!, credits: '50', cadence: 'ONETIME', expirationType: 'NEVER', startDate: start });
    expect(grant).toMatchObject({ scope: 'SUBSCRIPTION', subscriptionId: sub.id, credits: '50' });
    const renamed = await flexprice.creditGrants.updateCreditGrant(grant.id!, { name: 'Big boost', metadata: { reason: 'support' } });
    expect(renamed).toMatchObject({ name: 'Big boost', metadata: { reason: 'support' } });
    const ids = async () => (await flexprice.subscriptions.getSubscriptionUpcomingGrants(sub.id!)).items!.filter((a) => a.creditGrantId === grant.id).length;
    expect(await ids()).toBe(1);
    await flexprice.creditGrants.deleteCreditGrant(grant.id!);
    expect(await lastResponseBody()).toEqual({ message: 'credit grant deleted successfully' });
    expect(await ids()).toBe(0);
    expect((await flexprice.creditGrants.getCreditGrant(grant.id!)).endDate).toBeDefined();
    const refused = await thrown(() => flexprice.creditGrants.createCreditGrant({ name: 'No start', scope: 'SUBSCRIPTION', subscriptionId: sub.id!, credits: '5', cadence: 'ONETIME', expirationType: 'NEVER' }));
    expect(refused.statusCode).toBe(400);
    expect((await lastResponseBody()).details).toHaveProperty('start_date');
  });
});
