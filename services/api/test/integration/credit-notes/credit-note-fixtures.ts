import { expect } from 'vitest';
import type { ApiClient } from '../../support/api-client.ts';
import { createCustomer } from '../../support/fixtures.ts';

/**
 * A finalized one-off invoice of $100 in two lines — Platform $60 and Support $40 — for a new customer
 * (or the one given), paid in full with an OFFLINE payment when `paid` (or partly, when an amount).
 */
export async function invoiceOf100(api: ApiClient, options: { paid?: boolean | string; customerId?: string; currency?: string } = {}) {
  const customerId = options.customerId ?? (await createCustomer(api, { name: 'Credited' })).id;
  const currency = options.currency ?? 'usd';
  const res = await api.post('/v1/invoices', {
    customer_id: customerId,
    currency,
    invoice_type: 'ONE_OFF',
    subtotal: '100',
    total: '100',
    amount_due: '100',
    line_items: [
      { display_name: 'Platform', amount: '60', quantity: '1' },
      { display_name: 'Support', amount: '40', quantity: '1' },
    ],
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const paid = options.paid === true ? '100' : options.paid || null;
  if (paid) {
    const payment = await api.post('/v1/payments', { amount: paid, currency, destination_type: 'INVOICE', destination_id: res.body.id, payment_method_type: 'OFFLINE' });
    expect(payment.status, JSON.stringify(payment.body)).toBe(201);
  }
  const invoice = (await api.get(`/v1/invoices/${res.body.id}`)).body;
  const [platform, support] = invoice.line_items;
  return { customerId, invoice, platform: platform.id as string, support: support.id as string };
}

/** The invoice's amounts that credit notes move. */
export async function creditedAmounts(api: ApiClient, invoiceId: string) {
  const i = (await api.get(`/v1/invoices/${invoiceId}`)).body;
  return { amount_due: i.amount_due, amount_paid: i.amount_paid, amount_remaining: i.amount_remaining, refunded_amount: i.refunded_amount, adjustment_amount: i.adjustment_amount, payment_status: i.payment_status };
}

/** The customer's wallets, as the API lists them. */
export async function walletsOf(api: ApiClient, customerId: string): Promise<any[]> {
  const res = await api.get(`/v1/customers/${customerId}/wallets`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** The event types announced for an entity, oldest first, with their payloads. */
export async function eventsOf(api: ApiClient, entityId: string): Promise<{ type: string; payload: any }[]> {
  const items = (await api.get(`/v1/webhooks/events?entity_id=${entityId}&limit=100`)).body.items.reverse();
  const out = [];
  for (const e of items) out.push({ type: e.event_type, payload: (await api.get(`/v1/webhooks/events/${e.id}`)).body.payload });
  return out;
}
