import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InvoiceResponse, Tally } from '../src/index.js';
import { type RunningTally, startTally } from './tally-server.js';

// The billing loop through the SDK: a plan of $20 a month in advance plus $0.01 per API call in
// arrears; a customer on a test clock subscribes, makes 3,000 calls, and the clock is advanced past
// the period's end. The catalogue lives on the wall clock (prices take effect when created), so the
// clock is frozen just after the prices exist, and every expected date is computed from its time.

let server: RunningTally;
let tally: Tally;

beforeAll(async () => {
  server = await startTally();
  tally = new Tally({ apiKey: server.apiKey, baseUrl: server.baseUrl, initialRetryDelayMs: 10, maxRetryDelayMs: 50 });
});

afterAll(async () => {
  await server?.stop();
});

const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;
/** `INV-YYYYMM-` of an instant, in UTC (the month the invoice is finalized in). */
const numberPrefix = (d: Date) => `INV-${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}-`;
/** The same instant `n` calendar months later, the day clamped to the month's last (31 Jan + 1 → 28 Feb, + 2 → 31 Mar). */
function monthsLater(d: Date, n: number): Date {
  const next = new Date(d);
  next.setUTCDate(1);
  next.setUTCMonth(next.getUTCMonth() + n);
  const last = new Date(Date.UTC(next.getUTCFullYear(), next.getUTCMonth() + 1, 0)).getUTCDate();
  next.setUTCDate(Math.min(d.getUTCDate(), last));
  return next;
}

describe('the billing loop through the TypeScript SDK against a live Tally', () => {
  it('bills the opening fee, then a month of usage and the next fee, when the test clock is advanced', async () => {
    const eventName = unique('api_call');
    const meter = await tally.meters.createMeter({
      createMeterRequest: { name: 'API calls', event_name: eventName, aggregation: { type: 'SUM', field: 'calls' }, reset_usage: 'BILLING_PERIOD' },
    });
    const plan = await tally.plans.createPlan({ createPlanRequest: { name: 'Pro', lookup_key: unique('pro') } });
    const common = { entity_type: 'PLAN', entity_id: plan.id, price_unit_type: 'FIAT', currency: 'usd', billing_model: 'FLAT_FEE', billing_period: 'MONTHLY', billing_period_count: 1 } as const;
    await tally.prices.createPrice({ createPriceRequest: { ...common, type: 'FIXED', amount: '20', invoice_cadence: 'ADVANCE', display_name: 'Platform fee' } });
    await tally.prices.createPrice({ createPriceRequest: { ...common, type: 'USAGE', meter_id: meter.id, amount: '0.01', invoice_cadence: 'ARREAR', display_name: 'API calls' } });

    // Frozen at the next whole second: after the prices were created, so the clock sees them.
    const clock = await tally.testClocks.createTestClock({ createTestClockRequest: { name: 'billing loop', frozen_time: new Date(Math.ceil(Date.now() / 1000) * 1000 + 1000) } });
    const start = clock.frozen_time;
    const end = monthsLater(start, 1);
    const customer = await tally.customers.createCustomer({ createCustomerRequest: { external_id: unique('acme'), name: 'Acme', test_clock_id: clock.id } });

    const subscription = await tally.subscriptions.createSubscription({
      createSubscriptionRequest: { customer_id: customer.id, plan_id: plan.id, currency: 'usd', billing_period: 'MONTHLY' },
    });
    expect(subscription).toMatchObject({ subscription_status: 'active', start_date: start, current_period_start: start, current_period_end: end });

    // 3,000 calls, sent as three events a minute into the period (the clock's time + up to 5 minutes is accepted).
    const at = new Date(start.getTime() + 60_000);
    for (const [i, calls] of [1000, 1500, 500].entries()) {
      await tally.events.ingestEvent({
        ingestEventRequest: { event_name: eventName, external_customer_id: customer.external_id, event_id: `${clock.id}-${i}`, timestamp: at, properties: { calls } },
      });
    }

    // Past the period's end; an answer still `advancing` is polled until the clock is ready.
    let advanced = await tally.testClocks.advanceTestClock({ id: clock.id, advanceTestClockRequest: { frozen_time: new Date(end.getTime() + 60_000) } });
    for (let i = 0; advanced.status === 'advancing' && i < 600; i++) {
      await new Promise((r) => setTimeout(r, 100));
      advanced = await tally.testClocks.getTestClock({ id: clock.id });
    }
    expect(advanced).toMatchObject({ status: 'ready', frozen_time: new Date(end.getTime() + 60_000) });

    const { items } = await tally.invoices.listInvoices({ subscriptionId: subscription.id, order: 'asc' });
    const headline = (inv: InvoiceResponse) => ({
      billing_reason: inv.billing_reason,
      invoice_status: inv.invoice_status,
      payment_status: inv.payment_status,
      period_start: inv.period_start,
      period_end: inv.period_end,
      subtotal: inv.subtotal,
      total: inv.total,
      amount_due: inv.amount_due,
      amount_remaining: inv.amount_remaining,
      lines: inv.line_items!.map((l) => [l.display_name, l.quantity, l.amount, l.period_start, l.period_end]),
    });
    expect(items.map(headline)).toEqual([
      {
        billing_reason: 'SUBSCRIPTION_CREATE',
        invoice_status: 'FINALIZED',
        payment_status: 'PENDING',
        period_start: start,
        period_end: end,
        subtotal: '20',
        total: '20', // the first month's fee, in advance
        amount_due: '20',
        amount_remaining: '20',
        lines: [['Platform fee', '1', '20', start, end]],
      },
      {
        billing_reason: 'SUBSCRIPTION_CYCLE',
        invoice_status: 'FINALIZED',
        payment_status: 'PENDING',
        period_start: start,
        period_end: end,
        subtotal: '50',
        total: '50', // 3,000 × $0.01 = $30 of calls + $20, the next month's fee
        amount_due: '50',
        amount_remaining: '50',
        lines: [
          ['API calls', '3000', '30', start, end],
          ['Platform fee', '1', '20', end, monthsLater(start, 2)], // periods follow the start's day, not the clamped one
        ],
      },
    ]);
    const [opening, renewal] = items;
    // Numbered when finalized, in the clock's month: the first of each month of this fresh server.
    expect(opening.invoice_number).toBe(`${numberPrefix(start)}00001`);
    expect(renewal.invoice_number).toBe(`${numberPrefix(end)}00001`);
    expect(opening.invoice_number).not.toBe(renewal.invoice_number);
    expect(opening.finalized_at).toEqual(start);
    expect(renewal.finalized_at).toEqual(end);
  });
});
