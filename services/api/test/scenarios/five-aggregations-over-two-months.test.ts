// Delta runs a data platform and pays monthly in arrears for five measures of its usage, each a
// different aggregation: $2 per unique active user (COUNT_UNIQUE of user_id), $0.50 per GB of peak
// storage (MAX of gb), $1 per seat held at the end of the month (LATEST of seats), $0.001 per token
// processed in the EU region (SUM of tokens, filtered to region = eu), and $0.02 per KB transferred
// (SUM_WITH_MULTIPLIER of bytes × 0.001). January: 3 users, a 25.5 GB peak, 7 seats last, 3,500 EU
// tokens (4,000 US ones not billed), 500 KB → $6 + $12.75 + $7 + $3.50 + $10 = $39.25. February:
// 2 users (one of them sent at the very instant February began), a 30 GB peak, no seat event (0
// seats), no tokens, 1,000 KB → $4 + $15 + $0 + $0 + $20 = $39.
import { describe, expect, it } from 'vitest';
import { at, billAt, headlineOf, invoicesOf, linesOf, subscribe } from '../support/billing.ts';
import { createCustomer, createMeter, createPlan, createPrice, usagePrice, useTestServer } from '../support/fixtures.ts';

const server = useTestServer();
const meters: Record<string, any> = {};
let customer: any;
let subscriptionId = '';
let seq = 0;

const january = ['2025-01-01T00:00:00.000Z', '2025-02-01T00:00:00.000Z'] as const;
const february = ['2025-02-01T00:00:00.000Z', '2025-03-01T00:00:00.000Z'] as const;

async function send(meter: string, timestamp: string, properties: Record<string, unknown>): Promise<void> {
  const res = await server.api.post('/v1/events', { event_name: meters[meter].event_name, external_customer_id: customer.external_id, event_id: `agg-${++seq}`, timestamp, properties });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
}

/** The invoice's lines sorted by name: the five measures in a fixed order. */
const sortedLines = (invoice: any) => linesOf(invoice).sort((a, b) => a[0].localeCompare(b[0]));

describe('five aggregations over two months', () => {
  it('subscribes Delta on 1 January to five usage prices (nothing to bill yet: the opening invoice is skipped)', async () => {
    at(server, '2025-01-01T00:00:00Z');
    const api = server.api;
    meters.users = await createMeter(api, { name: 'Active users', aggregation: { type: 'COUNT_UNIQUE', field: 'user_id' } });
    meters.storage = await createMeter(api, { name: 'Peak storage', aggregation: { type: 'MAX', field: 'gb' } });
    meters.seats = await createMeter(api, { name: 'Seats', aggregation: { type: 'LATEST', field: 'seats' } });
    meters.tokens = await createMeter(api, { name: 'EU tokens', aggregation: { type: 'SUM', field: 'tokens' }, filters: [{ key: 'region', values: ['eu'] }] });
    meters.transfer = await createMeter(api, { name: 'Transfer KB', aggregation: { type: 'SUM_WITH_MULTIPLIER', field: 'bytes', multiplier: '0.001' } });
    const plan = await createPlan(api, { name: 'Data platform' });
    const amounts: Record<string, string> = { users: '2', storage: '0.50', seats: '1', tokens: '0.001', transfer: '0.02' };
    for (const [key, amount] of Object.entries(amounts)) await createPrice(api, usagePrice(plan.id, meters[key].id, { amount }));
    customer = await createCustomer(api, { name: 'Delta' });
    const sub = await subscribe(api, { customer_id: customer.id, plan_id: plan.id, currency: 'usd', billing_period: 'MONTHLY' });
    subscriptionId = sub.id;
    const [opening] = await invoicesOf(api, subscriptionId);
    expect(headlineOf(opening)).toMatchObject({ invoice_status: 'SKIPPED', billing_reason: 'SUBSCRIPTION_CREATE', subtotal: '0', total: '0', amount_due: '0', invoice_number: null });
  });

  it('bills January on 1 February: 3 users, 25.5 GB peak, 7 seats, 3,500 EU tokens, 500 KB = $39.25', async () => {
    at(server, '2025-01-31T23:00:00Z');
    for (const [user, day] of [['alice', 2], ['bob', 3], ['alice', 9], ['carol', 15], ['bob', 20], ['alice', 31]] as const) {
      await send('users', `2025-01-${String(day).padStart(2, '0')}T10:00:00Z`, { user_id: user });
    }
    for (const [gb, day] of [[10, '05'], [25.5, '12'], [18, '25']] as const) await send('storage', `2025-01-${day}T10:00:00Z`, { gb });
    for (const [seats, day] of [[5, '03'], [8, '20'], [7, '28']] as const) await send('seats', `2025-01-${day}T10:00:00Z`, { seats });
    await send('tokens', '2025-01-06T10:00:00Z', { tokens: 1000, region: 'eu' });
    await send('tokens', '2025-01-16T10:00:00Z', { tokens: 4000, region: 'us' });
    await send('tokens', '2025-01-26T10:00:00Z', { tokens: 2500, region: 'eu' });
    await send('transfer', '2025-01-07T10:00:00Z', { bytes: 150000 });
    await send('transfer', '2025-01-27T10:00:00Z', { bytes: 350000 });
    // carol again, an hour before the period ends: still 3 unique users.
    await send('users', '2025-01-31T22:00:00Z', { user_id: 'carol' });

    // Timestamped exactly at the period's end: February's, not January's.
    at(server, '2025-02-01T00:00:00Z');
    await send('users', '2025-02-01T00:00:00Z', { user_id: 'erin' });
    expect(await billAt(server, '2025-02-01T00:00:00Z')).toBe(1);
    const [, invoice] = await invoicesOf(server.api, subscriptionId);
    expect(sortedLines(invoice)).toEqual([
      ['Active users', '3', '6', ...january], //    alice, bob, carol: 3 × $2
      ['EU tokens', '3500', '3.5', ...january], //  1,000 + 2,500 (the 4,000 US tokens are filtered out) × $0.001
      ['Peak storage', '25.5', '12.75', ...january], // max(10, 25.5, 18) × $0.50
      ['Seats', '7', '7', ...january], //           the last event of January (28th): 7 × $1
      ['Transfer KB', '500', '10', ...january], //  (150,000 + 350,000) × 0.001 = 500 × $0.02
    ]);
    expect(headlineOf(invoice)).toEqual({
      invoice_status: 'FINALIZED',
      payment_status: 'PENDING',
      billing_reason: 'SUBSCRIPTION_CYCLE',
      period_start: january[0],
      period_end: january[1],
      subtotal: '39.25', // 6 + 3.50 + 12.75 + 7 + 10
      total_discount: '0',
      total_tax: '0',
      total: '39.25',
      amount_due: '39.25',
      invoice_number: invoice.invoice_number,
    });
    expect(invoice.amount_remaining).toBe('39.25');
  });

  it('bills February on 1 March: erin at the first instant and dave, a 30 GB peak, no seats, no tokens, 1,000 KB = $39', async () => {
    at(server, '2025-02-27T00:00:00Z');
    await send('users', '2025-02-10T10:00:00Z', { user_id: 'dave' });
    await send('users', '2025-02-11T10:00:00Z', { user_id: 'erin' });
    await send('storage', '2025-02-14T10:00:00Z', { gb: 30 });
    await send('transfer', '2025-02-20T10:00:00Z', { bytes: 1000000 });
    // Timestamped at 1 March 00:00: March's, so neither line of February counts it.
    at(server, '2025-03-01T00:00:00Z');
    await send('storage', '2025-03-01T00:00:00Z', { gb: 99 });
    expect(await billAt(server, '2025-03-01T00:00:00Z')).toBe(1);
    const invoices = await invoicesOf(server.api, subscriptionId);
    expect(invoices).toHaveLength(3);
    expect(sortedLines(invoices[2])).toEqual([
      ['Active users', '2', '4', ...february], //   erin (1 Feb 00:00 and 11 Feb), dave: 2 × $2
      ['EU tokens', '0', '0', ...february], //      no tokens
      ['Peak storage', '30', '15', ...february], // 30 × $0.50 (the 99 GB of 1 March is March's)
      ['Seats', '0', '0', ...february], //          no seat event in February: LATEST is 0
      ['Transfer KB', '1000', '20', ...february], // 1,000,000 × 0.001 = 1,000 × $0.02
    ]);
    expect(headlineOf(invoices[2])).toMatchObject({ invoice_status: 'FINALIZED', billing_reason: 'SUBSCRIPTION_CYCLE', subtotal: '39', total: '39', amount_due: '39' });
    expect(invoices[2].amount_remaining).toBe('39');
    expect(invoices[2].invoice_number).not.toBe(invoices[1].invoice_number);
  });
});
