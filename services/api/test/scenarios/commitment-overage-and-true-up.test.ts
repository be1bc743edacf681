// Two customers commit to spend $100 a month on calls at $0.01, paying 1.5× for what they use beyond
// it. Dana makes 14,000 calls in January ($140 at list price): $100 within the commitment and $40 of
// usage beyond it at 1.5× = $60, $160 in all. Eli, whose commitment has a true-up, makes 7,000 calls
// ($70): he pays the $70 and a $30 true-up, the commitment's unused part.
import { describe, expect, it } from 'vitest';
import { at, billAt, invoicesOf, linesOf, sendEvents, subscribe } from '../support/billing.ts';
import { createCustomer, createMeter, createPlan, createPrice, usagePrice, useTestServer } from '../support/fixtures.ts';

const server = useTestServer();
const subs: Record<string, { id: string; customer: string }> = {};
let eventName: string;

describe('a $100 monthly commitment with overage at 1.5× and a true-up', () => {
  it('subscribes Dana (commitment) and Eli (commitment with true-up) on 1 January', async () => {
    at(server, '2025-01-01T00:00:00Z');
    const api = server.api;
    const meter = await createMeter(api, { name: 'Calls' });
    eventName = meter.event_name;
    const plan = await createPlan(api, { name: 'Committed' });
    await createPrice(api, usagePrice(plan.id, meter.id, { amount: '0.01' }));
    for (const [name, trueUp] of [['dana', false], ['eli', true]] as const) {
      const customer = await createCustomer(api, { name });
      const sub = await subscribe(api, {
        customer_id: customer.id,
        plan_id: plan.id,
        currency: 'usd',
        billing_period: 'MONTHLY',
        commitment_amount: '100',
        overage_factor: '1.5',
        enable_true_up: trueUp,
      });
      expect(sub).toMatchObject({ commitment_amount: '100', overage_factor: '1.5', enable_true_up: trueUp });
      subs[name] = { id: sub.id, customer: customer.external_id };
    }
    at(server, '2025-01-31T00:00:00Z');
    await sendEvents(api, { eventName, customer: subs.dana!.customer, timestamp: '2025-01-10T00:00:00Z', count: 14000, prefix: 'dana' });
    await sendEvents(api, { eventName, customer: subs.eli!.customer, timestamp: '2025-01-10T00:00:00Z', count: 7000, prefix: 'eli' });
    await billAt(server, '2025-02-01T00:00:00Z');
  });

  it('Dana: $140 of calls → $100 within the commitment + $40 × 1.5 = $60 overage → $160', async () => {
    const [, january] = await invoicesOf(server.api, subs.dana!.id);
    expect(linesOf(january)).toEqual([
      ['Calls', '10000', '100', '2025-01-01T00:00:00.000Z', '2025-02-01T00:00:00.000Z'], // 10,000 × $0.01 within the commitment
      ['Calls (Overage)', '4000', '60', '2025-01-01T00:00:00.000Z', '2025-02-01T00:00:00.000Z'], // 4,000 × $0.01 × 1.5
    ]);
    expect(january.line_items[1].metadata).toEqual({ description: 'Calls (Overage)', is_overage: 'true', overage_factor: '1.5' });
    expect(january.line_items[1].commitment_info).toMatchObject({ type: 'amount', amount: '100', overage_factor: '1.5', computed_overage_amount: '60' });
    expect(january).toMatchObject({ subtotal: '160', total: '160' });
  });

  it('Eli: $70 of calls and a $30 true-up → $100', async () => {
    const [, january] = await invoicesOf(server.api, subs.eli!.id);
    expect(linesOf(january)).toEqual([
      ['Calls', '7000', '70', '2025-01-01T00:00:00.000Z', '2025-02-01T00:00:00.000Z'], // 7,000 × $0.01
      ['Committed True Up', '1', '30', '2025-01-01T00:00:00.000Z', '2025-02-01T00:00:00.000Z'], // $100 − $70
    ]);
    expect(january.line_items[1].metadata).toEqual({ description: 'Committed True Up', is_commitment_trueup: 'true', commitment_amount: '100', commitment_utilized: '70' });
    expect(january).toMatchObject({ subtotal: '100', total: '100' });
  });
});
