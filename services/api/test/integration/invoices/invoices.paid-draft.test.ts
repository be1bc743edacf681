// A period-end draft marked paid by hand during the finalization delay, before its taxes exist: a draft
// paid in full is finalized first (as FlexPrice finalizes it), which adds the 10% tax ($20 → $22), and
// "paid in full" then means the $22.
import { describe, expect, it } from 'vitest';
import { at, billAt, invoicesOf, subscribe } from '../../support/billing.ts';
import { created, createCustomer, createPlan, createPrice, fixedPrice, useTestServer } from '../../support/fixtures.ts';

const server = useTestServer({ TALLY_INVOICE_FINALIZATION_DELAY_SECONDS: '3600' });

describe('a draft marked paid by hand before its taxes exist', () => {
  it('is finalized with its tax and paid in full: $22', async () => {
    at(server, '2025-01-01T00:00:00Z');
    const api = server.api;
    const rate = await created(api, '/v1/taxes/rates', { name: 'VAT', code: 'VAT10_PAID_DRAFT', tax_rate_type: 'percentage', percentage_value: '10' });
    const customer = await createCustomer(api, { name: 'Ida' });
    const association = await api.post('/v1/taxes/associations', { tax_rate_code: rate.code, entity_type: 'customer', entity_id: customer.id, auto_apply: true });
    expect(association.status).toBe(200);
    const plan = await createPlan(api);
    await createPrice(api, fixedPrice(plan.id, { amount: '20' }));
    const sub = await subscribe(api, { customer_id: customer.id, plan_id: plan.id, currency: 'usd', billing_period: 'MONTHLY' });
    expect(sub.latest_invoice).toMatchObject({ subtotal: '20', total_tax: '2', total: '22' }); // 20 × 10% = 2

    await billAt(server, '2025-02-01T00:00:00Z'); // the renewal's draft, finalized an hour later
    const draft = (await invoicesOf(api, sub.id))[1];
    expect(draft).toMatchObject({ invoice_status: 'DRAFT', total: '20', total_tax: '0' });
    const paid = await api.put(`/v1/invoices/${draft.id}/payment`, { payment_status: 'SUCCEEDED' });
    const expected = {
      invoice_status: 'FINALIZED',
      subtotal: '20',
      total_tax: '2', // 20 × 10%
      total: '22',
      amount_due: '22',
      amount_paid: '22',
      amount_remaining: '0',
      payment_status: 'SUCCEEDED',
    };
    expect(paid.body).toMatchObject(expected);
    expect(paid.body.paid_at).toBe('2025-02-01T00:00:00.000Z');
    expect(await billAt(server, '2025-02-01T01:00:00Z')).toBe(0); // nothing left to finalize
    expect((await invoicesOf(api, sub.id))[1]).toMatchObject(expected);
  });
});
