// FlexPrice's worked invoice, told through the API. Mara subscribes on 1 January 2025 to Team: a $20
// platform fee and $0.01 per API call, both billed in arrears, taxed 8.25% (the subscription's
// tax_rate_overrides), with two coupons: 25% off the calls (a coupon limited to the usage line) and
// $10 off the whole invoice. In January she makes 8,000 calls. On 1 February her invoice is
// $80 + $20 = $100, less $20 (25% of $80) and $10 (spread 7.50 / 2.50 over the lines in proportion),
// taxed 8.25% of $70 = $5.78: $75.78. FlexPrice's example also takes $5 of prepaid credits off
// (→ $70.78); Mara has no prepaid wallet, so the last step pays those $5 by hand instead: the total
// stays $75.78 (credits never reduce the taxable amount, so the tax is the same either way) and $70.78
// remains to pay — the example's amount due. totals-example-with-credits.test.ts tells it with a wallet.
import { describe, expect, it } from 'vitest';
import { at, billAt, headlineOf, invoicesOf, sendEvents, subscribe } from '../support/billing.ts';
import { created, createCoupon, createCustomer, createMeter, createPlan, createPrice, fixedPrice, usagePrice, useTestServer } from '../support/fixtures.ts';

const server = useTestServer();
let subscriptionId: string;
let customer: any;
let meter: any;
let usage: any;
let fixed: any;
let tenOff: any;
let quarterOff: any;
let invoice: any;

describe('FlexPrice’s totals example: $80 of calls + $20, 25% off calls, $10 off, 8.25% tax', () => {
  it('subscribes Mara on 1 January with both coupons; nothing is due in advance, so the opening invoice is skipped', async () => {
    at(server, '2024-12-20T00:00:00Z'); // the catalogue, before the story
    const api = server.api;
    await created(api, '/v1/taxes/rates', { name: 'Sales tax', code: 'SALES', tax_rate_type: 'percentage', percentage_value: '8.25' });
    meter = await createMeter(api, { name: 'API calls' });
    const plan = await createPlan(api, { name: 'Team' });
    fixed = await createPrice(api, fixedPrice(plan.id, { amount: '20', invoice_cadence: 'ARREAR', display_name: 'Platform fee' }));
    usage = await createPrice(api, usagePrice(plan.id, meter.id, { amount: '0.01', display_name: 'API calls' }));
    quarterOff = await createCoupon(api, { type: 'percentage', name: '25% off calls', percentage_off: '25', cadence: 'forever', coupon_code: 'CALLS25' });
    tenOff = await createCoupon(api, { type: 'fixed', name: '$10 off', amount_off: '10', currency: 'usd', cadence: 'forever', coupon_code: 'TENOFF' });

    at(server, '2025-01-01T00:00:00Z');
    customer = await createCustomer(api, { name: 'Mara' });
    const sub = await subscribe(api, {
      customer_id: customer.id,
      plan_id: plan.id,
      currency: 'usd',
      billing_period: 'MONTHLY',
      tax_rate_overrides: [{ tax_rate_code: 'SALES', currency: 'usd' }],
      subscription_coupons: [{ coupon_code: 'CALLS25', price_id: usage.id }, { coupon_code: 'TENOFF' }],
    });
    subscriptionId = sub.id;
    expect(sub).toMatchObject({ subscription_status: 'active', start_date: '2025-01-01T00:00:00.000Z', current_period_end: '2025-02-01T00:00:00.000Z' });
    expect(sub.latest_invoice).toBeUndefined();
    const [opening] = await invoicesOf(api, subscriptionId);
    expect(headlineOf(opening)).toEqual({
      invoice_status: 'SKIPPED',
      payment_status: 'PENDING',
      billing_reason: 'SUBSCRIPTION_CREATE',
      period_start: '2025-01-01T00:00:00.000Z',
      period_end: '2025-02-01T00:00:00.000Z',
      subtotal: '0', // both charges are in arrears
      total_discount: '0',
      total_tax: '0',
      total: '0',
      amount_due: '0',
      invoice_number: null,
    });
  });

  it('invoices January on 1 February: $100 − $30 of discounts + $5.78 tax = $75.78', async () => {
    at(server, '2025-01-20T12:00:00Z');
    await sendEvents(server.api, { eventName: meter.event_name, customer: customer.external_id, timestamp: '2025-01-15T09:00:00Z', count: 8000, prefix: 'mara-jan' });
    await billAt(server, '2025-02-01T00:00:00Z');
    const invoices = await invoicesOf(server.api, subscriptionId);
    expect(invoices).toHaveLength(2);
    invoice = invoices[1];
    expect(headlineOf(invoice)).toEqual({
      invoice_status: 'FINALIZED',
      payment_status: 'PENDING',
      billing_reason: 'SUBSCRIPTION_CYCLE',
      period_start: '2025-01-01T00:00:00.000Z',
      period_end: '2025-02-01T00:00:00.000Z',
      subtotal: '100', //       80 + 20
      total_discount: '30', //  20 (25% of the calls) + 10 (off the invoice)
      total_tax: '5.78', //     8.25% × (100 − 30) = 5.775 → 5.78
      total: '75.78', //        100 − 30 − 0 credits (no wallet) + 5.78
      amount_due: '75.78',
      invoice_number: 'INV-202502-00001',
    });
    expect([invoice.total_prepaid_credits_applied, invoice.amount_paid, invoice.amount_remaining]).toEqual(['0', '0', '75.78']);
    const line = (priceId: string) => invoice.line_items.find((l: any) => l.price_id === priceId);
    const pick = (l: any) => [l.display_name, l.quantity, l.amount, l.line_item_discount, l.invoice_level_discount, l.prepaid_credits_applied, l.period_start, l.period_end];
    expect(invoice.line_items).toHaveLength(2);
    expect(pick(line(usage.id))).toEqual([
      'API calls',
      '8000',
      '80', //  8,000 × $0.01
      '20', //  25% × 80, its own coupon
      '7.5', // $10 × 60 / 80: its share of the invoice coupon, in proportion to what is left of each line (60 of 80)
      '0',
      '2025-01-01T00:00:00.000Z',
      '2025-02-01T00:00:00.000Z',
    ]);
    expect(pick(line(fixed.id))).toEqual([
      'Platform fee',
      '1',
      '20', //  1 × $20, in arrears
      '0',
      '2.5', // $10 × 20 / 80
      '0',
      '2025-01-01T00:00:00.000Z',
      '2025-02-01T00:00:00.000Z',
    ]);
    expect(invoice.taxes.map((t: any) => [t.taxable_amount, t.tax_amount, t.currency])).toEqual([['70', '5.78', 'usd']]); // 100 − 30
    expect(
      invoice.coupon_applications
        .map((c: any) => [c.coupon_id, c.invoice_line_item_id === line(usage.id).id ? 'usage line' : c.invoice_line_item_id ? 'other line' : 'invoice', c.original_price, c.discounted_amount, c.final_price])
        .sort((a: any, b: any) => a[0].localeCompare(b[0])),
    ).toEqual(
      [
        [quarterOff.id, 'usage line', '80', '20', '60'], // 80 − 25%
        [tenOff.id, 'invoice', '80', '10', '70'], //        what the lines came to after their own coupons: 60 + 20
      ].sort((a: any, b: any) => a[0].localeCompare(b[0])),
    );
  });

  it('is paid $5 by hand (in place of FlexPrice’s $5 of prepaid credits): $70.78 remains', async () => {
    const res = await server.api.put(`/v1/invoices/${invoice.id}/payment`, { payment_status: 'PENDING', amount: '5' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect([res.body.total, res.body.amount_due, res.body.amount_paid, res.body.amount_remaining, res.body.payment_status]).toEqual([
      '75.78',
      '75.78',
      '5',
      '70.78', // 75.78 − 5: FlexPrice's $70.78
      'PENDING',
    ]);
  });
});
