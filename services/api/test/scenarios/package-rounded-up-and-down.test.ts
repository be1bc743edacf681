// Upton and Dowd buy API calls in packs: $5 per 1,000 calls, billed monthly in arrears. Upton's
// plan charges every started pack (round up), Dowd's only complete packs (round down). In January
// each makes 2,500 calls: Upton pays 3 packs, $15; Dowd 2 packs, $10. In February each makes
// exactly 1,000: one pack, $5, either way. In March neither calls at all: the 1 April invoices
// have nothing to bill and are SKIPPED (no number, nothing due).
import { describe, expect, it } from 'vitest';
import { at, billAt, headlineOf, invoicesOf, linesOf, sendEvents, subscribe } from '../support/billing.ts';
import { createCustomer, createMeter, createPlan, createPrice, usagePrice, useTestServer } from '../support/fixtures.ts';

const server = useTestServer();
type Who = 'upton' | 'dowd';
const customers: Record<Who, any> = { upton: undefined, dowd: undefined };
const subs: Record<Who, string> = { upton: '', dowd: '' };
let meter: any;

const january = ['2025-01-01T00:00:00.000Z', '2025-02-01T00:00:00.000Z'] as const;
const february = ['2025-02-01T00:00:00.000Z', '2025-03-01T00:00:00.000Z'] as const;
const march = ['2025-03-01T00:00:00.000Z', '2025-04-01T00:00:00.000Z'] as const;

describe('$5 per 1,000 calls, started packs vs complete packs', () => {
  it('subscribes both on 1 January (usage only: the opening invoices are skipped)', async () => {
    at(server, '2025-01-01T00:00:00Z');
    const api = server.api;
    meter = await createMeter(api, { name: 'API calls' });
    for (const [who, round] of [['upton', 'up'], ['dowd', 'down']] as const) {
      const plan = await createPlan(api, { name: `Packs ${round}` });
      await createPrice(api, usagePrice(plan.id, meter.id, { billing_model: 'PACKAGE', amount: '5', transform_quantity: { divide_by: 1000, round } }));
      customers[who] = await createCustomer(api, { name: who });
      const sub = await subscribe(api, { customer_id: customers[who].id, plan_id: plan.id, currency: 'usd', billing_period: 'MONTHLY' });
      subs[who] = sub.id;
      const [opening] = await invoicesOf(api, sub.id);
      expect(headlineOf(opening)).toMatchObject({ invoice_status: 'SKIPPED', subtotal: '0', total: '0', amount_due: '0', invoice_number: null });
    }
  });

  it('bills 2,500 January calls on 1 February: Upton 3 packs $15, Dowd 2 packs $10', async () => {
    at(server, '2025-01-31T00:00:00Z');
    for (const who of ['upton', 'dowd'] as const) {
      await sendEvents(server.api, { eventName: meter.event_name, customer: customers[who].external_id, timestamp: '2025-01-12T08:00:00Z', count: 2500, prefix: `jan-${who}` });
    }
    expect(await billAt(server, '2025-02-01T00:00:00Z')).toBe(2);
    const [, upton] = await invoicesOf(server.api, subs.upton);
    expect(linesOf(upton)).toEqual([['API calls', '2500', '15', ...january]]); // ⌈2,500 ÷ 1,000⌉ = 3 packs × $5
    expect(headlineOf(upton)).toMatchObject({ invoice_status: 'FINALIZED', subtotal: '15', total_discount: '0', total_tax: '0', total: '15', amount_due: '15' });
    const [, dowd] = await invoicesOf(server.api, subs.dowd);
    expect(linesOf(dowd)).toEqual([['API calls', '2500', '10', ...january]]); // ⌊2,500 ÷ 1,000⌋ = 2 packs × $5
    expect(headlineOf(dowd)).toMatchObject({ invoice_status: 'FINALIZED', subtotal: '10', total_discount: '0', total_tax: '0', total: '10', amount_due: '10' });
  });

  it('bills exactly 1,000 February calls on 1 March: one pack, $5, either way', async () => {
    at(server, '2025-02-28T00:00:00Z');
    for (const who of ['upton', 'dowd'] as const) {
      await sendEvents(server.api, { eventName: meter.event_name, customer: customers[who].external_id, timestamp: '2025-02-03T08:00:00Z', count: 1000, prefix: `feb-${who}` });
    }
    expect(await billAt(server, '2025-03-01T00:00:00Z')).toBe(2);
    for (const who of ['upton', 'dowd'] as const) {
      const invoices = await invoicesOf(server.api, subs[who]);
      expect(linesOf(invoices[2])).toEqual([['API calls', '1000', '5', ...february]]); // 1,000 ÷ 1,000 = 1 pack × $5
      expect(headlineOf(invoices[2])).toMatchObject({ invoice_status: 'FINALIZED', subtotal: '5', total: '5', amount_due: '5' });
    }
  });

  it('skips the 1 April invoices: no calls in March, nothing to bill', async () => {
    await billAt(server, '2025-04-01T00:00:00Z');
    for (const who of ['upton', 'dowd'] as const) {
      const invoices = await invoicesOf(server.api, subs[who]);
      expect(invoices).toHaveLength(4);
      expect(headlineOf(invoices[3])).toEqual({
        invoice_status: 'SKIPPED',
        payment_status: 'PENDING', // nothing is owed, but nothing was paid either
        billing_reason: 'SUBSCRIPTION_CYCLE',
        period_start: march[0],
        period_end: march[1],
        subtotal: '0',
        total_discount: '0',
        total_tax: '0',
        total: '0',
        amount_due: '0',
        invoice_number: null,
      });
    }
  });
});
