// Nova's plan is priced in a custom unit, compute credits, where 1 credit = $0.015: a platform fee of
// 100 credits a month in advance and 0.5 credits per call in arrears. Each line is costed in credits
// exactly and converted to dollars once, rounded to the cent once; each invoice line also states its
// amount in credits (price_unit_amount = the line's dollars ÷ the rate, to the cent). Subscribing on
// 1 January: 100 credits = $1.50. 1 February: 1,000 January calls = 500 credits = $7.50, plus
// February's fee $1.50 = $9. 1 March: 333 February calls = 166.5 credits = $2.4975, billed $2.50
// (stated as 166.67 credits), plus March's fee = $4.
import { describe, expect, it } from 'vitest';
import { at, billAt, headlineOf, invoicesOf, linesOf, sendEvents, subscribe } from '../support/billing.ts';
import { createCustomer, createMeter, createPlan, createPrice, fixedPrice, usagePrice, useTestServer } from '../support/fixtures.ts';

const server = useTestServer();
let meter: any;
let customer: any;
let subscriptionId = '';

const january = ['2025-01-01T00:00:00.000Z', '2025-02-01T00:00:00.000Z'] as const;
const february = ['2025-02-01T00:00:00.000Z', '2025-03-01T00:00:00.000Z'] as const;
const march = ['2025-03-01T00:00:00.000Z', '2025-04-01T00:00:00.000Z'] as const;
const credits = (amount: string) => ({ amount: undefined, price_unit_type: 'CUSTOM', price_unit_config: { price_unit: 'ccr', amount } });
/** Each line's name, its cost in credits and in dollars. */
const unitCosts = (invoice: any) => invoice.line_items.map((l: any) => [l.display_name, l.price_unit_amount, l.amount]);

describe('a plan priced in compute credits', () => {
  it('bills 100 credits = $1.50 for January on subscribing on 1 January', async () => {
    at(server, '2025-01-01T00:00:00Z');
    const api = server.api;
    const unit = await api.post('/v1/prices/units', { name: 'Compute credits', code: 'ccr', symbol: 'CC', base_currency: 'USD', conversion_rate: '0.015' });
    expect(unit.status, JSON.stringify(unit.body)).toBe(201);
    meter = await createMeter(api, { name: 'Calls' });
    const plan = await createPlan(api, { name: 'Compute' });
    const fee = await createPrice(api, fixedPrice(plan.id, { display_name: 'Platform', ...credits('100') }));
    expect(fee).toMatchObject({ amount: '1.5', price_unit_amount: '100', conversion_rate: '0.015', price_unit: 'ccr' }); // 100 × $0.015
    const perCall = await createPrice(api, usagePrice(plan.id, meter.id, credits('0.5')));
    expect(perCall).toMatchObject({ amount: '0.0075', price_unit_amount: '0.5' }); // 0.5 × $0.015
    customer = await createCustomer(api, { name: 'Nova' });
    const sub = await subscribe(api, { customer_id: customer.id, plan_id: plan.id, currency: 'usd', billing_period: 'MONTHLY' });
    subscriptionId = sub.id;
    const [opening] = await invoicesOf(api, subscriptionId);
    expect(linesOf(opening)).toEqual([['Platform', '1', '1.5', ...january]]);
    expect(unitCosts(opening)).toEqual([['Platform', '100', '1.5']]); // 100 credits × $0.015
    expect(headlineOf(opening)).toMatchObject({ invoice_status: 'FINALIZED', billing_reason: 'SUBSCRIPTION_CREATE', subtotal: '1.5', total: '1.5', amount_due: '1.5' });
  });

  it('bills 1,000 January calls (500 credits = $7.50) and February’s fee on 1 February: $9', async () => {
    at(server, '2025-01-30T00:00:00Z');
    await sendEvents(server.api, { eventName: meter.event_name, customer: customer.external_id, timestamp: '2025-01-20T12:00:00Z', count: 1000, prefix: 'jan' });
    expect(await billAt(server, '2025-02-01T00:00:00Z')).toBe(1);
    const [, invoice] = await invoicesOf(server.api, subscriptionId);
    expect(linesOf(invoice)).toEqual([
      ['Calls', '1000', '7.5', ...january], //  1,000 × 0.5 = 500 credits × $0.015
      ['Platform', '1', '1.5', ...february], // 100 credits × $0.015, February in advance
    ]);
    expect(unitCosts(invoice)).toEqual([
      ['Calls', '500', '7.5'],
      ['Platform', '100', '1.5'],
    ]);
    expect(headlineOf(invoice)).toMatchObject({ invoice_status: 'FINALIZED', billing_reason: 'SUBSCRIPTION_CYCLE', subtotal: '9', total: '9', amount_due: '9' });
  });

  it('bills 333 February calls (166.5 credits = $2.4975, rounded once to $2.50) and March’s fee on 1 March: $4', async () => {
    at(server, '2025-02-27T00:00:00Z');
    await sendEvents(server.api, { eventName: meter.event_name, customer: customer.external_id, timestamp: '2025-02-10T12:00:00Z', count: 333, prefix: 'feb' });
    expect(await billAt(server, '2025-03-01T00:00:00Z')).toBe(1);
    const invoices = await invoicesOf(server.api, subscriptionId);
    expect(invoices).toHaveLength(3);
    expect(linesOf(invoices[2])).toEqual([
      ['Calls', '333', '2.5', ...february], // 333 × 0.5 = 166.5 credits × $0.015 = $2.4975 → $2.50
      ['Platform', '1', '1.5', ...march],
    ]);
    expect(unitCosts(invoices[2])).toEqual([
      ['Calls', '166.67', '2.5'], // FlexPrice's rule: the line's dollars ÷ the rate, to the cent: $2.50 ÷ 0.015 = 166.666… → 166.67
      ['Platform', '100', '1.5'],
    ]);
    expect(headlineOf(invoices[2])).toMatchObject({ subtotal: '4', total: '4', amount_due: '4' }); // 2.50 + 1.50
  });
});
