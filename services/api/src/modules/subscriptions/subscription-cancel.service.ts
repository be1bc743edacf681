import type { AuthContext } from '../../auth-context.ts';
import { ExactDecimal } from '../../billing/money/index.ts';
import { priceCost } from '../../billing/pricing/index.ts';
import type { Tx } from '../../db/transactions.ts';
import { AppError, invalidFields } from '../../errors/app-error.ts';
import { orNotFound } from '../../errors/not-found.ts';
import { touch } from '../../records.ts';
import type { ServiceContext } from '../../service-context.ts';
import type { CustomerTime, InvoiceService, InvoiceView } from '../invoices/index.ts';
import type { CreditDeposit } from '../wallets/index.ts';
import { record } from '../webhooks/index.ts';
import type { CancelRequest, CancellationResult } from './subscription-cancel.convert.ts';
import { heldLineCredits } from './line-item-proration.ts';
import { cancel } from './subscription-cancellation.ts';
import type { SubscriptionReads } from './subscription-reads.ts';
import type { Subscription } from './subscription.entity.ts';
import type { SubscriptionRepo } from './subscription.repo.ts';
import { subscriptionEvent } from './subscription.webhook.ts';
import type { CancellationConfiguration } from './subscription-schedule.entity.ts';
import { SubscriptionScheduleRepo } from './subscription-schedule.repo.ts';

/** Where a proration credit goes: the wallets module's deposit, in the caller's unit of work. */
export type CreditDeposits = { deposit(tx: Tx, auth: AuthContext, deposit: CreditDeposit): Promise<unknown> };

export type CancellationFaces = {
  repo: SubscriptionRepo;
  reads: SubscriptionReads;
  invoices: InvoiceService;
  time: CustomerTime;
  wallets: CreditDeposits;
};

const refused = (message: string, details: Record<string, unknown>) => new AppError('invalid_operation', message, details);

/**
 * `POST /subscriptions/{id}/cancel` (docs/api/subscriptions.md#cancelling): one unit of work holding
 * the subscription's lock — the new state, the final invoice when asked for, the proration credit
 * into the wallet, and the announcement commit together or not at all.
 */
export class SubscriptionCancellations {
  readonly #ctx: ServiceContext;
  readonly #faces: CancellationFaces;
  readonly #schedules = new SubscriptionScheduleRepo();

  constructor(ctx: ServiceContext, faces: CancellationFaces) {
    this.#ctx = ctx;
    this.#faces = faces;
  }

  cancel(auth: AuthContext, id: string, req: CancelRequest): Promise<CancellationResult> {
    return this.#ctx.db.run(async (tx) => {
      const sub = orNotFound(await this.#faces.repo.locked(tx, auth, id), 'Subscription', 'id', id);
      const now = await this.#faces.time.nowFor(tx, auth, sub.customerId);
      if (sub.subscriptionStatus === 'draft') throw refused(`subscription ${id} is a draft; a draft cannot be cancelled (it was never started)`, { id });
      if (sub.subscriptionStatus === 'cancelled') throw refused(`subscription ${id} is already cancelled`, { id });
      if (req.type !== 'immediate' && sub.cancelAt) {
        throw refused(`subscription ${id} is already scheduled to cancel at ${sub.cancelAt.toISOString()}`, { id, cancel_at: sub.cancelAt.toISOString() });
      }
      const trialing = sub.subscriptionStatus === 'trialing';
      const lineItems = await this.#faces.repo.lineItemsOf(tx, auth, [sub.id]);
      if (req.prorationBehavior === 'create_prorations' && !trialing) {
        const recurring = lineItems.filter((l) => l.billingPeriod !== 'ONETIME' && (!l.endDate || l.endDate > sub.currentPeriodStart));
        if (recurring.some((l) => l.billingPeriod !== sub.billingPeriod || l.billingPeriodCount !== sub.billingPeriodCount)) {
          throw invalidFields({ proration_behavior: 'create_prorations is not supported when the line items have mixed billing periods; use none' });
        }
      }
      const effective = this.#effectiveDate(sub, req, now);
      sub.metadata = { ...sub.metadata, cancellation_type: req.type, cancellation_reason: req.reason ?? '', effective_date: effective.toISOString() };
      const result: CancellationResult = { subscription: sub, type: req.type, effective, reason: req.reason, prorationDetails: [], totalCredit: '0', processedAt: now };
      if (req.type !== 'immediate') {
        this.#schedules.addPending(tx, auth, sub, 'cancellation', effective, {
          cancellation_type: req.type,
          reason: req.reason ?? '',
          original_cancel_at: sub.cancelAt?.toISOString() ?? null,
          original_end_date: sub.endDate?.toISOString() ?? null,
          original_current_period_end: sub.currentPeriodEnd.toISOString(),
          original_cancel_at_period_end: sub.cancelAtPeriodEnd,
        } satisfies CancellationConfiguration, now);
        this.#schedule(sub, req, effective, now, auth);
        await record(tx, auth, subscriptionEvent('subscription.updated', sub, now));
        return result;
      }
      if (req.prorationBehavior === 'create_prorations' && !trialing) {
        const credit = await this.#prorationCredit(tx, auth, sub, lineItems, effective);
        result.prorationDetails = credit.details;
        result.totalCredit = credit.total;
      }
      const period = { start: sub.currentPeriodStart, end: sub.currentPeriodEnd };
      for (const item of lineItems) {
        if (!item.endDate || item.endDate > effective) {
          item.endDate = effective;
          touch(item, auth, now);
        }
      }
      sub.cancelAt = effective;
      sub.cancelAtPeriodEnd = false;
      await record(tx, auth, subscriptionEvent('subscription.updated', sub, now));
      await cancel(tx, auth, sub, effective, now);
      await this.#faces.repo.flush(tx);
      if (req.invoicePolicy === 'generate_invoice' && !trialing && period.start < effective) {
        result.invoice = await this.#finalInvoice(tx, auth, sub, { start: period.start, end: effective }, now);
      }
      if (new ExactDecimal(result.totalCredit).gt(0)) {
        await this.#faces.wallets.deposit(tx, auth, {
          customerId: sub.customerId,
          currency: sub.currency,
          reason: 'SUBSCRIPTION_CREDIT_GRANT',
          amount: result.totalCredit,
          idempotencyKey: `cancel-proration-${sub.id}`,
          at: now,
          description: `unused time of subscription ${sub.id} after its cancellation`,
          metadata: { subscription_id: sub.id, effective_date: effective.toISOString() },
        });
      }
      return result;
    });
  }

  /** When the cancellation takes effect, or why the request is refused. */
  #effectiveDate(sub: Subscription, req: CancelRequest, now: Date): Date {
    switch (req.type) {
      case 'end_of_period':
        return sub.currentPeriodEnd;
      case 'scheduled_date': {
        const at = req.cancelAt!;
        if (at <= sub.currentPeriodStart) throw invalidFields({ cancel_at: `must be after the current period's start (${sub.currentPeriodStart.toISOString()}); that period is billed already` });
        return at;
      }
      case 'immediate': {
        if (!req.cancelAt) return now;
        if (req.cancelAt > now) throw invalidFields({ cancel_at: 'must not be in the future for an immediate cancellation; use scheduled_date' });
        if (req.cancelAt <= sub.currentPeriodStart) throw invalidFields({ cancel_at: `must be after the current period's start (${sub.currentPeriodStart.toISOString()})` });
        return req.cancelAt;
      }
    }
  }

  /**
   * A scheduled cancellation: billing goes on until `effective`, which becomes the subscription's end.
   * A date inside an active subscription's current period shortens that period, so its end invoice
   * (made by the bill run at that date — at once when the date is past) bills ARREAR charges and usage
   * up to the date and no next period; the subscription is cancelled with it.
   */
  #schedule(sub: Subscription, req: CancelRequest, effective: Date, now: Date, auth: AuthContext): void {
    sub.cancelAt = effective;
    sub.endDate = effective;
    sub.cancelledAt = now;
    sub.cancelAtPeriodEnd = req.type === 'end_of_period';
    if (sub.subscriptionStatus === 'active' && effective < sub.currentPeriodEnd) sub.currentPeriodEnd = effective;
    sub.version += 1;
    touch(sub, auth, now);
  }

  /** The credit for the unused time of each FIXED ADVANCE line at its price, capped at what the line was charged less its earlier credits. */
  async #prorationCredit(tx: Tx, auth: AuthContext, sub: Subscription, lineItems: Awaited<ReturnType<SubscriptionRepo['lineItemsOf']>>, effective: Date) {
    const billable = await this.#faces.reads.billableOf(tx, auth, sub);
    const costs = new Map(billable.invoicing.lineItems.map((l) => [l.id, priceCost(l.price.rated, l.quantity).exactAmount]));
    return heldLineCredits(tx, auth, this.#faces.invoices, sub, lineItems, lineItems, costs, effective);
  }

  async #finalInvoice(tx: Tx, auth: AuthContext, sub: Subscription, period: { start: Date; end: Date }, now: Date): Promise<InvoiceView> {
    const billable = await this.#faces.reads.billableOf(tx, auth, sub);
    return this.#faces.invoices.billSubscription(tx, auth, { subscription: billable, billingReason: 'PRORATION', period, at: now, finalize: 'now' });
  }
}
