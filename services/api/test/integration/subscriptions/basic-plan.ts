import { beforeAll } from 'vitest';
import { at, subscribe } from '../../support/billing.ts';
import { createCustomer, createPlan, createPrice, fixedPrice } from '../../support/fixtures.ts';
import type { TestServer } from '../../support/test-server.ts';

/**
 * A plan "Basic" of $30 a month in advance, made on 1 June 2025 before the file's tests, and a way to
 * subscribe a new customer to it (monthly, in USD): the setting of the cancel, schedule and pause tests.
 */
export function useBasicPlan(server: TestServer): (extra?: Record<string, unknown>) => Promise<any> {
  let planId = '';
  beforeAll(async () => {
    at(server, '2025-06-01T00:00:00Z');
    const plan = await createPlan(server.api, { name: 'Basic' });
    await createPrice(server.api, fixedPrice(plan.id, { amount: '30' }));
    planId = plan.id;
  });
  return async (extra = {}) => {
    const customer = await createCustomer(server.api);
    return subscribe(server.api, { customer_id: customer.id, plan_id: planId, currency: 'usd', billing_period: 'MONTHLY', ...extra });
  };
}
