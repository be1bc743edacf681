import { expect } from 'vitest';
import type { ApiClient } from './api-client.ts';
import type { TestServer } from './test-server.ts';

/**
 * Helpers of the billing stories (test/scenarios) and the subscription and invoice tests: moving the
 * test clock, running the bill run at its time, sending usage, reading invoices in billing order.
 */

/** Freezes the server's clock at `iso`. */
export function at(server: TestServer, iso: string): Date {
  const when = new Date(iso);
  server.clock.freeze(when);
  return when;
}

/** Freezes the clock at `iso` and runs the bill run up to it (every renewal, trial end, cancellation and finalization due). */
export async function billAt(server: TestServer, iso: string): Promise<number> {
  at(server, iso);
  return (await server.billing.tick()).processed;
}

/** Creates a subscription (201 expected) and returns it. */
export async function subscribe(api: ApiClient, body: Record<string, unknown>): Promise<any> {
  const res = await api.post('/v1/subscriptions', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** Sends `count` events of `eventName` for the customer at `timestamp` (ids `${prefix}-0`…), with `properties`. */
export async function sendEvents(api: ApiClient, e: { eventName: string; customer: string; timestamp: string; count: number; prefix: string; properties?: Record<string, unknown> }): Promise<void> {
  for (let start = 0; start < e.count; start += 1000) {
    const events = [];
    for (let i = start; i < Math.min(e.count, start + 1000); i++) {
      events.push({ event_name: e.eventName, external_customer_id: e.customer, event_id: `${e.prefix}-${i}`, timestamp: e.timestamp, properties: e.properties ?? {} });
    }
    const res = await api.post('/v1/events/bulk', { events });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
  }
}

/** The subscription's invoices, in billing order (billing_sequence). */
export async function invoicesOf(api: ApiClient, subscriptionId: string): Promise<any[]> {
  const res = await api.get(`/v1/invoices?subscription_id=${subscriptionId}&limit=1000`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return [...res.body.items].sort((a, b) => a.billing_sequence - b.billing_sequence);
}

/** An invoice's lines as [display_name, quantity, amount, period_start, period_end], in order. */
export const linesOf = (invoice: any): [string, string, string, string, string][] =>
  invoice.line_items.map((l: any) => [l.display_name, l.quantity, l.amount, l.period_start, l.period_end]);

/** An invoice's headline: status, reason, period, totals and number. */
export const headlineOf = (invoice: any) => ({
  invoice_status: invoice.invoice_status,
  payment_status: invoice.payment_status,
  billing_reason: invoice.billing_reason,
  period_start: invoice.period_start,
  period_end: invoice.period_end,
  subtotal: invoice.subtotal,
  total_discount: invoice.total_discount,
  total_tax: invoice.total_tax,
  total: invoice.total,
  amount_due: invoice.amount_due,
  invoice_number: invoice.invoice_number,
});

/** Reads one subscription. */
export async function subscriptionOf(api: ApiClient, id: string): Promise<any> {
  const res = await api.get(`/v1/subscriptions/${id}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}
