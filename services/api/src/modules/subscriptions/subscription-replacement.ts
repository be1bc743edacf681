import type { AuthContext } from '../../auth-context.ts';
import type { ProrationBehavior } from '../../billing/invoicing/index.ts';
import { ExactDecimal, zero } from '../../billing/money/index.ts';
import type { BillingCycle, BillingPeriodUnit } from '../../billing/period/index.ts';
import type { Tx } from '../../db/transactions.ts';
import { invalidFields } from '../../errors/app-error.ts';
import type { CustomerTime, InvoiceService, InvoiceView } from '../invoices/index.ts';
import type { Plan, PlanReader } from '../plans/index.ts';
import type { PriceService } from '../prices/index.ts';
import { changeTypeOf, planChangeTarget, type ChangeType } from './plan-change-preconditions.ts';
import type { SubscriptionCancellations } from './subscription-cancel.service.ts';
import type { CancellationResult } from './subscription-cancel.convert.ts';
import { eligiblePlanPrices } from './subscription-line-items.ts';
import { unusedAdvanceCredits } from './subscription-proration.ts';
import type { SubscriptionReads } from './subscription-reads.ts';
import type { SubscriptionView } from './subscription-response.ts';
import type { Subscription } from './subscription.entity.ts';
import type { SubscriptionRepo } from './subscription.repo.ts';
import type { SubscriptionService } from './subscription.service.ts';

export type ReplacementFaces = {
  repo: SubscriptionRepo;
  plans: PlanReader;
  prices: PriceService;
  invoices: Pick<InvoiceService, 'lineItemCharges' | 'billSubscription'>;
  reads: Pick<SubscriptionReads, 'billableOf'>;
  time: CustomerTime;
  /** The create use case: called inside the caller's unit of work, it joins it. */
  subscriptions: Pick<SubscriptionService, 'create'>;
  /** The cancel use case, likewise. */
  cancellations: Pick<SubscriptionCancellations, 'cancel'>;
};

/** A v1 plan change as asked: the target and the new subscription's billing. */
export type ReplacementSpec = {
  targetPlanId: string;
  prorationBehavior: ProrationBehavior;
  billingPeriod: BillingPeriodUnit;
  billingPeriodCount: number;
  billingCycle: BillingCycle;
  metadata: Record<string, string>;
};

export type ResolvedReplacement = { fromPlan: Plan | null; toPlan: Plan; changeType: ChangeType };

/** The credit for the old subscription's unused time, and how much of it the opening invoice absorbed. */
export type ReplacementCredit = ReturnType<typeof unusedAdvanceCredits>;

/** What a v1 plan change did. */
export type Replacement = ResolvedReplacement & {
  effective: Date;
  cancelled: CancellationResult;
  created: SubscriptionView;
  /** The new subscription's opening invoice, SKIPPED too (when the credit left nothing to bill). */
  opening: InvoiceView;
  credit: ReplacementCredit | null;
};


/**
 * The plan change that replaces a subscription (docs/api/subscriptions.md#plan-change-v1), in the
 * caller's unit of work holding the subscription's lock: the cancel use case ends the old one at
 * `effective` (its final invoice, unless trialing), the create use case starts the new one there with
 * the unused-time credit netted into its opening invoice. Used by the request (at once, or its preview,
 * which is this rolled back) and by the bill run (a schedule at the period end).
 */
export class SubscriptionReplacement {
  readonly #faces: ReplacementFaces;

  constructor(faces: ReplacementFaces) {
    this.#faces = faces;
  }

  /**
   * Refuses what cannot change plan (FlexPrice's preconditions, and Tally's: paused, a pending
   * cancellation or another pending plan change) and resolves the target. `pendingScheduleId`: the
   * plan change schedule being executed, which does not count as another.
   */
  async resolve(tx: Tx, auth: AuthContext, sub: Subscription, spec: ReplacementSpec, at: Date, pendingScheduleId?: string): Promise<ResolvedReplacement> {
    const toPlan = await planChangeTarget(tx, auth, sub, spec, this.#faces.plans, await this.#faces.repo.lineItemsOf(tx, auth, [sub.id]), pendingScheduleId);
    const prices = await this.#faces.prices.ownedBy(tx, auth, 'PLAN', [toPlan.id, sub.planId], { endedToo: false, at, meters: false, priceUnits: false });
    const targetPrices = prices.filter((v) => v.price.entityId === toPlan.id);
    if (!eligiblePlanPrices(targetPrices, sub.currency, spec.billingPeriod).some((v) => v.price.billingPeriod !== 'ONETIME')) {
      throw invalidFields({ target_plan_id: `plan ${toPlan.id} has no price in ${sub.currency} billed ${spec.billingPeriod}` });
    }
    // FlexPrice's comparison: the sum of each plan's price amounts (here, those in the subscription's currency).
    const total = (planId: string) =>
      prices.filter((v) => v.price.entityId === planId && v.price.currency.toLowerCase() === sub.currency).reduce((s, v) => s.plus(v.price.amount ?? '0'), zero);
    const [oldTotal, newTotal] = [total(sub.planId), total(toPlan.id)];
    const changeType = changeTypeOf(oldTotal, newTotal);
    return { fromPlan: await this.#faces.plans.get(tx, auth, sub.planId), toPlan, changeType };
  }

  /**
   * The change at `effective` (now, or the period end the bill run reached): the credit for unused
   * FIXED ADVANCE time computed first (create_prorations, not trialing), then the old subscription
   * cancelled with its final invoice and no wallet credit, then the new one created with the credit
   * netted into its opening invoice. `scheduled`: made by the bill run at the period end, where the
   * new subscription's first period is charged whole (its start may be before the bill run's day).
   */
  async replace(tx: Tx, auth: AuthContext, sub: Subscription, spec: ReplacementSpec, resolved: ResolvedReplacement, effective: Date, scheduled = false): Promise<Replacement> {
    const trialing = sub.subscriptionStatus === 'trialing';
    const period = { start: sub.currentPeriodStart, end: sub.currentPeriodEnd };
    let credit: ReplacementCredit | null = null;
    if (spec.prorationBehavior === 'create_prorations' && !trialing) {
      const lineItems = await this.#faces.repo.lineItemsOf(tx, auth, [sub.id]);
      const charged = await this.#faces.invoices.lineItemCharges(tx, auth, sub.id, period);
      credit = unusedAdvanceCredits(lineItems, charged, period, effective, sub.currency);
    }
    const old = { metadata: { ...sub.metadata }, customerId: sub.customerId };
    const cancelled = await this.#faces.cancellations.cancel(auth, sub.id, {
      type: 'immediate',
      // The old subscription ends where the new one starts (an instant at the period start is "now" to the cancellation).
      cancelAt: effective > sub.currentPeriodStart ? effective : null,
      prorationBehavior: 'none',
      invoicePolicy: trialing ? 'skip' : 'generate_invoice',
      reason: 'subscription_change',
    });
    const created = await this.#faces.subscriptions.create(auth, {
      customerId: old.customerId,
      externalCustomerId: null,
      planId: resolved.toPlan.id,
      currency: sub.currency,
      lookupKey: sub.lookupKey ?? null,
      startDate: effective,
      endDate: null,
      billingPeriod: spec.billingPeriod,
      billingPeriodCount: spec.billingPeriodCount,
      billingCycle: spec.billingCycle,
      // Anniversary: anchored at the change, so the first period is a whole one (FlexPrice does the same).
      billingAnchor: spec.billingCycle === 'anniversary' ? effective : null,
      metadata: { ...old.metadata, ...spec.metadata },
      trialPeriodDays: 0,
      requestedStatus: null,
      collectionMethod: sub.collectionMethod,
      paymentBehavior: 'default_active',
      gatewayPaymentMethodId: sub.gatewayPaymentMethodId ?? null,
      paymentTerms: sub.paymentTerms ?? null,
      prorationBehavior: scheduled ? 'none' : spec.prorationBehavior,
      commitmentAmount: sub.commitmentAmount ?? null,
      commitmentDuration: sub.commitmentDuration ?? null,
      overageFactor: sub.overageFactor ?? null,
      enableTrueUp: sub.enableTrueUp,
      overrideLineItems: [],
      overrideEntitlements: [],
      lineItems: [],
      coupons: [],
      taxRateOverrides: [],
      // FlexPrice's v1 change copies no addons: the old subscription's associations end with it.
      addons: [],
      ...(credit && new ExactDecimal(credit.total).gt(0) ? { openingCredit: credit.total } : {}),
    });
    // Billing the window again answers with the invoice that billed it (the create use case shows a SKIPPED one to nobody).
    const fresh = created.subscription;
    const opening = await this.#faces.invoices.billSubscription(tx, auth, {
      subscription: await this.#faces.reads.billableOf(tx, auth, fresh),
      billingReason: 'SUBSCRIPTION_CREATE',
      period: { start: fresh.currentPeriodStart, end: fresh.currentPeriodEnd },
      at: effective,
      finalize: 'now',
    });
    return { ...resolved, effective, cancelled, created, opening, credit };
  }
}
