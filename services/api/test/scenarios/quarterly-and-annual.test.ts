// Mo pays $90 a quarter in advance from 15 January 2025; Nia pays $1,000 a year in advance from
// 29 February 2024, a leap day. Mo's quarters run 15 Jan → 15 Apr → 15 Jul → 15 Oct. Nia's years
// end on the anchor's day clamped to the month: 28 February 2025, then 28 February 2026.
import { describe, expect, it } from 'vitest';
import { at, billAt, invoicesOf, linesOf, subscribe, subscriptionOf } from '../support/billing.ts';
import { createCustomer, createPlan, createPrice, fixedPrice, useTestServer } from '../support/fixtures.ts';

const server = useTestServer();
let mo: any;
let nia: any;

describe('quarterly and annual periods', () => {
  it('opens both with a whole period in advance', async () => {
    at(server, '2024-02-29T00:00:00Z');
    const api = server.api;
    const yearly = await createPlan(api, { name: 'Yearly' });
    await createPrice(api, fixedPrice(yearly.id, { amount: '1000', billing_period: 'ANNUAL' }));
    const quarterly = await createPlan(api, { name: 'Quarterly' });
    await createPrice(api, fixedPrice(quarterly.id, { amount: '90', billing_period: 'QUARTERLY' }));
    nia = await subscribe(api, { customer_id: (await createCustomer(api, { name: 'Nia' })).id, plan_id: yearly.id, currency: 'usd', billing_period: 'ANNUAL' });
    expect(linesOf(nia.latest_invoice)).toEqual([['Yearly', '1', '1000', '2024-02-29T00:00:00.000Z', '2025-02-28T00:00:00.000Z']]); // Feb 29 → Feb 28 next year
    at(server, '2025-01-15T00:00:00Z');
    mo = await subscribe(api, { customer_id: (await createCustomer(api, { name: 'Mo' })).id, plan_id: quarterly.id, currency: 'usd', billing_period: 'QUARTERLY' });
    expect(linesOf(mo.latest_invoice)).toEqual([['Quarterly', '1', '90', '2025-01-15T00:00:00.000Z', '2025-04-15T00:00:00.000Z']]);
  });

  it('renews Nia’s year on 28 February 2025 and Mo’s quarters on 15 April and 15 July', async () => {
    await billAt(server, '2025-07-15T00:00:00Z');
    const niaInvoices = await invoicesOf(server.api, nia.id);
    expect(linesOf(niaInvoices[1])).toEqual([['Yearly', '1', '1000', '2025-02-28T00:00:00.000Z', '2026-02-28T00:00:00.000Z']]);
    const moInvoices = await invoicesOf(server.api, mo.id);
    expect(moInvoices.map((i) => [i.period_start, i.period_end, i.total])).toEqual([
      ['2025-01-15T00:00:00.000Z', '2025-04-15T00:00:00.000Z', '90'], // opening
      ['2025-01-15T00:00:00.000Z', '2025-04-15T00:00:00.000Z', '90'], // Q1 ended: Q2 in advance
      ['2025-04-15T00:00:00.000Z', '2025-07-15T00:00:00.000Z', '90'], // Q2 ended: Q3 in advance
    ]);
    expect(linesOf(moInvoices[2])).toEqual([['Quarterly', '1', '90', '2025-07-15T00:00:00.000Z', '2025-10-15T00:00:00.000Z']]);
    expect(await subscriptionOf(server.api, mo.id)).toMatchObject({ current_period_start: '2025-07-15T00:00:00.000Z', current_period_end: '2025-10-15T00:00:00.000Z' });
  });
});
