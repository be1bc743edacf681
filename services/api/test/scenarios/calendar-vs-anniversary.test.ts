// Three customers subscribe on 16 April 2025 to Team, $30 a month in advance:
// - Hal, anniversary billing: his months run 16 April → 16 May → 16 June; $30 each.
// - Ivy, calendar billing: her first period is the rest of April (16 April → 1 May) at the full $30
//   (no proration asked), then calendar months.
// - Jon, calendar billing with create_prorations: the same short first period charged by the time it
//   covers: 15 days of April's 30 → $15.00. (FlexPrice's coefficient counts seconds, less one:
//   (1 May − 1 s − 16 Apr) ÷ (1 May − 1 s − 1 Apr) = 1,295,999 ÷ 2,591,999 → $15.00 after rounding.)
import { describe, expect, it } from 'vitest';
import { at, billAt, invoicesOf, linesOf, subscribe } from '../support/billing.ts';
import { createCustomer, createPlan, createPrice, fixedPrice, useTestServer } from '../support/fixtures.ts';

const server = useTestServer();
const subs: Record<string, any> = {};

describe('calendar or anniversary billing from 16 April', () => {
  it('opens each subscription with its first period and charge', async () => {
    at(server, '2025-04-16T00:00:00Z');
    const api = server.api;
    const plan = await createPlan(api, { name: 'Team' });
    await createPrice(api, fixedPrice(plan.id, { amount: '30' }));
    for (const [name, cycle, proration] of [
      ['hal', 'anniversary', 'none'],
      ['ivy', 'calendar', 'none'],
      ['jon', 'calendar', 'create_prorations'],
    ] as const) {
      const customer = await createCustomer(api, { name });
      subs[name] = await subscribe(api, { customer_id: customer.id, plan_id: plan.id, currency: 'usd', billing_period: 'MONTHLY', billing_cycle: cycle, proration_behavior: proration });
    }
    expect(subs.hal).toMatchObject({ billing_anchor: '2025-04-16T00:00:00.000Z', current_period_end: '2025-05-16T00:00:00.000Z' });
    expect(subs.ivy).toMatchObject({ billing_anchor: '2025-05-01T00:00:00.000Z', current_period_end: '2025-05-01T00:00:00.000Z' });
    expect(linesOf(subs.hal.latest_invoice)).toEqual([['Team', '1', '30', '2025-04-16T00:00:00.000Z', '2025-05-16T00:00:00.000Z']]);
    expect(linesOf(subs.ivy.latest_invoice)).toEqual([['Team', '1', '30', '2025-04-16T00:00:00.000Z', '2025-05-01T00:00:00.000Z']]); // full price, no proration asked
    expect(linesOf(subs.jon.latest_invoice)).toEqual([['Team', '1', '15', '2025-04-16T00:00:00.000Z', '2025-05-01T00:00:00.000Z']]); // $30 × 15/30 days
  });

  it('renews the calendar subscriptions on 1 May for May, and the anniversary one on 16 May', async () => {
    await billAt(server, '2025-05-01T00:00:00Z');
    for (const name of ['ivy', 'jon']) {
      const [, may] = await invoicesOf(server.api, subs[name].id);
      expect(linesOf(may)).toEqual([['Team', '1', '30', '2025-05-01T00:00:00.000Z', '2025-06-01T00:00:00.000Z']]); // a whole month, whole price
      expect(may).toMatchObject({ period_start: '2025-04-16T00:00:00.000Z', period_end: '2025-05-01T00:00:00.000Z' });
    }
    expect(await invoicesOf(server.api, subs.hal.id)).toHaveLength(1);
    await billAt(server, '2025-05-16T00:00:00Z');
    const [, second] = await invoicesOf(server.api, subs.hal.id);
    expect(linesOf(second)).toEqual([['Team', '1', '30', '2025-05-16T00:00:00.000Z', '2025-06-16T00:00:00.000Z']]);
  });
});
