// Two customers send the same 6,000 API calls in January on two plans with the same tiers — up to
// 1,000 calls at $0.10, up to 5,000 at $0.08 plus a $10 flat fee for reaching that tier, beyond at
// $0.05 — but one plan prices them by VOLUME (every call at the tier that holds the total), the
// other by SLAB (each tier's share of the calls at that tier's price). On 1 February Volta pays
// 6,000 × $0.05 = $300; Slate pays $100 + $320 + $10 + $50 = $480. In February each makes 1,000
// calls exactly — the first tier's upper bound, which is inclusive — and pays $100 on 1 March.
import { describe, expect, it } from 'vitest';
import { at, billAt, headlineOf, invoicesOf, linesOf, sendEvents, subscribe } from '../support/billing.ts';
import { createCustomer, createMeter, createPlan, createPrice, referenceTiers, usagePrice, useTestServer } from '../support/fixtures.ts';

const server = useTestServer();
let meter: any;
const customers: Record<'volume' | 'slab', any> = { volume: undefined, slab: undefined };
const subscriptions: Record<'volume' | 'slab', string> = { volume: '', slab: '' };

const january = ['2025-01-01T00:00:00.000Z', '2025-02-01T00:00:00.000Z'] as const;
const february = ['2025-02-01T00:00:00.000Z', '2025-03-01T00:00:00.000Z'] as const;

describe('the same usage priced by volume and by slab', () => {
  it('subscribes both customers on 1 January with nothing to bill in advance (the opening invoices are skipped)', async () => {
    at(server, '2025-01-01T00:00:00Z');
    const api = server.api;
    meter = await createMeter(api, { name: 'API calls' });
    for (const mode of ['volume', 'slab'] as const) {
      const plan = await createPlan(api, { name: mode === 'volume' ? 'Volume' : 'Slab' });
      await createPrice(api, usagePrice(plan.id, meter.id, { billing_model: 'TIERED', tier_mode: mode.toUpperCase(), tiers: referenceTiers, amount: undefined }));
      customers[mode] = await createCustomer(api, { name: mode === 'volume' ? 'Volta' : 'Slate' });
      const sub = await subscribe(api, { customer_id: customers[mode].id, plan_id: plan.id, currency: 'usd', billing_period: 'MONTHLY' });
      subscriptions[mode] = sub.id;
      expect(sub.latest_invoice).toBeUndefined(); // a SKIPPED opening invoice is not embedded
      const [opening] = await invoicesOf(api, sub.id);
      expect(headlineOf(opening)).toMatchObject({ invoice_status: 'SKIPPED', billing_reason: 'SUBSCRIPTION_CREATE', subtotal: '0', total: '0', invoice_number: null });
    }
  });

  it('bills January’s 6,000 calls on 1 February: $300 by volume, $480 by slab', async () => {
    at(server, '2025-01-31T12:00:00Z');
    for (const mode of ['volume', 'slab'] as const) {
      await sendEvents(server.api, { eventName: meter.event_name, customer: customers[mode].external_id, timestamp: '2025-01-20T10:00:00Z', count: 6000, prefix: `jan-${mode}` });
    }
    expect(await billAt(server, '2025-02-01T00:00:00Z')).toBe(2); // two renewals, each finalizing its invoice

    const [, volume] = await invoicesOf(server.api, subscriptions.volume);
    expect(linesOf(volume)).toEqual([['API calls', '6000', '300', ...january]]); // 6,000 is in the open tier: 6,000 × $0.05 = $300
    expect(headlineOf(volume)).toEqual({
      invoice_status: 'FINALIZED',
      payment_status: 'PENDING',
      billing_reason: 'SUBSCRIPTION_CYCLE',
      period_start: january[0],
      period_end: january[1],
      subtotal: '300',
      total_discount: '0',
      total_tax: '0',
      total: '300',
      amount_due: '300',
      invoice_number: expect.stringMatching(/^INV-202502-0000[12]$/), // the two finalize side by side: either takes 00001
    });

    const [, slab] = await invoicesOf(server.api, subscriptions.slab);
    // 1,000 × $0.10 = $100; 4,000 × $0.08 = $320, + $10 for reaching the tier; 1,000 × $0.05 = $50: $480
    expect(linesOf(slab)).toEqual([['API calls', '6000', '480', ...january]]);
    expect(headlineOf(slab)).toEqual({
      invoice_status: 'FINALIZED',
      payment_status: 'PENDING',
      billing_reason: 'SUBSCRIPTION_CYCLE',
      period_start: january[0],
      period_end: january[1],
      subtotal: '480',
      total_discount: '0',
      total_tax: '0',
      total: '480',
      amount_due: '480',
      invoice_number: expect.stringMatching(/^INV-202502-0000[12]$/),
    });
    expect(slab.invoice_number).not.toBe(volume.invoice_number);
  });

  it('bills exactly 1,000 February calls at the first tier on 1 March: $100 either way', async () => {
    at(server, '2025-02-28T12:00:00Z');
    for (const mode of ['volume', 'slab'] as const) {
      await sendEvents(server.api, { eventName: meter.event_name, customer: customers[mode].external_id, timestamp: '2025-02-10T10:00:00Z', count: 1000, prefix: `feb-${mode}` });
    }
    expect(await billAt(server, '2025-03-01T00:00:00Z')).toBe(2);
    for (const mode of ['volume', 'slab'] as const) {
      const invoices = await invoicesOf(server.api, subscriptions[mode]);
      expect(invoices).toHaveLength(3);
      // up_to is inclusive: the 1,000th call is still in the first tier, 1,000 × $0.10 = $100 (no flat fee)
      expect(linesOf(invoices[2])).toEqual([['API calls', '1000', '100', ...february]]);
      expect(headlineOf(invoices[2])).toMatchObject({ subtotal: '100', total_discount: '0', total_tax: '0', total: '100', amount_due: '100' });
    }
  });
});
