import { ExactDecimal } from '../../../src/billing/money/index.ts';

const none = new ExactDecimal(0);

/**
 * A model of one wallet's ledger, written apart from the service: credits in creation order with what
 * is left of each, consumed by sorting on FlexPrice's keys (priority, then expiry, none last; then the
 * larger credit; then the older).
 */
export class LedgerModel {
  readonly credits: { amount: ExactDecimal; available: ExactDecimal; priority: number | null; expiry: number | null; seq: number }[] = [];
  balance = none;

  credit(amount: ExactDecimal | string, priority: number | null, expiry: Date | null): void {
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

  /** The credits left that are unexpired at `at`. */
  unexpired(at: Date): ExactDecimal {
    return this.#spendable(at, false).reduce((s, c) => s.plus(c.available), none);
  }

  /** Whether unexpired credits cover `amount` at `at`. */
  covers(amount: ExactDecimal | string, at: Date): boolean {
    return this.unexpired(at).gte(amount);
  }

  debit(amount: ExactDecimal | string, at: Date, includeExpired = false): void {
    let left = new ExactDecimal(amount);
    for (const c of this.#spendable(at, includeExpired)) {
      const take = ExactDecimal.min(left, c.available);
      c.available = c.available.minus(take);
      left = left.minus(take);
    }
    this.balance = this.balance.minus(amount);
  }

  /** Termination (and the closing half of a conversion): a positive balance debited, expired credits included; nothing left to spend. */
  terminate(at: Date): void {
    if (this.balance.gt(0)) this.debit(this.balance, at, true);
    for (const c of this.credits) c.available = none;
  }

  /** What is left of every credit past its expiry at `at` lapses, except credits whose expiry `deferred` holds back. Counts both. */
  expire(at: Date, deferred: (expiry: number) => boolean): { lapsed: number; deferred: number } {
    const counts = { lapsed: 0, deferred: 0 };
    for (const c of this.credits) {
      if (c.expiry === null || c.expiry > at.getTime() || !c.available.gt(0)) continue;
      if (deferred(c.expiry)) {
        counts.deferred++;
        continue;
      }
      this.balance = this.balance.minus(c.available);
      c.available = none;
      counts.lapsed++;
    }
    return counts;
  }
}

export type WalletModel = { id: string; type: 'PRE_PAID' | 'POST_PAID'; closed: boolean; rate: ExactDecimal; ledger: LedgerModel };
export type InvoiceModel = { id: string; amountDue: ExactDecimal; amountPaid: ExactDecimal; refunded: ExactDecimal; voided: boolean; periodStart: number; periodEnd: number };

/** A customer's wallets (oldest first) and one-off invoices, as the model sees them. */
export class CustomerModel {
  readonly wallets: WalletModel[] = [];
  readonly invoices: InvoiceModel[] = [];

  addWallet(id: string, type: WalletModel['type'], rate: string): WalletModel {
    const w: WalletModel = { id, type, closed: false, rate: new ExactDecimal(rate), ledger: new LedgerModel() };
    this.wallets.push(w);
    return w;
  }

  /** The wallet the steps act on: the one made last. */
  current(): WalletModel {
    return this.wallets.at(-1)!;
  }

  active(type: WalletModel['type']): WalletModel | undefined {
    return this.wallets.find((w) => w.type === type && !w.closed);
  }

  /**
   * FlexPrice's deferral, for a customer without subscriptions: an unpaid invoice (not voided, something
   * left to pay) whose period holds the expiry (start < expiry ≤ end) keeps the credits from lapsing.
   */
  deferred(expiry: number): boolean {
    return this.invoices.some((i) => !i.voided && i.amountPaid.lt(i.amountDue) && i.periodStart < expiry && i.periodEnd >= expiry);
  }

  /** The expiry due work at `at`: active wallets only. How many credits lapsed and how many were held back. */
  expire(at: Date): { lapsed: number; deferred: number } {
    const counts = { lapsed: 0, deferred: 0 };
    for (const w of this.wallets.filter((x) => !x.closed)) {
      const c = w.ledger.expire(at, (expiry) => this.deferred(expiry));
      counts.lapsed += c.lapsed;
      counts.deferred += c.deferred;
    }
    return counts;
  }
}
