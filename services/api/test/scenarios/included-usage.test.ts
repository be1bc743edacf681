// Three customers of an API plan at $0.01 per call, each with calls included by an entitlement that
// resets differently:
// - Ada: 1,000 calls included each month on a monthly plan. She makes 3,500 in January: 2,500 are
//   billed, $25.00, and the invoice line shows the 1,000 included (adjusted_entitlement_quantity).
// - Bo: 100 calls included each day. Over January he makes 150 calls on 10 January and 80 on
//   20 January: only the 50 above the 10 January allowance are billed, $0.50.
// - Cy: 1,000 calls included each month on a quarterly plan. In Q1 he makes 1,500 in January,
//   500 in February and 2,000 in March: 500 + 0 + 1,000 = 1,500 billed, $15.00.
import { describe, expect, it } from 'vitest';
import { at, billAt, invoicesOf, sendEvents, subscribe } from '../support/billing.ts';
import { createCustomer, createEntitlement, createFeature, createPlan, createPrice, usagePrice, useTestServer } from '../support/fixtures.ts';

const server = useTestServer();

/** A plan billing `period` with $0.01 per call and `limit` calls included per `reset`; its feature's meter. */
async function apiPlan(period: string, limit: number, reset: string) {
  const api = server.api;
  const feature = await createFeature.metered(api, { type: 'COUNT' });
  const plan = await createPlan(api, { name: `API ${reset}` });
  await createPrice(api, usagePrice(plan.id, feature.meter_id, { amount: '0.01', billing_period: period, display_name: 'Calls' }));
  await createEntitlement(api, { plan_id: plan.id, feature_id: feature.id, feature_type: 'metered', usage_limit: limit, usage_reset_period: reset });
  return { plan, eventName: feature.meter.event_name as string };
}

const usageLine = (invoice: any) => {
  const l = invoice.line_items.find((x: any) => x.price_type === 'USAGE');
  return { quantity: l.quantity, adjusted_entitlement_quantity: l.adjusted_entitlement_quantity, amount: l.amount };
};

describe('included usage, by reset period', () => {
  const subs: Record<string, { id: string; customer: string; eventName: string }> = {};

  it('subscribes three customers on 1 January; usage-only plans have nothing to bill yet (SKIPPED, not returned)', async () => {
    at(server, '2025-01-01T00:00:00Z');
    for (const [name, period, limit, reset] of [
      ['ada', 'MONTHLY', 1000, 'MONTHLY'],
      ['bo', 'MONTHLY', 100, 'DAILY'],
      ['cy', 'QUARTERLY', 1000, 'MONTHLY'],
    ] as const) {
      const { plan, eventName } = await apiPlan(period, limit, reset);
      const customer = await createCustomer(server.api, { name });
      const sub = await subscribe(server.api, { customer_id: customer.id, plan_id: plan.id, currency: 'usd', billing_period: period });
      expect(sub.latest_invoice).toBeUndefined();
      subs[name] = { id: sub.id, customer: customer.external_id, eventName };
    }
  });

  it('records the quarter’s usage (sent on 31 March, stamped when it happened)', async () => {
    at(server, '2025-03-31T00:00:00Z');
    const send = (name: string, timestamp: string, count: number, prefix: string) =>
      sendEvents(server.api, { eventName: subs[name]!.eventName, customer: subs[name]!.customer, timestamp, count, prefix });
    await send('ada', '2025-01-20T00:00:00Z', 3500, 'ada');
    await send('bo', '2025-01-10T09:00:00Z', 150, 'bo10');
    await send('bo', '2025-01-20T09:00:00Z', 80, 'bo20');
    await send('cy', '2025-01-15T00:00:00Z', 1500, 'cy1');
    await send('cy', '2025-02-15T00:00:00Z', 500, 'cy2');
    await send('cy', '2025-03-15T00:00:00Z', 2000, 'cy3');
  });

  it('Ada: 3,500 calls − 1,000 included = 2,500 billed → $25.00 (MONTHLY on a monthly plan)', async () => {
    await billAt(server, '2025-02-01T00:00:00Z');
    const [opening, january] = await invoicesOf(server.api, subs.ada!.id);
    expect(opening).toMatchObject({ invoice_status: 'SKIPPED', subtotal: '0', invoice_number: null });
    expect(usageLine(january)).toEqual({ quantity: '2500', adjusted_entitlement_quantity: '1000', amount: '25' }); // 2,500 × $0.01
    expect(january).toMatchObject({ subtotal: '25', total: '25', invoice_status: 'FINALIZED' });
  });

  it('Bo: 150 calls on 10 Jan and 80 on 20 Jan with 100 a day included → 50 billed → $0.50 (DAILY)', async () => {
    const [, january] = await invoicesOf(server.api, subs.bo!.id);
    // Σ over days of max(day − 100, 0) = (150 − 100) + 0 = 50; included = 230 − 50 = 180.
    expect(usageLine(january)).toEqual({ quantity: '50', adjusted_entitlement_quantity: '180', amount: '0.5' });
  });

  it('Cy: 1,000 included per month of a quarter: (1,500 − 1,000) + 0 + (2,000 − 1,000) = 1,500 → $15.00 (MONTHLY on a quarterly plan)', async () => {
    const cy = subs.cy!;
    await billAt(server, '2025-04-01T00:00:00Z');
    const invoices = await invoicesOf(server.api, cy.id);
    const q1 = invoices.find((i) => i.billing_reason === 'SUBSCRIPTION_CYCLE');
    expect(q1).toMatchObject({ period_start: '2025-01-01T00:00:00.000Z', period_end: '2025-04-01T00:00:00.000Z', total: '15' });
    expect(usageLine(q1)).toEqual({ quantity: '1500', adjusted_entitlement_quantity: '2500', amount: '15' }); // 4,000 used − 1,500 billed
  });
});
