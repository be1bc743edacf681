import { beforeAll, describe, expect } from 'vitest';
import { flexprice, sdkTest, unique } from '../src/sdk-test.ts';

/**
 * A subscription's line items after its creation through FlexPrice's SDK, on the server's wall
 * clock: an inline $5 a month in-arrear price added, re-priced to $7 (the line ends, a successor
 * starts on a SUBSCRIPTION-scoped copy), and the successor ended.
 */
let planId: string;

beforeAll(async () => {
  planId = (await flexprice.plans.createPlan({ name: 'Lines', lookupKey: unique('li-plan') })).id!;
  await flexprice.prices.createPrice({
    entityType: 'PLAN', entityId: planId, currency: 'usd', billingPeriod: 'MONTHLY', billingPeriodCount: 1, billingModel: 'FLAT_FEE', billingCadence: 'RECURRING',
    priceUnitType: 'FIAT', type: 'FIXED', amount: '20', invoiceCadence: 'ADVANCE', displayName: 'Platform fee',
  });
});

describe('subscription line items', () => {
  sdkTest(
    'adds an inline $5 line, re-prices it to $7 and ends the successor',
    ['subscriptions.createSubscriptionLineItem', 'subscriptions.updateSubscriptionLineItem', 'subscriptions.deleteSubscriptionLineItem'],
    async () => {
      const customerId = (await flexprice.customers.createCustomer({ externalId: unique('li-cust'), name: 'Liner' })).id!;
      const sub = await flexprice.subscriptions.createSubscription({ customerId, planId, currency: 'usd', billingPeriod: 'MONTHLY', billingCadence: 'RECURRING' });
      const added = await flexprice.subscriptions.createSubscriptionLineItem(sub.id!, {
        price: { type: 'FIXED', amount: '5', billingPeriod: 'MONTHLY', billingPeriodCount: 1, billingModel: 'FLAT_FEE', invoiceCadence: 'ARREAR', billingCadence: 'RECURRING', priceUnitType: 'FIAT' } as never,
        displayName: 'Extra support',
      });
      expect(added).toMatchObject({ subscriptionId: sub.id, entityType: 'subscription', displayName: 'Extra support', quantity: '1', priceType: 'FIXED', invoiceCadence: 'ARREAR', price: { amount: '5', entityType: 'SUBSCRIPTION' } });
      expect(added.id).toMatch(/^subs_line_[0-9A-Z]{26}$/);

      const repriced = await flexprice.subscriptions.updateSubscriptionLineItem(added.id!, { amount: '7' });
      expect(repriced.id).not.toBe(added.id);
      expect(repriced).toMatchObject({ subscriptionId: sub.id, displayName: 'Extra support', price: { amount: '7', parentPriceId: added.priceId } });

      const ended = await flexprice.subscriptions.deleteSubscriptionLineItem(repriced.id!, {});
      expect(ended).toMatchObject({ id: repriced.id });
      expect(ended.endDate).toBeDefined();
      const read = await flexprice.subscriptions.getSubscription(sub.id!);
      expect(read.lineItems!.filter((l) => l.displayName === 'Extra support').map((l) => Boolean(l.endDate))).toEqual([true, true]);
    },
  );
});
