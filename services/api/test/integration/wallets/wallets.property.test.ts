import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ExactDecimal } from '../../../src/billing/money/index.ts';
import { AppError } from '../../../src/errors/app-error.ts';
import type { ApiClient } from '../../support/api-client.ts';
import { at } from '../../support/billing.ts';
import { createCustomer, useTestServer } from '../../support/fixtures.ts';
import { expectLedgerHolds } from './wallet-ledger.ts';
import { walletServiceOf, wireLedger } from './wallet-service.ts';

/**
 * A model of the ledger, written apart from the service: credits in creation order with what is left
 * of each, consumed by sorting on FlexPrice's keys (priority, then expiry, none last; then the larger
 * credit; then the older).
 */
class LedgerModel {
  readonly credits: { amount: ExactDecimal; available: ExactDecimal; priority: number | null; expiry: number | null; seq: number }[] = [];
  balance = new ExactDecimal(0);

  credit(amount: string, priority: number | null, expiry: Date | null): void {
    const d = new ExactDecimal(amount);
    this.credits.push({ amount: d, available: d, priority, expiry: expiry?.getTime() ?? null, seq: this.credits.length });
    this.balance = this.balance.plus(d);
  }

  #spendable(at: Date, includeExpired: boolean) {
    const last = (x: number | null) => (x === null ? Number.POSITIVE_INFINITY : x);
    return this.credits
      .filter((c) => c.available.gt(0) && (includeExpired || c.expiry === null || c.expiry >= at.getTime()))
      .sort((a, b) => last(a.priority) - last(b.priority) || last(a.expiry) - last(b.expiry) || b.amount.comparedTo(a.amount) || a.seq - b.seq);
  }

  /** Whether unexpired credits cover `amount` at `at`. */
  covers(amount: string, at: Date): boolean {
    return this.#spendable(at, false).reduce((s, c) => s.plus(c.available), new ExactDecimal(0)).gte(amount);
  }

  debit(amount: string, at: Date, includeExpired = false): void {
    let left = new ExactDecimal(amount);
    for (const c of this.#spendable(at, includeExpired)) {
      const take = ExactDecimal.min(left, c.available);
      c.available = c.available.minus(take);
      left = left.minus(take);
    }
    this.balance = this.balance.minus(amount);
  }

  terminate(at: Date): void {
    if (this.balance.gt(0)) this.debit(this.balance.toFixed(), at, true);
    for (const c of this.credits) c.available = new ExactDecimal(0);
  }
}

/**
 * Random sequences of top-ups (with priorities and expiries), manual debits (which may overdraw),
 * consumptions (which may not), clock moves (credits expire) and terminations, against one wallet:
 * after every step the ledger's invariants hold (test/integration/wallets/wallet-ledger.ts), the step
 * did what it should to the balance, and every credit has exactly what the model says is left of it.
 */
const server = useTestServer();
let api: ApiClient;

type Step =
  | { kind: 'topUp'; credits: string; priority: number | null; expiresInDays: number | null; bonus: string | null }
  | { kind: 'debit'; credits: string }
  | { kind: 'consume'; credits: string }
  | { kind: 'advance'; days: number }
  | { kind: 'terminate' };

const credits = fc.integer({ min: 1, max: 50_000 }).map((n) => (n / 100).toString());
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('topUp' as const), credits, priority: fc.option(fc.integer({ min: 0, max: 3 })), expiresInDays: fc.option(fc.integer({ min: 1, max: 30 })), bonus: fc.option(credits, { freq: 4 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('debit' as const), credits }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('consume' as const), credits }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('advance' as const), days: fc.integer({ min: 1, max: 20 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'terminate' as const }) },
);
const rate = fc.constantFrom('1', '0.5', '0.01', '2.5', '0.333');

beforeAll(() => {
  api = server.api;
});

describe('the wallet ledger', () => {
  it('keeps its invariants after every step of any sequence', async () => {
    const { wallets, auth } = walletServiceOf(server);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(rate, rate, fc.array(step, { minLength: 1, maxLength: 12 }), async (conversionRate, topupConversionRate, steps) => {
        at(server, '2025-10-01T00:00:00Z');
        const customer = await createCustomer(api);
        const created = await api.post('/v1/wallets', { customer_id: customer.id, currency: 'usd', conversion_rate: conversionRate, topup_conversion_rate: topupConversionRate });
        expect(created.status, JSON.stringify(created.body)).toBe(200);
        const id = created.body.id;
        let closed = false;
        let key = 0;
        const model = new LedgerModel();
        for (const s of steps) {
          const before = (await wireLedger(wallets, auth, id)).wallet;
          const now = server.clock.now();
          let expectedChange: string | null = null; // in credits, as a decimal string; null: the step is refused
          try {
            if (s.kind === 'topUp') {
              const expiry = s.expiresInDays === null ? null : new Date(now.getTime() + s.expiresInDays * 86_400_000);
              await wallets.topUp(auth, id, { reason: 'PURCHASED_CREDIT_DIRECT', credits: s.credits, amount: null, expiryDate: expiry, priority: s.priority, idempotencyKey: `k${run}-${key++}`, description: null, metadata: {}, bonusCredits: s.bonus, bonusExpiryDate: expiry });
              expectedChange = (Number(s.credits) + Number(s.bonus ?? 0)).toFixed(2);
              model.credit(s.credits, s.priority, expiry);
              if (s.bonus !== null) model.credit(s.bonus, s.priority, expiry);
            } else if (s.kind === 'debit') {
              await wallets.debit(auth, id, { credits: s.credits, idempotencyKey: `k${run}-${key++}`, description: null, metadata: {} });
              expectedChange = (-Number(s.credits)).toFixed(2);
              model.debit(s.credits, now);
            } else if (s.kind === 'consume') {
              const covered = model.covers(s.credits, now);
              await wallets.consumeNow(auth, id, { credits: s.credits, reason: 'CREDIT_ADJUSTMENT' });
              expect(covered, 'a consumption the unexpired credits cover, and only one, succeeds').toBe(true);
              expectedChange = (-Number(s.credits)).toFixed(2);
              model.debit(s.credits, now);
            } else if (s.kind === 'advance') {
              at(server, new Date(now.getTime() + s.days * 86_400_000).toISOString());
              expectedChange = '0.00';
            } else {
              await wallets.terminate(auth, id);
              expectedChange = (-Math.max(Number(before.credit_balance), 0)).toFixed(2);
              closed = true;
              model.terminate(now);
            }
          } catch (err) {
            expect(err).toBeInstanceOf(AppError);
            const refusal = err as AppError;
            // Refused only when the wallet is closed, or a consumption the unexpired credits cannot cover.
            if (closed) expect(refusal.code).toBe('invalid_operation');
            else {
              expect(s.kind).toBe('consume');
              expect(refusal.message).toBe('insufficient balance');
              expect(model.covers((s as { credits: string }).credits, now)).toBe(false);
            }
          }
          const { wallet, ledger } = await wireLedger(wallets, auth, id);
          expectLedgerHolds(wallet, ledger);
          const change = expectedChange ?? '0.00';
          expect((Number(wallet.credit_balance) - Number(before.credit_balance)).toFixed(2), `${s.kind} moved the balance`).toBe(change);
          if (closed) expect(wallet.wallet_status).toBe('closed');
          // The service consumed exactly the credits the model did, and agrees on the balance.
          expect(ledger.filter((t) => t.type === 'credit').map((t) => t.credits_available), `${s.kind}: credits left`).toEqual(model.credits.map((c) => c.available.toFixed()));
          expect(wallet.credit_balance).toBe(model.balance.toFixed());
        }
        run++;
      }),
      { numRuns: 25, seed: 4242, endOnFailure: true },
    );
  }, 600_000);
});
