// The finalization delay decides who finalizes a period-end invoice. With a delay of one hour, a renewal
// run at the period's end leaves a draft that the finalization work computes again and finalizes an hour
// later (two items); a renewal run after the delay has passed (a catch-up) finalizes the invoice it has
// just computed in its own transaction (one item), taxed and numbered as the finalization work would.
import { describe, expect, it } from 'vitest';
import { at, billAt, invoicesOf, subscribe } from '../../support/billing.ts';
import { created, createCustomer, createPlan, createPrice, fixedPrice, useTestServer } from '../../support/fixtures.ts';

const server = useTestServer({ TALLY_INVOICE_FINALIZATION_DELAY_SECONDS: '3600' });

describe('a period-end invoice with a finalization delay of one hour', () => {
  it('is a draft finalized an hour later when the renewal runs at the period end, and finalized by the renewal when it runs later', async () => {
    at(server, '2025-01-01T00:00:00Z');
    const api = server.api;
    const rate = await created(api, '/v1/taxes/rates', { name: 'VAT', code: 'VAT10_RENEWAL_FINALIZES', tax_rate_type: 'percentage', percentage_value: '10' });
    const onTime = await createCustomer(api, { name: 'Ona' });
    const late = await createCustomer(api, { name: 'Lev' });
    for (const customer of [onTime, late]) {
      const association = await api.post('/v1/taxes/associations', { tax_rate_code: rate.code, entity_type: 'customer', entity_id: customer.id, auto_apply: true });
      expect(association.status).toBe(200);
    }
    const plan = await createPlan(api);
    await createPrice(api, fixedPrice(plan.id, { amount: '20' }));
    const first = await subscribe(api, { customer_id: onTime.id, plan_id: plan.id, currency: 'usd', billing_period: 'MONTHLY' });
    at(server, '2025-01-02T00:00:00Z');
    const second = await subscribe(api, { customer_id: late.id, plan_id: plan.id, currency: 'usd', billing_period: 'MONTHLY' });

    // 1 February: Ona's renewal. Its draft is due for finalization at 01:00.
    expect(await billAt(server, '2025-02-01T00:00:00Z')).toBe(1);
    expect((await invoicesOf(api, first.id))[1]).toMatchObject({ invoice_status: 'DRAFT', total: '20', total_tax: '0', version: 1, invoice_number: null });
    // 2 February 03:00: Ona's draft is finalized (computed again: version 3), and Lev's renewal, due since
    // 2 February 00:00 with its finalization due at 01:00, finalizes its own invoice (version 2): 2 items.
    expect(await billAt(server, '2025-02-02T03:00:00Z')).toBe(2);
    const finalized = { invoice_status: 'FINALIZED', subtotal: '20', total_tax: '2', total: '22', amount_due: '22', finalized_at: '2025-02-02T03:00:00.000Z' }; // 20 × 10% = 2
    expect((await invoicesOf(api, first.id))[1]).toMatchObject({ ...finalized, version: 3 });
    expect((await invoicesOf(api, second.id))[1]).toMatchObject({ ...finalized, version: 2, period_start: '2025-01-02T00:00:00.000Z', period_end: '2025-02-02T00:00:00.000Z' });
    const numbers = [(await invoicesOf(api, first.id))[1].invoice_number, (await invoicesOf(api, second.id))[1].invoice_number];
    // The opening invoices took January's 1 and 2; February's numbering starts again at 1.
    expect(numbers.sort()).toEqual(['INV-202502-00001', 'INV-202502-00002']);
    expect(await billAt(server, '2025-02-02T04:00:00Z')).toBe(0);
  });
});
