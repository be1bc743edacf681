import type { AuthContext } from '../../auth-context.ts';
import { ExactDecimal } from '../../billing/money/index.ts';
import type { Period } from '../../billing/period/index.ts';
import type { Tx } from '../../db/transactions.ts';
import { newId } from '../../ids.ts';
import { newRecord } from '../../records.ts';
import { billProrationCharges, type InvoiceService, type InvoiceView, type ProrationCharge } from '../invoices/index.ts';
import type { CreditDeposit } from '../wallets/index.ts';
import type { SubscriptionLineItem } from './subscription-line-item.entity.ts';
import type { Subscription } from './subscription.entity.ts';
import type { ProrationCreditCause } from './proration-credit.entity.ts';
import { ProrationCreditRepo } from './proration-credit.repo.ts';
import type { ProrationDetail } from './subscription-cancel.convert.ts';
import { cappedCredit, isRecurringAdvance, lineageOf, unusedAdvanceCredits as periodCredits, unusedShare } from './subscription-proration.ts';

/** Where a proration credit goes: the wallets module's deposit, in the caller's unit of work. */
export type CreditDeposits = { deposit(tx: Tx, auth: AuthContext, deposit: CreditDeposit): Promise<unknown> };


/** The subscription's current period. */
export const currentPeriodOf = (sub: Subscription): Period => ({ start: sub.currentPeriodStart, end: sub.currentPeriodEnd });

export { isRecurringAdvance };

const prorationCredits = new ProrationCreditRepo();

/**
 * The unused value of a FIXED ADVANCE line item's cost (its price's cost at its quantity) for the
 * current period when it ends at `effective`: from then (or its later start) to its own end (or the
 * period's), by FlexPrice's coefficient (subscription-proration.ts). 0 for other lines.
 */
export function unusedOfEnding(sub: Subscription, item: SubscriptionLineItem, cost: string, effective: Date): string {
  if (!isRecurringAdvance(item)) return '0';
  const period = currentPeriodOf(sub);
  const from = item.startDate > effective ? item.startDate : effective;
  const to = item.endDate && item.endDate < period.end ? item.endDate : period.end;
  return unusedShare(cost, period, from, to, sub.currency);
}

/**
 * The credit for the unused part (from `at` to the current period's end) of what each FIXED ADVANCE
 * line item was charged for the current period, capped at that charge, computed as a cancellation's
 * (subscription-proration.ts). A single line item ended early is credited by `unusedOfEnding` and
 * `ProrationSettlement.capCredit` instead, which count the line's earlier charges and credits.
 */
export async function unusedAdvanceCredits(tx: Tx, auth: AuthContext, invoices: InvoiceService, sub: Subscription, items: SubscriptionLineItem[], at: Date): Promise<{ details: ProrationDetail[]; total: string }> {
  const period = currentPeriodOf(sub);
  return periodCredits(items, await invoices.lineItemCharges(tx, auth, sub.id, period), period, at, sub.currency);
}

/**
 * The credit for the unused part, from `at`, of each FIXED ADVANCE line item in `items` still held then
 * (a cancellation's, a plan change's closing lines): its price's cost (`costs`, by line item id) for
 * the time from `at` to its end inside the current period, capped at what its line was charged for the
 * period less the credits it already received (docs/api/subscriptions.md#proration-caps). `all`: every
 * line item of the subscription (the predecessors a line continues).
 */
export async function heldLineCredits(
  tx: Tx,
  auth: AuthContext,
  invoices: Pick<InvoiceService, 'lineItemCharges'>,
  sub: Subscription,
  items: readonly SubscriptionLineItem[],
  all: readonly SubscriptionLineItem[],
  costs: ReadonlyMap<string, string>,
  at: Date,
): Promise<{ details: ProrationDetail[]; total: string }> {
  const period = currentPeriodOf(sub);
  const charged = await invoices.lineItemCharges(tx, auth, sub.id, period);
  const credited = await prorationCredits.creditedBy(tx, auth, sub.id, period.start);
  return periodCredits(items, charged, period, at, sub.currency, { costs, credited, all });
}

/** What a line item's proration charge copies of it onto the invoice. */
export function prorationChargeOf(item: SubscriptionLineItem, amount: string, quantity: string, period: Period, description: string): ProrationCharge {
  return {
    subscriptionLineItemId: item.id,
    priceId: item.priceId,
    priceType: item.priceType,
    displayName: item.displayName ?? item.priceId,
    planDisplayName: item.planDisplayName ?? null,
    entityId: item.entityId,
    entityType: item.entityType,
    meterId: item.meterId ?? null,
    meterDisplayName: item.meterDisplayName ?? null,
    priceUnitId: item.priceUnitId ?? null,
    priceUnit: item.priceUnit ?? null,
    amount,
    quantity,
    period,
    metadata: { description },
  };
}

/**
 * Settles a change's proration in the caller's unit of work: the charges on one proration invoice
 * (none when they sum to 0), the credit deposited to the customer's PRE_PAID wallet as a
 * `SUBSCRIPTION_CREDIT_GRANT` top-up (none when 0). `key` names the change (retries make nothing twice).
 */
export class ProrationSettlement {
  readonly #invoices: InvoiceService;
  readonly #wallets: CreditDeposits;
  readonly #credits = new ProrationCreditRepo();

  constructor(invoices: InvoiceService, wallets: CreditDeposits) {
    this.#invoices = invoices;
    this.#wallets = wallets;
  }

  get invoices(): InvoiceService {
    return this.#invoices;
  }

  /** `period`: from the (earliest) change to the current period's end. */
  async charge(tx: Tx, auth: AuthContext, sub: Subscription, charges: ProrationCharge[], period: Period, at: Date, key: string): Promise<InvoiceView | undefined> {
    const positive = charges.filter((c) => new ExactDecimal(c.amount).gt(0));
    if (!positive.length) return undefined;
    return billProrationCharges(tx, auth, this.#invoices, {
      subscriptionId: sub.id,
      customerId: sub.customerId,
      currency: sub.currency,
      billingPeriod: sub.billingPeriod,
      period,
      at,
      idempotencyKey: `proration-charge-${key}`,
      charges: positive,
    });
  }

  /**
   * A line item's proration credit as FlexPrice caps it (docs/api/subscriptions.md#proration-caps):
   * `unused`, but never more than its line (the item and the line items it continues or that
   * continue it, `lineageOf`) was charged for the current period (`charged`: invoice lines by line item id, credit
   * lines subtracting) less the proration credits the line already received in it. What it gives is
   * recorded against `item`, in the caller's unit of work, for the line's later credits.
   */
  async capCredit(tx: Tx, auth: AuthContext, sub: Subscription, item: SubscriptionLineItem, items: readonly SubscriptionLineItem[], charged: ReadonlyMap<string, string>, unused: string, effective: Date, cause: ProrationCreditCause, now: Date): Promise<string> {
    if (!new ExactDecimal(unused).gt(0)) return '0';
    const lineage = lineageOf(item, items);
    const billed = lineage.reduce((s, l) => s.plus(charged.get(l.id) ?? '0'), new ExactDecimal(0));
    const credited = await this.#credits.creditedFor(tx, auth, sub.id, lineage.map((l) => l.id), sub.currentPeriodStart);
    const credit = cappedCredit(unused, billed.toFixed(), credited);
    if (new ExactDecimal(credit).gt(0)) {
      this.#credits.add(tx, {
        id: newId('prorationCredit'),
        subscriptionId: sub.id,
        subscriptionLineItemId: item.id,
        periodStart: sub.currentPeriodStart,
        periodEnd: sub.currentPeriodEnd,
        effectiveDate: effective,
        amount: credit,
        cause,
        ...newRecord(auth, now),
      });
    }
    return credit;
  }

  /** The wallet transaction's id, or undefined when there is nothing to credit. */
  async credit(tx: Tx, auth: AuthContext, sub: Subscription, amount: string, at: Date, key: string, description: string, metadata: Record<string, string>): Promise<string | undefined> {
    if (!new ExactDecimal(amount).gt(0)) return undefined;
    const made = (await this.#wallets.deposit(tx, auth, {
      customerId: sub.customerId,
      currency: sub.currency,
      reason: 'SUBSCRIPTION_CREDIT_GRANT',
      amount,
      idempotencyKey: `proration-credit-${key}`,
      at,
      description,
      metadata: { subscription_id: sub.id, ...metadata },
    })) as { transaction?: { id: string } } | undefined;
    return made?.transaction?.id ?? '';
  }
}
