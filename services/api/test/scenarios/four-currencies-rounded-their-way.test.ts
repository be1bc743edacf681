// Quill sells one API in four currencies and each customer pays in its own: $0.002 per call (USD, 2
// decimals), €0.0015 (EUR, 2), ¥0.3 (JPY, no decimals) and 0.0015 KWD (3 decimals), plus a monthly
// fee of 9.99 / 8.99 / 1,500 / 2.995 in advance. Each line is computed exactly and rounded once, half
// away from zero, to its currency's precision. In January each customer makes 1,001 calls:
// $2.002 → $2.00, €1.5015 → €1.50, ¥300.3 → ¥300, 1.5015 KWD → 1.502 KWD. In February each makes
// 2,505: $5.01, €3.7575 → €3.76, ¥751.5 → ¥752, 3.7575 KWD → 3.758 KWD.
import { describe, expect, it } from 'vitest';
import { at, billAt, headlineOf, invoicesOf, linesOf, sendEvents, subscribe } from '../support/billing.ts';
import { createCustomer, createMeter, createPlan, createPrice, fixedPrice, usagePrice, useTestServer } from '../support/fixtures.ts';

const server = useTestServer();
type Currency = 'usd' | 'eur' | 'jpy' | 'kwd';
const prices: Record<Currency, { call: string; fee: string }> = {
  usd: { call: '0.002', fee: '9.99' },
  eur: { call: '0.0015', fee: '8.99' },
  jpy: { call: '0.3', fee: '1500' },
  kwd: { call: '0.0015', fee: '2.995' },
};
const currencies = Object.keys(prices) as Currency[];
const customers = {} as Record<Currency, any>;
const subs = {} as Record<Currency, string>;
let meter: any;

const january = ['2025-01-01T00:00:00.000Z', '2025-02-01T00:00:00.000Z'] as const;
const february = ['2025-02-01T00:00:00.000Z', '2025-03-01T00:00:00.000Z'] as const;
const march = ['2025-03-01T00:00:00.000Z', '2025-04-01T00:00:00.000Z'] as const;
const byName = (invoice: any) => linesOf(invoice).sort((a, b) => a[0].localeCompare(b[0]));

describe('one API priced in four currencies, each rounded its own way', () => {
  it('subscribes four customers on 1 January, each billed its fee in its currency', async () => {
    at(server, '2025-01-01T00:00:00Z');
    const api = server.api;
    meter = await createMeter(api, { name: 'Calls' });
    const plan = await createPlan(api, { name: 'API' });
    for (const c of currencies) {
      await createPrice(api, fixedPrice(plan.id, { currency: c, amount: prices[c].fee, display_name: 'Monthly fee' }));
      await createPrice(api, usagePrice(plan.id, meter.id, { currency: c, amount: prices[c].call }));
      customers[c] = await createCustomer(api, { name: `Quill ${c}` });
      subs[c] = (await subscribe(api, { customer_id: customers[c].id, plan_id: plan.id, currency: c, billing_period: 'MONTHLY' })).id;
    }
    const fees: Record<Currency, string> = { usd: '9.99', eur: '8.99', jpy: '1500', kwd: '2.995' };
    for (const c of currencies) {
      const [opening] = await invoicesOf(api, subs[c]);
      expect(opening.currency).toBe(c);
      expect(byName(opening)).toEqual([['Monthly fee', '1', fees[c], ...january]]);
      expect(headlineOf(opening)).toMatchObject({ invoice_status: 'FINALIZED', subtotal: fees[c], total: fees[c], amount_due: fees[c] });
    }
  });

  it('bills 1,001 January calls on 1 February, each rounded once to its currency', async () => {
    at(server, '2025-01-31T00:00:00Z');
    for (const c of currencies) await sendEvents(server.api, { eventName: meter.event_name, customer: customers[c].external_id, timestamp: '2025-01-15T00:00:00Z', count: 1001, prefix: `jan-${c}` });
    expect(await billAt(server, '2025-02-01T00:00:00Z')).toBe(4);
    const expected: Record<Currency, [calls: string, total: string]> = {
      usd: ['2', '11.99'], //   1,001 × $0.002 = $2.002 → $2.00; + $9.99
      eur: ['1.5', '10.49'], // 1,001 × €0.0015 = €1.5015 → €1.50; + €8.99
      jpy: ['300', '1800'], //  1,001 × ¥0.3 = ¥300.3 → ¥300; + ¥1,500
      kwd: ['1.502', '4.497'], // 1,001 × 0.0015 = 1.5015 KWD → 1.502 (half away from zero, 3 decimals); + 2.995
    };
    for (const c of currencies) {
      const [, invoice] = await invoicesOf(server.api, subs[c]);
      expect(byName(invoice)).toEqual([
        ['Calls', '1001', expected[c][0], ...january],
        ['Monthly fee', '1', prices[c].fee, ...february],
      ]);
      expect(headlineOf(invoice)).toMatchObject({ invoice_status: 'FINALIZED', subtotal: expected[c][1], total: expected[c][1], amount_due: expected[c][1] });
      expect(invoice.amount_remaining).toBe(expected[c][1]);
    }
  });

  it('bills 2,505 February calls on 1 March: $5.01, €3.76, ¥752, 3.758 KWD', async () => {
    at(server, '2025-02-27T00:00:00Z');
    for (const c of currencies) await sendEvents(server.api, { eventName: meter.event_name, customer: customers[c].external_id, timestamp: '2025-02-15T00:00:00Z', count: 2505, prefix: `feb-${c}` });
    expect(await billAt(server, '2025-03-01T00:00:00Z')).toBe(4);
    const expected: Record<Currency, [calls: string, total: string]> = {
      usd: ['5.01', '15'], //    2,505 × $0.002 = $5.01 exactly; + $9.99
      eur: ['3.76', '12.75'], // 2,505 × €0.0015 = €3.7575 → €3.76; + €8.99
      jpy: ['752', '2252'], //   2,505 × ¥0.3 = ¥751.5 → ¥752 (half away from zero); + ¥1,500
      kwd: ['3.758', '6.753'], // 2,505 × 0.0015 = 3.7575 KWD → 3.758; + 2.995
    };
    for (const c of currencies) {
      const invoices = await invoicesOf(server.api, subs[c]);
      expect(invoices).toHaveLength(3);
      expect(byName(invoices[2])).toEqual([
        ['Calls', '2505', expected[c][0], ...february],
        ['Monthly fee', '1', prices[c].fee, ...march],
      ]);
      expect(headlineOf(invoices[2])).toMatchObject({ subtotal: expected[c][1], total: expected[c][1], amount_due: expected[c][1] });
    }
  });
});
