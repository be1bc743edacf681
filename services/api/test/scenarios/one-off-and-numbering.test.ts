// Quinn's agency bills outside subscriptions too. On 30 January 2025 it invoices Rui a $150
// onboarding workshop and 3 × $40 training seats with a 10%-off coupon: $270 − $27 = $243,
// numbered INV-202501-00001 (the month's first). Sal's subscription opens on 31 January
// (INV-202501-00002). On 1 February the numbering starts again: Sal's renewal is INV-202502-00001 and a
// $20 one-off to Rui later that day INV-202502-00002. A draft one-off has no number until finalized.
import { describe, expect, it } from 'vitest';
import { at, billAt, invoicesOf, subscribe } from '../support/billing.ts';
import { createCoupon, createCustomer, createPlan, createPrice, fixedPrice, useTestServer } from '../support/fixtures.ts';

const server = useTestServer();
let rui: any;
let sal: any;

describe('one-off invoices and numbers across months', () => {
  it('invoices Rui a workshop and three seats with 10% off: $270 − $27 = $243, INV-202501-00001', async () => {
    at(server, '2025-01-30T10:00:00Z');
    rui = await createCustomer(server.api, { name: 'Rui' });
    const coupon = await createCoupon(server.api, { type: 'percentage', percentage_off: '10', cadence: 'once' });
    const res = await server.api.post('/v1/invoices', {
      customer_id: rui.id,
      currency: 'USD',
      invoice_type: 'ONE_OFF',
      subtotal: '270',
      total: '243',
      amount_due: '243',
      description: 'Onboarding',
      due_date: '2025-02-28T00:00:00Z',
      coupons: [coupon.id],
      line_items: [
        { display_name: 'Workshop', amount: '150', quantity: '1' },
        { display_name: 'Training seats', amount: '120', quantity: '3' },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      invoice_type: 'ONE_OFF',
      invoice_status: 'FINALIZED',
      payment_status: 'PENDING',
      billing_reason: 'MANUAL',
      currency: 'usd',
      subtotal: '270', // 150 + 120
      total_discount: '27', // 10% of 270
      total: '243',
      amount_due: '243',
      amount_remaining: '243',
      invoice_number: 'INV-202501-00001',
      due_date: '2025-02-28T00:00:00.000Z',
      billing_sequence: null,
      finalized_at: '2025-01-30T10:00:00.000Z',
    });
    expect(res.body.line_items.map((l: any) => [l.display_name, l.amount, l.invoice_level_discount])).toEqual([
      ['Workshop', '150', '15'], // 27 spread by amount: 27 × 150/270
      ['Training seats', '120', '12'], // 27 × 120/270
    ]);
    expect(res.body.coupon_applications).toEqual([
      expect.objectContaining({ coupon_id: coupon.id, original_price: '270', discounted_amount: '27', final_price: '243', discount_type: 'percentage', discount_percentage: '10' }),
    ]);
  });

  it('numbers Sal’s opening invoice on 31 January INV-202501-00002', async () => {
    at(server, '2025-01-31T00:00:00Z');
    const plan = await createPlan(server.api, { name: 'Retainer' });
    await createPrice(server.api, fixedPrice(plan.id, { amount: '500' }));
    sal = await subscribe(server.api, { customer_id: (await createCustomer(server.api, { name: 'Sal' })).id, plan_id: plan.id, currency: 'usd', billing_period: 'MONTHLY', billing_cycle: 'calendar' });
    expect(sal.latest_invoice).toMatchObject({ invoice_number: 'INV-202501-00002', total: '500' });
  });

  it('starts February’s numbers at 00001: Sal’s renewal, then a one-off; a draft has none until finalized', async () => {
    await billAt(server, '2025-02-01T00:00:00Z');
    const [, renewal] = await invoicesOf(server.api, sal.id);
    expect(renewal).toMatchObject({ invoice_number: 'INV-202502-00001', finalized_at: '2025-02-01T00:00:00.000Z' });
    at(server, '2025-02-01T09:00:00Z');
    const draft = await server.api.post('/v1/invoices', {
      customer_id: rui.id, currency: 'usd', invoice_status: 'DRAFT', subtotal: '20', total: '20', amount_due: '20',
      line_items: [{ display_name: 'Extra hour', amount: '20', quantity: '1' }],
    });
    expect(draft.body).toMatchObject({ invoice_status: 'DRAFT', invoice_number: null, payment_status: 'PENDING' });
    expect((await server.api.post(`/v1/invoices/${draft.body.id}/finalize`)).body).toEqual({ message: 'invoice finalized successfully' });
    expect((await server.api.get(`/v1/invoices/${draft.body.id}`)).body).toMatchObject({ invoice_status: 'FINALIZED', invoice_number: 'INV-202502-00002', finalized_at: '2025-02-01T09:00:00.000Z' });
  });
});
