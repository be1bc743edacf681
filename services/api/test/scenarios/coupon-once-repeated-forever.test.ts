// Three customers subscribe on 1 January 2025 to Team, $100 a month in advance, each with another
// coupon: Oona $10 off once, Rémi 20% off repeated for 2 billing periods, Fern 25% off forever. They
// are billed on 1 January (January's fee), 1 February, 1 March and 1 April (each the next month's
// fee; the invoice's period is the month that ended). An invoice-level association applies to every
// invoice whose period it is active in: `once` to the first only; `repeated` for 2 monthly periods
// from 1 January ends 28 February 23:59:59, so it is active in the January and February invoice
// periods — the opening invoice and the 1 February and 1 March renewals — and not in March's;
// `forever` to all. Oona pays 90, 100, 100, 100; Rémi 80, 80, 80, 100; Fern 75 every month.
import { describe, expect, it } from 'vitest';
import { at, billAt, headlineOf, invoicesOf, subscribe } from '../support/billing.ts';
import { createCoupon, createCustomer, createPlan, createPrice, fixedPrice, useTestServer } from '../support/fixtures.ts';

const server = useTestServer();
type Who = 'oona' | 'remi' | 'fern';
const subs: Record<Who, string> = { oona: '', remi: '', fern: '' };

/** What each customer must have paid on each billing date, with the discount. */
const expected: Record<Who, Array<[discount: string, total: string]>> = {
  oona: [['10', '90'], ['0', '100'], ['0', '100'], ['0', '100']], // $10 off the first invoice only
  remi: [['20', '80'], ['20', '80'], ['20', '80'], ['0', '100']], // 20% of $100 while active in the invoice's period
  fern: [['25', '75'], ['25', '75'], ['25', '75'], ['25', '75']], // 25% of $100, every invoice
};

const couponOf: Record<Who, string> = { oona: 'TEN-ONCE', remi: 'TWENTY-TWICE', fern: 'QUARTER-ALWAYS' };
const couponIds: Record<Who, string> = { oona: '', remi: '', fern: '' };

async function checkInvoices(count: number) {
  for (const who of Object.keys(subs) as Who[]) {
    const invoices = await invoicesOf(server.api, subs[who]);
    expect(invoices).toHaveLength(count);
    for (const [i, invoice] of invoices.entries()) {
      const [discount, total] = expected[who][i]!;
      expect(headlineOf(invoice), `${who}, invoice ${i + 1}`).toMatchObject({
        invoice_status: 'FINALIZED',
        subtotal: '100',
        total_discount: discount,
        total_tax: '0',
        total,
        amount_due: total,
      });
      // A discount is recorded as one coupon application of that customer's coupon, none otherwise.
      expect(
        invoice.coupon_applications.map((a: any) => [a.coupon_id, a.original_price, a.discounted_amount, a.final_price]),
        `${who}, invoice ${i + 1}`,
      ).toEqual(discount === '0' ? [] : [[couponIds[who], '100', discount, total]]);
    }
  }
}

describe('coupons once, repeated twice and forever on a $100 monthly fee', () => {
  it('discounts every opening invoice on 1 January: $90, $80, $75', async () => {
    at(server, '2025-01-01T00:00:00Z');
    const api = server.api;
    const plan = await createPlan(api, { name: 'Team' });
    await createPrice(api, fixedPrice(plan.id, { amount: '100', display_name: 'Team' }));
    couponIds.oona = (await createCoupon(api, { type: 'fixed', name: '$10 once', amount_off: '10', currency: 'usd', cadence: 'once', coupon_code: couponOf.oona })).id;
    couponIds.remi = (await createCoupon(api, { type: 'percentage', name: '20% twice', percentage_off: '20', cadence: 'repeated', duration_in_periods: 2, coupon_code: couponOf.remi })).id;
    couponIds.fern = (await createCoupon(api, { type: 'percentage', name: '25% forever', percentage_off: '25', cadence: 'forever', coupon_code: couponOf.fern })).id;
    for (const who of Object.keys(subs) as Who[]) {
      const customer = await createCustomer(api, { name: who });
      const sub = await subscribe(api, {
        customer_id: customer.id,
        plan_id: plan.id,
        currency: 'usd',
        billing_period: 'MONTHLY',
        subscription_coupons: [{ coupon_code: couponOf[who] }],
      });
      subs[who] = sub.id;
    }
    // Rémi's association ends after 2 monthly periods, less one second.
    const remi = await api.get(`/v1/subscriptions/${subs.remi}`);
    expect(remi.body.coupon_associations.map((a: any) => [a.start_date, a.end_date])).toEqual([['2025-01-01T00:00:00.000Z', '2025-02-28T23:59:59.000Z']]);
    await checkInvoices(1);
  });

  it('on 1 February: Oona’s coupon is spent ($100); Rémi and Fern still discounted ($80, $75)', async () => {
    expect(await billAt(server, '2025-02-01T00:00:00Z')).toBe(3); // three renewals, each finalizing its invoice
    await checkInvoices(2);
  });

  it('on 1 March: Rémi’s association is still active in February, the invoice’s period ($80)', async () => {
    expect(await billAt(server, '2025-03-01T00:00:00Z')).toBe(3);
    await checkInvoices(3);
  });

  it('on 1 April: only Fern is discounted ($100, $100, $75)', async () => {
    expect(await billAt(server, '2025-04-01T00:00:00Z')).toBe(3);
    await checkInvoices(4);
  });
});
