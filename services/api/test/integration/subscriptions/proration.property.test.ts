import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { divideRounded, ExactDecimal } from '../../../src/billing/money/index.ts';
import { prorationCoefficient, type Period } from '../../../src/billing/period/index.ts';
import { at, invoicesOf, subscribe } from '../../support/billing.ts';
import { createCustomer, createPlan, createPrice, fixedPrice, useTestServer } from '../../support/fixtures.ts';
import { ledgerOf } from '../wallets/wallet-ledger.ts';

/**
 * The proration property (docs/api/subscriptions.md#proration-caps), through the HTTP API: a
 * subscription bills seats in advance from 1 April 2025 (a 30-day period); at random, increasing
 * instants of April it changes quantities (modify quantity_change), adds line items with
 * create_prorations and deletes them with create_prorations. Then, for each line (a line item and the
 * successors its quantity changes made), the charges (the opening invoice's and the PRORATION
 * invoices' lines) less the credits (the PRE_PAID wallet's SUBSCRIPTION_CREDIT_GRANT top-ups each
 * change made; an immediate cancellation with prorations after the last change, when drawn, credits
 * each line still held, as its proration_details say) equal the time-weighted price of what it held:
 *
 *   Σ amount × quantityᵢ × (c(tᵢ) − c(tᵢ₊₁)),  c(t) = (1 May − 1 s − t) ÷ (1 May − 1 s − 1 April)
 *
 * (c = 1 at the period's start, 0 at its end) — within half a cent per change on that line. Each
 * charge and each credit is rounded to the cent once, when it is made (FlexPrice rounds each
 * proration result: docs/flexprice-compatibility.md#proration), and the exact sum telescopes to the
 * time-weighted price, so the error is the sum of those roundings: at most ½ cent each. (No
 * largest-remainder split is needed: each amount belongs to one line and is rounded on its own.) Also,
 * no line is ever credited more than it was charged.
 */
const server = useTestServer();
const april: Period = { start: new Date('2025-04-01T00:00:00Z'), end: new Date('2025-05-01T00:00:00Z') };
const seconds = (april.end.getTime() - april.start.getTime()) / 1000;
const d = (s: string | number) => new ExactDecimal(s);

type Op = { second: number; kind: 'quantity' | 'add' | 'delete'; pick: number; quantity: number; amount: string };
const amount = fc.constantFrom('3', '7.77', '30', '0.99', '123.45', '19.99');
const op = fc.record({ kind: fc.constantFrom('quantity' as const, 'quantity' as const, 'add' as const, 'delete' as const), pick: fc.nat(9), quantity: fc.integer({ min: 1, max: 20 }), amount });
const ops: fc.Arbitrary<Op[]> = fc
  .uniqueArray(fc.integer({ min: 1, max: seconds - 1 }), { minLength: 1, maxLength: 8 })
  .chain((instants) => fc.tuple(...instants.sort((a, b) => a - b).map((second) => op.map((o) => ({ ...o, second })))));

/** One line as the test saw it: its price, what it held from when, and the line items it went through. */
type Line = { amount: string; itemId: string; itemIds: string[]; held: { from: Date; quantity: number }[]; end: Date | null; changes: number; credits: ExactDecimal };

/** The exact time-weighted price of what `line` held in April. */
function timeWeighted(line: Line): ExactDecimal {
  const n = (t: Date) => prorationCoefficient(april, t).numerator;
  const denominator = prorationCoefficient(april, april.start).denominator;
  let sum = d(0);
  line.held.forEach((h, i) => {
    const until = line.held[i + 1]?.from ?? line.end;
    sum = sum.plus(d(line.amount).times(h.quantity).times(n(h.from).minus(until ? n(until) : 0)));
  });
  return divideRounded(sum, denominator, 10);
}

async function walletCreditTotal(customerId: string): Promise<ExactDecimal> {
  const wallets = (await server.api.get(`/v1/customers/${customerId}/wallets`)).body;
  if (!wallets.length) return d(0);
  const ledger = await ledgerOf(server.api, wallets[0].id);
  return ledger.filter((t: any) => t.type === 'credit' && t.transaction_reason === 'SUBSCRIPTION_CREDIT_GRANT').reduce((s: ExactDecimal, t: any) => s.plus(t.amount), d(0));
}

describe('proration over any sequence of changes in one period', () => {
  it('nets each line to the time-weighted price of what it held, to the cent, and never credits more than charged', async () => {
    await fc.assert(
      fc.asyncProperty(amount, fc.integer({ min: 1, max: 20 }), ops, fc.option(fc.integer({ min: 1, max: 86_400 })), async (seatAmount, seats, steps, cancelAfter) => {
        at(server, '2025-04-01T00:00:00Z');
        const plan = await createPlan(server.api, { name: 'Seats' });
        const price = await createPrice(server.api, fixedPrice(plan.id, { amount: seatAmount }));
        const customer = await createCustomer(server.api);
        const sub = await subscribe(server.api, { customer_id: customer.id, plan_id: plan.id, currency: 'usd', billing_period: 'MONTHLY', override_line_items: [{ price_id: price.id, quantity: String(seats) }] });
        const first = sub.line_items[0];
        const lines: Line[] = [{ amount: seatAmount, itemId: first.id, itemIds: [first.id], held: [{ from: april.start, quantity: Number(first.quantity) }], end: null, changes: 0, credits: d(0) }];
        for (const step of steps) {
          const when = at(server, new Date(april.start.getTime() + step.second * 1000).toISOString());
          const live = lines.filter((l) => !l.end);
          const kind = live.length ? step.kind : 'add';
          const line = live[step.pick % Math.max(live.length, 1)]!;
          const before = await walletCreditTotal(customer.id);
          let credited: Line;
          if (kind === 'add') {
            const res = await server.api.post(`/v1/subscriptions/${sub.id}/lineitems`, {
              price: { type: 'FIXED', amount: step.amount, billing_period: 'MONTHLY', billing_model: 'FLAT_FEE', invoice_cadence: 'ADVANCE' },
              quantity: String(step.quantity),
              proration_behavior: 'create_prorations',
            });
            expect(res.status, JSON.stringify(res.body)).toBe(201);
            credited = { amount: step.amount, itemId: res.body.id, itemIds: [res.body.id], held: [{ from: when, quantity: step.quantity }], end: null, changes: 1, credits: d(0) };
            lines.push(credited);
          } else if (kind === 'delete') {
            const res = await server.api.request('DELETE', `/v1/subscriptions/lineitems/${line.itemId}`, { proration_behavior: 'create_prorations' });
            expect(res.status, JSON.stringify(res.body)).toBe(200);
            line.end = when;
            line.changes += 1;
            credited = line;
          } else {
            const held = line.held.at(-1)!.quantity;
            const res = await server.api.post(`/v1/subscriptions/${sub.id}/modify/execute`, { type: 'quantity_change', quantity_change_params: { line_items: [{ id: line.itemId, quantity: String(step.quantity) }] } });
            expect(res.status, JSON.stringify(res.body)).toBe(200);
            if (step.quantity !== held) {
              const successor = res.body.changed_resources.line_items.find((l: any) => l.change_action === 'created');
              line.itemId = successor.id;
              line.itemIds.push(successor.id);
              line.held.push({ from: when, quantity: step.quantity });
              line.changes += 1;
            }
            credited = line;
          }
          credited.credits = credited.credits.plus((await walletCreditTotal(customer.id)).minus(before));
        }
        const last = steps.at(-1)!.second;
        if (cancelAfter !== null && last + cancelAfter < seconds) {
          // An immediate cancellation with prorations credits each line still held: its end.
          const when = at(server, new Date(april.start.getTime() + (last + cancelAfter) * 1000).toISOString());
          const res = await server.api.post(`/v1/subscriptions/${sub.id}/cancel`, { cancellation_type: 'immediate', proration_behavior: 'create_prorations' });
          expect(res.status, JSON.stringify(res.body)).toBe(200);
          for (const line of lines.filter((l) => !l.end)) {
            line.end = when;
            line.changes += 1;
            const detail = res.body.proration_details.find((p: any) => line.itemIds.includes(p.line_item_id));
            line.credits = line.credits.plus(detail?.credit_amount ?? '0');
          }
        }
        const invoices = await invoicesOf(server.api, sub.id);
        for (const line of lines) {
          const charged = invoices
            .filter((i: any) => i.billing_reason === 'SUBSCRIPTION_CREATE' || i.billing_reason === 'PRORATION')
            .flatMap((i: any) => i.line_items)
            .filter((l: any) => line.itemIds.includes(l.subscription_line_item_id))
            .reduce((s: ExactDecimal, l: any) => s.plus(l.amount), d(0));
          const expected = timeWeighted(line);
          const net = charged.minus(line.credits);
          const what = `line ${JSON.stringify({ ...line, credits: line.credits.toFixed() })}: charged ${charged.toFixed()}, credited ${line.credits.toFixed()}, time-weighted ${expected.toFixed()}`;
          expect(line.credits.lte(charged), what).toBe(true);
          expect(net.minus(expected).abs().lte(d('0.005').times(line.changes)), what).toBe(true);
        }
      }),
      { numRuns: 20, seed: 1406, endOnFailure: true },
    );
  }, 300_000);
});

