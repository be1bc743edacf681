import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyWalletCredits } from '../../../src/billing/invoicing/index.ts';
import { ExactDecimal } from '../../../src/billing/money/index.ts';
import { creditsForAmount } from '../../../src/billing/wallets/index.ts';
import { Transactions } from '../../../src/db/transactions.ts';
import { AppError } from '../../../src/errors/app-error.ts';
import { toWalletResponse, WalletExpiryWork, WalletInvoiceCredits } from '../../../src/modules/wallets/index.ts';
import type { ApiClient } from '../../support/api-client.ts';
import { at } from '../../support/billing.ts';
import { createCustomer, useTestServer } from '../../support/fixtures.ts';
import { expectLedgerHolds } from './wallet-ledger.ts';
import { CustomerModel, type WalletModel } from './wallet-ledger-model.ts';
import { defaultScope } from './wallet-runners.ts';
import { walletServiceOf, wireLedger } from './wallet-service.ts';

/**
 * Random sequences of steps against one customer's wallets, each checked against a model written apart
 * from the service (wallet-ledger-model.ts):
 *
 * - top-ups (with priorities, expiries and bonus credits), manual debits (which may overdraw),
 *   consumptions (which may not), terminations and prepaid → postpaid conversions (`modify`) of the
 *   wallet made last;
 * - invoice applications: prepaid credits paying a subscription invoice's usage at finalization. Driving
 *   real subscriptions to finalization on every step would make a run too slow, so the step calls the
 *   wallets module's use case directly, as finalization does (WalletInvoiceCredits.prepaidFor, the pure
 *   applyWalletCredits on one USAGE line, then payInvoice — once more, to show a repeat debits nothing),
 *   for an invoice id of its own;
 * - one-off invoices through the API (finalized, unpaid, their period around now), OFFLINE payments of
 *   part or all of one, and voids (a paid part comes back as an INVOICE_VOID_REFUND deposit into the
 *   active PRE_PAID wallet, or a new one at rate 1): real money paths, and the unpaid invoices are what
 *   FlexPrice's deferral of credit expiry looks at;
 * - clock moves followed by the credit-expiry due work, and the due work alone (after a payment or a
 *   void ended a deferral).
 *
 * After every step, on every wallet of the customer: the ledger's invariants (wallet-ledger.ts:
 * credit_balance = Σ completed credits − Σ debits, credits_available within [0, credit_amount],
 * balance = credit_balance × conversion_rate, the balance chain), every credit has exactly what the
 * model says is left of it (no credit is consumed twice), the balance and status are the model's; a
 * step is refused exactly when the model says so; and every invoice's amount_remaining = amount_due −
 * amount_paid, with what was paid and refunded.
 */
const server = useTestServer();
let api: ApiClient;

type Step =
  | { kind: 'topUp'; credits: string; priority: number | null; expiresInDays: number | null; bonus: string | null }
  | { kind: 'debit'; credits: string }
  | { kind: 'consume'; credits: string }
  | { kind: 'apply'; usage: string }
  | { kind: 'invoice'; amount: string; startedDaysAgo: number; endsInDays: number }
  | { kind: 'pay'; pick: number; amount: string }
  | { kind: 'void'; pick: number }
  | { kind: 'advance'; days: number }
  | { kind: 'expire' }
  | { kind: 'terminate' }
  | { kind: 'modify' };

const credits = fc.integer({ min: 1, max: 50_000 }).map((n) => new ExactDecimal(n).div(100).toFixed());
const money = fc.integer({ min: 1, max: 30_000 }).map((n) => new ExactDecimal(n).div(100).toFixed(2));
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('topUp' as const), credits, priority: fc.option(fc.integer({ min: 0, max: 3 })), expiresInDays: fc.option(fc.integer({ min: 1, max: 10 }), { freq: 3 }), bonus: fc.option(credits, { freq: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('debit' as const), credits }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('consume' as const), credits }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('apply' as const), usage: money }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('invoice' as const), amount: money, startedDaysAgo: fc.integer({ min: 0, max: 10 }), endsInDays: fc.integer({ min: 1, max: 30 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('pay' as const), pick: fc.nat(), amount: money }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('void' as const), pick: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('advance' as const), days: fc.integer({ min: 1, max: 8 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'expire' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'terminate' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'modify' as const }) },
);
const rate = fc.constantFrom('1', '0.5', '0.01', '2.5', '0.333');

/**
 * A sequence every run starts with, so each path is taken whatever the seed: credits held back by an
 * unpaid invoice past their expiry, lapsing once it is paid; a conversion; a void refund that makes a
 * PRE_PAID wallet again; a conversion refused for the POST_PAID wallet already there; a shortfall.
 */
const everyPath: [string, string, Step[]] = ['0.5', '0.25', [
  { kind: 'topUp', credits: '100', priority: null, expiresInDays: 5, bonus: null },
  { kind: 'invoice', amount: '40.00', startedDaysAgo: 1, endsInDays: 10 },
  { kind: 'apply', usage: '10.00' }, // $10 at 0.5: 20 credits, 80 left
  { kind: 'advance', days: 6 }, // past the expiry, inside the unpaid invoice's period: held back
  { kind: 'pay', pick: 0, amount: '40.00' },
  { kind: 'expire' }, // the invoice is paid: the 80 lapse
  { kind: 'topUp', credits: '10', priority: 1, expiresInDays: null, bonus: '2' },
  { kind: 'modify' }, // 12 credits move to a POST_PAID wallet
  { kind: 'topUp', credits: '5', priority: null, expiresInDays: null, bonus: null },
  { kind: 'void', pick: 0 }, // the $40 paid comes back as 40 credits in a new PRE_PAID wallet at rate 1
  { kind: 'modify' }, // refused: the customer has an active POST_PAID wallet in usd
  { kind: 'consume', credits: '50' }, // refused: 40 credits
  { kind: 'apply', usage: '15.00' },
  { kind: 'terminate' },
]];
const day = 86_400_000;
const cents = (d: ExactDecimal) => d.toDecimalPlaces(2, ExactDecimal.ROUND_DOWN);

beforeAll(() => {
  api = server.api;
});

describe('the wallet ledger', () => {
  it('keeps its invariants after every step of any sequence', async () => {
    const { wallets, auth } = walletServiceOf(server);
    const db = new Transactions(server.orm);
    const invoiceCredits = new WalletInvoiceCredits(wallets);
    const expiryErrors: unknown[] = [];
    const expiry = new WalletExpiryWork({ db, clock: server.clock }, { wallets, onError: (err) => expiryErrors.push(err) });
    const runExpiry = async () => {
      await expiry.runDue(defaultScope(server), server.clock.now());
      expect(expiryErrors).toEqual([]);
    };
    let run = 0;
    // The paths the sequences reached, over all runs: the test fails if a path it claims to cover was never taken.
    const reached = { applied: 0, lapsed: 0, deferred: 0, voidRefund: 0, voidWallet: 0, converted: 0, conversionRefused: 0, insufficient: 0 };
    const expired = (c: { lapsed: number; deferred: number }) => {
      reached.lapsed += c.lapsed;
      reached.deferred += c.deferred;
    };
    await fc.assert(
      fc.asyncProperty(rate, rate, fc.array(step, { minLength: 4, maxLength: 24, size: 'max' }), async (conversionRate, topupConversionRate, steps) => {
        at(server, '2025-10-01T00:00:00Z');
        const customer = await createCustomer(api);
        const created = await api.post('/v1/wallets', { customer_id: customer.id, currency: 'usd', conversion_rate: conversionRate, topup_conversion_rate: topupConversionRate });
        expect(created.status, JSON.stringify(created.body)).toBe(200);
        const model = new CustomerModel();
        model.addWallet(created.body.id, 'PRE_PAID', conversionRate);
        let key = 0;
        const nextKey = () => `k${run}-${key++}`;

        for (const s of steps) {
          const now = server.clock.now();
          const target = model.current();
          const closedRefusal = target.closed ? 'invalid_operation' : null;
          // What the model expects: null, the step goes through; a code, the step is refused with it.
          let refusal: string | null = null;
          let refused: AppError | null = null;
          const attempt = async (work: () => Promise<unknown>) => {
            try {
              await work();
            } catch (err) {
              if (!(err instanceof AppError)) throw err;
              refused = err;
            }
          };
          if (s.kind === 'topUp') {
            refusal = closedRefusal;
            const expiresAt = s.expiresInDays === null ? null : new Date(now.getTime() + s.expiresInDays * day);
            await attempt(() => wallets.topUp(auth, target.id, { reason: 'PURCHASED_CREDIT_DIRECT', credits: s.credits, amount: null, expiryDate: expiresAt, priority: s.priority, idempotencyKey: nextKey(), description: null, metadata: {}, bonusCredits: s.bonus, bonusExpiryDate: expiresAt }));
            if (!refusal) {
              target.ledger.credit(s.credits, s.priority, expiresAt);
              if (s.bonus !== null) target.ledger.credit(s.bonus, s.priority, expiresAt);
            }
          } else if (s.kind === 'debit') {
            refusal = closedRefusal;
            await attempt(() => wallets.debit(auth, target.id, { credits: s.credits, idempotencyKey: nextKey(), description: null, metadata: {} }));
            if (!refusal) target.ledger.debit(s.credits, now);
          } else if (s.kind === 'consume') {
            refusal = closedRefusal ?? (target.ledger.covers(s.credits, now) ? null : 'invalid_operation');
            await attempt(() => wallets.consumeNow(auth, target.id, { credits: s.credits, reason: 'CREDIT_ADJUSTMENT' }));
            if (!refusal) target.ledger.debit(s.credits, now);
            else if (!target.closed) {
              expect((refused as AppError | null)?.message).toBe('insufficient balance');
              reached.insufficient++;
            }
          } else if (s.kind === 'apply') {
            const invoiceId = `inv_prop_${run}_${key++}`;
            await db.run(async (tx) => {
              const available = await invoiceCredits.prepaidFor(tx, auth, customer.id, 'usd', now);
              const applied = applyWalletCredits([{ id: 'usage', priceType: 'USAGE', amountAfterDiscounts: s.usage }], available, 'usd');
              for (const paid of applied.byWallet) {
                await invoiceCredits.payInvoice(tx, auth, paid.walletId, { invoiceId, amount: paid.amount, at: now });
                await invoiceCredits.payInvoice(tx, auth, paid.walletId, { invoiceId, amount: paid.amount, at: now });
              }
            });
            const prepaid = model.active('PRE_PAID');
            if (prepaid) {
              const unexpired = prepaid.ledger.unexpired(now);
              const amount = ExactDecimal.min(new ExactDecimal(s.usage), cents(unexpired.times(prepaid.rate)));
              if (amount.gt(0)) reached.applied++;
              if (amount.gt(0)) prepaid.ledger.debit(ExactDecimal.min(creditsForAmount(amount, prepaid.rate), unexpired), now);
            }
          } else if (s.kind === 'invoice') {
            const periodStart = new Date(now.getTime() - s.startedDaysAgo * day);
            const periodEnd = new Date(now.getTime() + s.endsInDays * day);
            const res = await api.post('/v1/invoices', {
              customer_id: customer.id, currency: 'usd', subtotal: s.amount, total: s.amount, amount_due: s.amount,
              period_start: periodStart.toISOString(), period_end: periodEnd.toISOString(),
              line_items: [{ display_name: 'Work', amount: s.amount, quantity: '1', price_type: 'FIXED' }],
            });
            expect(res.status, JSON.stringify(res.body)).toBe(201);
            model.invoices.push({ id: res.body.id, amountDue: new ExactDecimal(s.amount), amountPaid: new ExactDecimal(0), refunded: new ExactDecimal(0), voided: false, periodStart: periodStart.getTime(), periodEnd: periodEnd.getTime() });
          } else if (s.kind === 'pay') {
            const open = model.invoices.filter((i) => !i.voided && i.amountPaid.lt(i.amountDue));
            const invoice = open[s.pick % Math.max(open.length, 1)];
            if (invoice) {
              const amount = ExactDecimal.min(new ExactDecimal(s.amount), invoice.amountDue.minus(invoice.amountPaid));
              const res = await api.post('/v1/payments', { amount: amount.toFixed(), currency: 'usd', destination_type: 'INVOICE', destination_id: invoice.id, payment_method_type: 'OFFLINE' });
              expect(res.status, JSON.stringify(res.body)).toBe(201);
              invoice.amountPaid = invoice.amountPaid.plus(amount);
            }
          } else if (s.kind === 'void') {
            const live = model.invoices.filter((i) => !i.voided);
            const invoice = live[s.pick % Math.max(live.length, 1)];
            if (invoice) {
              const res = await api.post(`/v1/invoices/${invoice.id}/void`, {});
              expect(res.status, JSON.stringify(res.body)).toBe(200);
              invoice.voided = true;
              const refund = invoice.amountPaid.minus(invoice.refunded);
              if (refund.gt(0)) {
                invoice.refunded = invoice.refunded.plus(refund);
                reached.voidRefund++;
                if (!model.active('PRE_PAID')) reached.voidWallet++;
                const into = model.active('PRE_PAID') ?? model.addWallet(await newWalletOf(customer.id, model), 'PRE_PAID', '1');
                into.ledger.credit(creditsForAmount(refund, into.rate), null, null);
              }
            }
          } else if (s.kind === 'advance') {
            at(server, new Date(now.getTime() + s.days * day).toISOString());
            await runExpiry();
            expired(model.expire(server.clock.now()));
          } else if (s.kind === 'expire') {
            await runExpiry();
            expired(model.expire(now));
          } else if (s.kind === 'terminate') {
            refusal = closedRefusal;
            await attempt(() => wallets.terminate(auth, target.id));
            if (!refusal) closeModel(target, now);
          } else {
            refusal = target.type !== 'PRE_PAID' || target.closed ? 'invalid_operation' : model.active('POST_PAID') ? 'already_exists' : null;
            let createdId = '';
            await attempt(async () => {
              createdId = (await wallets.modify(auth, target.id, 'prepaid_to_postpaid')).created.wallet.id;
            });
            if (refusal) reached.conversionRefused++;
            else {
              reached.converted++;
              const transferred = ExactDecimal.max(target.ledger.balance, 0);
              closeModel(target, now);
              const postpaid = model.addWallet(createdId, 'POST_PAID', target.rate.toFixed());
              if (transferred.gt(0)) postpaid.ledger.credit(transferred, null, null);
            }
          }
          expect((refused as AppError | null)?.code ?? null, `${s.kind}: refused as the model says`).toBe(refusal);
          await expectModelHolds(customer.id, model, s.kind);
        }
        run++;
      }),
      { numRuns: 30, seed: 4242, endOnFailure: true, examples: [everyPath] },
    );
    for (const [path, times] of Object.entries(reached)) expect(times, `the sequences reached ${path}`).toBeGreaterThan(0);

    /** The id of the wallet the service made that the model does not know yet. */
    async function newWalletOf(customerId: string, model: CustomerModel): Promise<string> {
      const { views } = await wallets.ofCustomer(auth, { id: customerId });
      const fresh = views.filter((v) => !model.wallets.some((w) => w.id === v.wallet.id));
      expect(fresh).toHaveLength(1);
      return fresh[0]!.wallet.id;
    }

    /** Every wallet and invoice of the customer against the model. */
    async function expectModelHolds(customerId: string, model: CustomerModel, kind: string): Promise<void> {
      const { views } = await wallets.ofCustomer(auth, { id: customerId });
      expect(views.map((v) => v.wallet.id).sort(), `${kind}: the customer's wallets`).toEqual(model.wallets.map((w) => w.id).sort());
      for (const w of model.wallets) {
        const { wallet, ledger } = await wireLedger(wallets, auth, w.id);
        expectLedgerHolds(wallet, ledger);
        expect([wallet.wallet_type, wallet.wallet_status, wallet.conversion_rate], `${kind}: ${w.id}`).toEqual([w.type, w.closed ? 'closed' : 'active', w.rate.toFixed()]);
        expect(ledger.filter((t) => t.type === 'credit').map((t) => t.credits_available), `${kind}: credits left in ${w.id}`).toEqual(w.ledger.credits.map((c) => c.available.toFixed()));
        expect(wallet.credit_balance, `${kind}: balance of ${w.id}`).toBe(w.ledger.balance.toFixed());
        expect(toWalletResponse((await wallets.get(auth, w.id))).credit_balance).toBe(wallet.credit_balance);
      }
      for (const i of model.invoices) {
        const invoice = (await api.get(`/v1/invoices/${i.id}`)).body;
        expect([invoice.invoice_status, invoice.amount_due, invoice.amount_paid, invoice.refunded_amount], `${kind}: invoice ${i.id}`).toEqual([
          i.voided ? 'VOIDED' : 'FINALIZED', i.amountDue.toFixed(), i.amountPaid.toFixed(), i.refunded.toFixed(),
        ]);
        expect(new ExactDecimal(invoice.amount_remaining).eq(new ExactDecimal(invoice.amount_due).minus(invoice.amount_paid)), `${kind}: ${i.id} amount_remaining`).toBe(true);
      }
    }
  }, 600_000);
});

/** Termination, or the closing half of a conversion: the model's wallet debited and closed. */
function closeModel(w: WalletModel, now: Date): void {
  w.ledger.terminate(now);
  w.closed = true;
}
