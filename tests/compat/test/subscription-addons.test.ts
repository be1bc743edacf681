import { beforeAll, describe, expect } from 'vitest';
import { flexprice, lastResponseBody, sdkTest, thrown, unique } from '../src/sdk-test.ts';

/**
 * Addons on a subscription through FlexPrice's TypeScript SDK, on the server's wall clock: a $20 a
 * month plan; "Backups", a $10 a month addon, attached now (no proration: no invoice), listed, then
 * removed (at the period end, by default).
 */
let planId: string;
let addonId: string;

beforeAll(async () => {
  const monthly = { currency: 'usd', billingPeriod: 'MONTHLY', billingPeriodCount: 1, billingModel: 'FLAT_FEE', billingCadence: 'RECURRING', priceUnitType: 'FIAT', type: 'FIXED', invoiceCadence: 'ADVANCE' } as const;
  planId = (await flexprice.plans.createPlan({ name: 'Host', lookupKey: unique('ad-plan') })).id!;
  await flexprice.prices.createPrice({ ...monthly, entityType: 'PLAN', entityId: planId, amount: '20', displayName: 'Hosting' });
  addonId = (await flexprice.addons.createAddon({ name: 'Backups', lookupKey: unique('ad-addon'), type: 'multiple_instance' })).id!;
  await flexprice.prices.createPrice({ ...monthly, entityType: 'ADDON', entityId: addonId, amount: '10', displayName: 'Backups' });
});

describe('addons on subscriptions', () => {
  sdkTest(
    'attaches an addon, lists its association and removes it at the period end',
    ['subscriptions.addSubscriptionAddon', 'subscriptions.getSubscriptionAddonAssociations', 'subscriptions.removeSubscriptionAddon'],
    async () => {
      const customerId = (await flexprice.customers.createCustomer({ externalId: unique('ad-cust'), name: 'Backer' })).id!;
      const sub = await flexprice.subscriptions.createSubscription({ customerId, planId, currency: 'usd', billingPeriod: 'MONTHLY', billingCadence: 'RECURRING' });
      const attached = await flexprice.subscriptions.addSubscriptionAddon({ subscriptionId: sub.id!, addonId, metadata: { source: 'sdk' } });
      expect(attached).toMatchObject({ entityId: sub.id, entityType: 'subscription', addonId, addonStatus: 'active', metadata: { source: 'sdk' }, status: 'published' });
      expect(attached.id).toMatch(/^addon_assoc_[0-9A-Z]{26}$/);
      const read = await flexprice.subscriptions.getSubscription(sub.id!);
      expect(read.lineItems!.filter((l) => l.entityType === 'addon').map((l) => [l.entityId, l.displayName, l.quantity])).toEqual([[addonId, 'Backups', '1']]);

      // The SDK expects a bare array (FlexPrice's spec says so); FlexPrice's server and Tally send
      // {items, pagination}, which the SDK refuses to parse. The body is checked as sent.
      await thrown(() => flexprice.subscriptions.getSubscriptionAddonAssociations(sub.id!));
      const listed = await lastResponseBody();
      expect(listed.items.map((a: { id: string; addon: { name: string } }) => [a.id, a.addon.name])).toEqual([[attached.id, 'Backups']]);
      expect(listed.pagination).toEqual({ total: 1, limit: 0, offset: 0 });

      const removed = await flexprice.subscriptions.removeSubscriptionAddon({ addonAssociationId: attached.id!, reason: 'not needed' });
      expect(removed).toEqual({ message: 'addon removed from subscription successfully' });
      await thrown(() => flexprice.subscriptions.getSubscriptionAddonAssociations(sub.id!));
      expect((await lastResponseBody()).items).toEqual([]);
      const after = await flexprice.subscriptions.getSubscription(sub.id!);
      expect(after.lineItems!.filter((l) => l.entityType === 'addon').map((l) => l.endDate)).toEqual([after.currentPeriodEnd]);
    },
  );
});
