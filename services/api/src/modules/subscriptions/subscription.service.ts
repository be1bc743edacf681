import type { AuthContext } from '../../auth-context.ts';
import type { BillingReason } from '../../billing/invoicing/index.ts';
import type { PageOf } from '../../db/find-page.ts';
import type { Tx } from '../../db/transactions.ts';
import { AppError, invalidFields, notFound } from '../../errors/app-error.ts';
import { orNotFound } from '../../errors/not-found.ts';
import { newId } from '../../ids.ts';
import { newRecord, touch } from '../../records.ts';
import type { ServiceContext } from '../../service-context.ts';
import type { AddonDeletionGuard } from '../addons/index.ts';
import { byCustomerId, type Customer, type CustomerReader } from '../customers/index.ts';
import type { EntitlementService } from '../entitlements/index.ts';
import type { CustomerTime, Invoice, InvoicePaidHook, InvoiceService, InvoiceView } from '../invoices/index.ts';
import type { PlanDeletionGuard, PlanReader } from '../plans/index.ts';
import type { PriceService } from '../prices/index.ts';
import { record } from '../webhooks/index.ts';
import { eligiblePlanPrices, SubscriptionLineItems, trialDaysOf, type LineItemFaces } from './subscription-line-items.ts';
import { addDays, startingSchedule } from './subscription-periods.ts';
import type { SubscriptionReads } from './subscription-reads.ts';
import type { SubscriptionView } from './subscription-response.ts';
import { fullEmbeds, type NewSubscription, type SubscriptionChanges, type SubscriptionEmbeds, type SubscriptionQuery } from './subscription.convert.ts';
import type { Subscription, SubscriptionStatus } from './subscription.entity.ts';
import type { SubscriptionRepo } from './subscription.repo.ts';
import { subscriptionEvent } from './subscription.webhook.ts';
import { cancel } from './subscription-cancellation.ts';

/**
 * What other modules do when a subscription is created, in the same unit of work, after it is stored
 * and before its opening invoice (registered at the composition root): the taxes module turns its
 * `tax_rate_overrides` into its tax associations, or copies the customer's.
 */
export type SubscriptionCreationStep = (tx: Tx, auth: AuthContext, subscription: Subscription, at: Date) => Promise<unknown>;

export type SubscriptionServiceFaces = LineItemFaces & {
  /** "Now" for the subscription's customer (its test clock's time when it is on one). */
  time: CustomerTime;
  afterCreate?: readonly SubscriptionCreationStep[];
  /** What other modules do once a new (or activated) subscription has its status, in the same unit of work: credit grants apply what is due. */
  afterStart?: readonly SubscriptionCreationStep[];
  customers: CustomerReader;
  plans: PlanReader;
  prices: PriceService;
  entitlements: EntitlementService;
  invoices: InvoiceService;
  reads: SubscriptionReads;
  /** Attaches the requested addons to the subscription being created, in its unit of work (late-bound: the addons use case is built after). */
  attachAddons?: (tx: Tx, auth: AuthContext, sub: Subscription, addons: NewSubscription['addons'], now: Date) => Promise<void>;
};

const invalidOperation = (message: string, details: Record<string, unknown>) => new AppError('invalid_operation', message, details);

/** The UTC calendar date of an instant, as a comparable number (yyyymmdd). */
const utcDay = (d: Date) => d.getUTCFullYear() * 10_000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate();

/** Subscriptions: created, read, set by hand and activated; their invoices come from the invoices module. */
export class SubscriptionService {
  readonly #ctx: ServiceContext;
  readonly #repo: SubscriptionRepo;
  readonly #faces: SubscriptionServiceFaces;
  readonly #lines: SubscriptionLineItems;

  constructor(ctx: ServiceContext, repo: SubscriptionRepo, faces: SubscriptionServiceFaces) {
    this.#ctx = ctx;
    this.#repo = repo;
    this.#faces = faces;
    this.#lines = new SubscriptionLineItems(repo, faces);
  }

  /**
   * Subscribes a customer to a plan (docs/flexprice-compatibility.md#subscriptions) in one unit of
   * work: the schedule in the customer's time zone, line items, entitlement overrides and coupons,
   * then — unless a draft — the opening invoice (or the trial-start invoice), and the status from the
   * trial, `payment_behavior` and whether anything is left to pay.
   */
  create(auth: AuthContext, input: NewSubscription): Promise<SubscriptionView> {
    return this.#ctx.db.run(async (tx) => {
      const customer = await this.#customer(tx, auth, input);
      const now = await this.#faces.time.nowFor(tx, auth, customer);
      const plan = await this.#faces.plans.get(tx, auth, input.planId);
      if (!plan) throw notFound('Plan', 'plan_id', input.planId);
      if (plan.status !== 'published') throw invalidFields({ plan_id: `names plan ${plan.id}, which is ${plan.status}` });
      const startDate = input.startDate ?? now;
      if (input.endDate && input.endDate < startDate) throw invalidFields({ end_date: `must not be before start_date (${startDate.toISOString()})` });
      if (input.prorationBehavior === 'create_prorations' && utcDay(startDate) < utcDay(now)) {
        throw invalidFields({ start_date: 'must not be before today (UTC) with proration_behavior create_prorations' });
      }
      const all = await this.#faces.prices.ownedBy(tx, auth, 'PLAN', [plan.id], { endedToo: false, at: now, meters: true, priceUnits: false });
      const planPrices = eligiblePlanPrices(all, input.currency, input.billingPeriod);
      if (!planPrices.length) throw invalidFields({ plan_id: `no valid prices found for subscription: plan ${plan.id} has no price in ${input.currency} billed ${input.billingPeriod}` });
      const trialDays = trialDaysOf(input.trialPeriodDays, planPrices);
      if (input.requestedStatus === 'trialing' && trialDays === 0) throw invalidFields({ subscription_status: 'trialing needs a trial: give trial_period_days above 0 (or plan prices with one)' });

      const schedule = startingSchedule({
        cycle: input.billingCycle,
        unit: input.billingPeriod,
        count: input.billingPeriodCount,
        timezone: customer.timezone,
        start: startDate,
        end: input.endDate,
        requestedAnchor: input.billingAnchor,
        trialDays,
      });
      const sub = this.#repo.add(tx, {
        id: newId('subscription'),
        lookupKey: input.lookupKey,
        customerId: customer.id,
        planId: plan.id,
        subscriptionStatus: 'draft',
        currency: input.currency,
        billingAnchor: schedule.billingAnchor,
        billingCycle: input.billingCycle,
        startDate,
        endDate: input.endDate,
        currentPeriodStart: schedule.currentPeriod.start,
        currentPeriodEnd: schedule.currentPeriod.end,
        cancelledAt: null,
        cancelAt: null,
        cancelAtPeriodEnd: false,
        trialStart: schedule.trial?.start ?? null,
        trialEnd: schedule.trial?.end ?? null,
        billingPeriod: input.billingPeriod,
        billingPeriodCount: input.billingPeriodCount,
        version: 1,
        metadata: input.metadata,
        commitmentAmount: input.commitmentAmount,
        commitmentDuration: input.commitmentDuration,
        overageFactor: input.overageFactor,
        enableTrueUp: input.enableTrueUp,
        paymentBehavior: input.paymentBehavior,
        collectionMethod: input.collectionMethod,
        gatewayPaymentMethodId: input.gatewayPaymentMethodId,
        timezone: customer.timezone,
        prorationBehavior: input.prorationBehavior,
        paymentTerms: input.paymentTerms,
        taxRateOverrides: input.taxRateOverrides,
        ...newRecord(auth, now),
      });
      const items = await this.#lines.create(tx, auth, sub, plan, planPrices, input, now);
      await this.#faces.entitlements.overrideForSubscription(tx, auth, sub.id, plan.id, input.overrideEntitlements, now);
      // A coupon's price_id may name a plan price that an override replaced on its line item.
      const linePrices = await this.#faces.priceReader.getMany(tx, auth, items.map((i) => i.priceId));
      const parents = new Map([...linePrices].map(([id, p]) => [id, p.parentPriceId ?? id]));
      await this.#lines.attachCoupons(tx, auth, sub, items, parents, input, now);
      if (input.addons.length) await this.#faces.attachAddons?.(tx, auth, sub, input.addons, now);
      await this.#repo.flush(tx);
      for (const step of this.#faces.afterCreate ?? []) await step(tx, auth, sub, now);

      let latestInvoice: InvoiceView | undefined;
      if (input.requestedStatus === 'draft') {
        await record(tx, auth, subscriptionEvent('subscription.draft.created', sub, now, customer));
      } else {
        latestInvoice = await this.#start(tx, auth, sub, now, input.openingCredit);
        for (const step of this.#faces.afterStart ?? []) await step(tx, auth, sub, now);
        await record(tx, auth, subscriptionEvent('subscription.created', sub, now, customer));
      }
      const [view] = await this.#faces.reads.views(tx, auth, [sub], fullEmbeds);
      return { ...view!, ...(latestInvoice && latestInvoice.invoice.invoiceStatus !== 'SKIPPED' ? { latestInvoice } : {}) };
    });
  }

  /**
   * Starts a subscription that is not a draft any more: in its trial (a 0 trial-start invoice), or
   * with its opening invoice (the first period's ADVANCE charges) and the status `payment_behavior`
   * gives — `active` at once when nothing is left to pay. `error_if_incomplete` with something to pay
   * is refused: Tally has no payment gateway to charge it.
   */
  async #start(tx: Tx, auth: AuthContext, sub: Subscription, now: Date, openingCredit?: string): Promise<InvoiceView> {
    const billable = await this.#faces.reads.billableOf(tx, auth, sub);
    const period = { start: sub.currentPeriodStart, end: sub.currentPeriodEnd };
    if (sub.trialEnd) {
      sub.subscriptionStatus = 'trialing';
      return this.#faces.invoices.billSubscription(tx, auth, { subscription: billable, billingReason: 'SUBSCRIPTION_TRIAL_START', period, at: now, finalize: 'now' });
    }
    sub.subscriptionStatus = sub.paymentBehavior === 'default_active' ? 'active' : 'incomplete';
    const invoice = await this.#faces.invoices.billSubscription(tx, auth, { subscription: billable, billingReason: 'SUBSCRIPTION_CREATE', period, at: now, finalize: 'now', openingCredit });
    if (sub.subscriptionStatus === 'incomplete' && settled(invoice.invoice)) sub.subscriptionStatus = 'active';
    if (sub.subscriptionStatus === 'incomplete' && sub.paymentBehavior === 'error_if_incomplete') {
      throw invalidOperation(`the opening invoice (${invoice.invoice.amountDue} ${sub.currency}) could not be charged: Tally has no payment gateway yet; use allow_incomplete and record the payment`, {
        payment_behavior: sub.paymentBehavior,
      });
    }
    return invoice;
  }

  get(auth: AuthContext, id: string, embeds: SubscriptionEmbeds = fullEmbeds): Promise<SubscriptionView> {
    return this.#ctx.db.read(async (tx) => (await this.#faces.reads.views(tx, auth, [await this.#find(tx, auth, id)], embeds))[0]!);
  }

  list(auth: AuthContext, query: SubscriptionQuery): Promise<PageOf<SubscriptionView>> {
    return this.#ctx.db.read(async (tx) => {
      const narrowed = await byCustomerId(tx, auth, this.#faces.customers, query);
      if (!narrowed) return { items: [], total: 0 };
      const { items, total } = await this.#repo.page(tx, auth, narrowed);
      return { items: await this.#faces.reads.views(tx, auth, items, narrowed.embeds), total };
    });
  }

  /** Every subscription of the customer with this external id, cancelled ones too, newest first; not paged. 404 for no live customer. */
  ofExternalCustomer(auth: AuthContext, externalId: string, embeds: SubscriptionEmbeds): Promise<SubscriptionView[]> {
    return this.#ctx.db.read(async (tx) => {
      const c = await this.#faces.customers.getPublished(tx, auth, { externalId });
      if (!c) throw notFound('Customer', 'external_id', externalId);
      return this.#faces.reads.views(tx, auth, await this.#repo.ofCustomer(tx, auth, c.id), embeds);
    });
  }

  /** FlexPrice's raw setter: the fields as given, no other effect; announced by `subscription.updated`. */
  update(auth: AuthContext, id: string, changes: SubscriptionChanges): Promise<SubscriptionView> {
    return this.#ctx.db.run(async (tx) => {
      const sub = await this.#locked(tx, auth, id);
      const now = await this.#faces.time.nowFor(tx, auth, sub.customerId);
      if (changes.status !== undefined) sub.subscriptionStatus = changes.status;
      if (changes.cancelAt !== undefined) {
        sub.cancelAt = changes.cancelAt;
        sub.endDate = changes.cancelAt;
      }
      sub.cancelAtPeriodEnd = changes.cancelAtPeriodEnd;
      sub.version += 1;
      touch(sub, auth, now);
      await record(tx, auth, subscriptionEvent('subscription.updated', sub, now));
      return (await this.#faces.reads.views(tx, auth, [sub], { ...fullEmbeds, plan: false, customer: false, couponAssociations: false, coupons: false, lineItemPrices: false }))[0]!;
    });
  }

  /**
   * A draft starts at `startDate`: its anchor, periods, trial and line items' dates computed again from
   * it (an explicit anniversary anchor is kept), then started as at creation. Announced by
   * `subscription.activated`.
   */
  activate(auth: AuthContext, id: string, startDate: Date): Promise<SubscriptionView> {
    return this.#ctx.db.run(async (tx) => {
      const sub = await this.#locked(tx, auth, id);
      if (sub.subscriptionStatus !== 'draft') throw invalidOperation(`subscription ${id} is ${sub.subscriptionStatus}; only a draft subscription can be activated`, { id });
      if (sub.endDate && sub.endDate < startDate) throw invalidFields({ start_date: `must not be after the subscription's end_date (${sub.endDate.toISOString()})` });
      const now = await this.#faces.time.nowFor(tx, auth, sub.customerId);
      const trialDays = sub.trialStart && sub.trialEnd ? Math.round((sub.trialEnd.getTime() - sub.trialStart.getTime()) / 86_400_000) : 0;
      const explicitAnchor = sub.billingCycle === 'anniversary' && sub.billingAnchor.getTime() !== (sub.trialStart ?? sub.startDate).getTime() ? sub.billingAnchor : null;
      const schedule = startingSchedule({
        cycle: sub.billingCycle,
        unit: sub.billingPeriod,
        count: sub.billingPeriodCount,
        timezone: sub.timezone,
        start: startDate,
        end: sub.endDate ?? null,
        requestedAnchor: explicitAnchor,
        trialDays: trialDays > 0 ? Math.max(1, trialDays) : 0,
      });
      const previousStart = sub.startDate;
      Object.assign(sub, {
        startDate,
        billingAnchor: schedule.billingAnchor,
        currentPeriodStart: schedule.currentPeriod.start,
        currentPeriodEnd: schedule.currentPeriod.end,
        trialStart: schedule.trial?.start ?? null,
        trialEnd: schedule.trial?.end ?? (trialDays > 0 ? addDays(startDate, trialDays, sub.timezone) : null),
      });
      for (const item of await this.#repo.lineItemsOf(tx, auth, [sub.id])) {
        if (item.startDate.getTime() <= previousStart.getTime() || item.startDate < startDate) item.startDate = startDate;
      }
      sub.version += 1;
      touch(sub, auth, now);
      await this.#repo.flush(tx);
      const latestInvoice = await this.#start(tx, auth, sub, now);
      for (const step of this.#faces.afterStart ?? []) await step(tx, auth, sub, now);
      await record(tx, auth, subscriptionEvent('subscription.activated', sub, now));
      const [view] = await this.#faces.reads.views(tx, auth, [sub], fullEmbeds);
      return { ...view!, ...(latestInvoice.invoice.invoiceStatus !== 'SKIPPED' ? { latestInvoice } : {}) };
    });
  }

  /** The invoices module's paid hook: an `incomplete` subscription whose opening or trial-end invoice is paid becomes `active`. */
  readonly activateOnPayment: InvoicePaidHook = async (tx, auth, invoice, at) => {
    const reasons: (BillingReason | null | undefined)[] = ['SUBSCRIPTION_CREATE', 'SUBSCRIPTION_TRIAL_END'];
    if (!invoice.subscriptionId || !reasons.includes(invoice.billingReason)) return;
    const sub = await this.#repo.locked(tx, auth, invoice.subscriptionId);
    if (!sub || sub.subscriptionStatus !== 'incomplete') return;
    this.#setStatus(sub, 'active', auth, at);
    await record(tx, auth, subscriptionEvent('subscription.activated', sub, at));
  };

  /** A plan's deletion guard: refused while a subscription to it is not cancelled (FlexPrice's 400). */
  readonly refuseLivePlan: PlanDeletionGuard = async (tx, auth, plan) => {
    const live = await this.#repo.liveOnPlan(tx, auth, plan.id);
    if (live > 0) {
      throw invalidOperation('Please remove the active subscriptions before deleting this plan.', { plan_id: plan.id, subscriptions: live });
    }
  };

  /** An addon's deletion guard: refused while a subscription that is not cancelled bills one of its prices. */
  readonly refuseUsedAddon: AddonDeletionGuard = async (tx, auth, addon) => {
    const used = await this.#repo.liveLineItemsOf(tx, auth, 'addon', addon.id);
    if (used > 0) throw invalidOperation('cannot delete addon that is in use', { addon_id: addon.id, subscriptions: used });
  };

  #setStatus(sub: Subscription, status: SubscriptionStatus, auth: AuthContext, at: Date): void {
    sub.subscriptionStatus = status;
    sub.version += 1;
    touch(sub, auth, at);
  }

  async #customer(tx: Tx, auth: AuthContext, input: NewSubscription): Promise<Customer> {
    if (input.customerId) {
      const c = await this.#faces.customers.getPublished(tx, auth, { id: input.customerId });
      if (!c) throw notFound('Customer', 'customer_id', input.customerId);
      return c;
    }
    const c = await this.#faces.customers.getPublished(tx, auth, { externalId: input.externalCustomerId! });
    if (!c) throw notFound('Customer', 'external_customer_id', input.externalCustomerId!);
    return c;
  }

  async #find(tx: Tx, auth: AuthContext, id: string): Promise<Subscription> {
    return orNotFound(await this.#repo.get(tx, auth, id), 'Subscription', 'id', id);
  }

  /**
   * A test clock is being deleted (its deletion hook, in the caller's unit of work): the subscriptions
   * of its customers end at the clock's time, each announced by `subscription.cancelled`. Returns how many.
   */
  async cancelOnTestClock(tx: Tx, auth: AuthContext, testClockId: string, at: Date): Promise<number> {
    const subs = await this.#repo.liveOnTestClock(tx, auth, testClockId);
    for (const sub of subs) await cancel(tx, auth, sub, at, at);
    return subs.length;
  }

  async #locked(tx: Tx, auth: AuthContext, id: string): Promise<Subscription> {
    return orNotFound(await this.#repo.locked(tx, auth, id), 'Subscription', 'id', id);
  }
}

/** Nothing left to pay on the invoice: skipped (nothing billed) or paid (a 0 total is paid at finalization). */
export function settled(invoice: Invoice): boolean {
  return invoice.invoiceStatus === 'SKIPPED' || invoice.paymentStatus === 'SUCCEEDED' || invoice.paymentStatus === 'OVERPAID';
}
