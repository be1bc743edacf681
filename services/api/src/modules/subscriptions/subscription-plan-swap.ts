import type { AuthContext } from '../../auth-context.ts';
import type { ProrationBehavior } from '../../billing/invoicing/index.ts';
import { ExactDecimal, formatDecimal, zero } from '../../billing/money/index.ts';
import { priceCost } from '../../billing/pricing/index.ts';
import type { Tx } from '../../db/transactions.ts';
import { invalidFields } from '../../errors/app-error.ts';
import { touch } from '../../records.ts';
import type { InvoiceService, InvoiceView, OneOffInvoices } from '../invoices/index.ts';
import type { Plan, PlanReader } from '../plans/index.ts';
import { ratedPriceOf, type PriceService } from '../prices/index.ts';
import type { CreditDeposit, WalletTransaction } from '../wallets/index.ts';
import { record } from '../webhooks/index.ts';
import { eligiblePlanPrices, SubscriptionLineItems, type LineItemFaces } from './subscription-line-items.ts';
import type { SubscriptionLineItem } from './subscription-line-item.entity.ts';
import type { AddonAssociation } from './addon-association.entity.ts';
import { AddonAssociationRepo } from './addon-association.repo.ts';
import { heldLineCredits } from './line-item-proration.ts';
import { remainingAdvanceCharges, type ProratedCharge, type unusedAdvanceCredits } from './subscription-proration.ts';
import { changeTypeOf, planChangeTarget, type ChangeType } from './plan-change-preconditions.ts';
import type { Subscription } from './subscription.entity.ts';
import type { SubscriptionRepo } from './subscription.repo.ts';
import { subscriptionEvent } from './subscription.webhook.ts';

export type { ChangeType };

/** What other modules do when a subscription changes plan, in the same unit of work: credit grants end the old plan's and copy the new plan's. */
export type PlanChangeStep = (tx: Tx, auth: AuthContext, sub: Subscription, change: { fromPlanId: string; at: Date }) => Promise<unknown>;

export type PlanSwapFaces = LineItemFaces & {
  repo: SubscriptionRepo;
  plans: PlanReader;
  prices: PriceService;
  invoices: InvoiceService;
  oneOffInvoices: Pick<OneOffInvoices, 'createIn'>;
  wallets: { deposit(tx: Tx, auth: AuthContext, deposit: CreditDeposit): Promise<{ transaction: WalletTransaction }> };
  afterPlanChange?: readonly PlanChangeStep[];
  afterAddonDropped?: readonly DroppedAddonStep[];
};

export type EntityBehaviour = 'carry' | 'drop';
/** `entity_policies.addons`: what happens to each attached addon (`overrides` by association id). */
export type AddonPolicy = { defaultBehaviour: EntityBehaviour; overrides: Readonly<Record<string, EntityBehaviour>> };
/** What the change does with one addon association. */
export type EntityChange = { associationId: string; addonId: string; behaviour: EntityBehaviour };

/** A plan change as asked: the target, how to settle, the key naming its settlement, and what becomes of attached addons (all carried when absent). */
export type PlanChangeSpec = { targetPlanId: string; prorationBehavior: ProrationBehavior; idempotencyKey: string | null; addonPolicy?: AddonPolicy | null };

/** What other modules do when an addon is dropped by a plan change: credit grants end the copies (as a removal's). */
export type DroppedAddonStep = (tx: Tx, auth: AuthContext, sub: Subscription, removal: { addonId: string; effective: Date; at: Date }) => Promise<void>;

/** How a plan change settled the rest of the period: an invoice for a positive net, a wallet credit for a negative one. */
export type Settlement = { kind: 'invoice'; invoice: InvoiceView } | { kind: 'wallet_credit'; transaction: WalletTransaction };

/** What a plan change resolved to before anything changed: the plans, the line items that close and the prices that open. */
export type ResolvedChange = {
  fromPlan: Plan | null;
  toPlan: Plan;
  changeType: ChangeType;
  /** The plan's line items and the dropped addons' that close at the change. */
  closing: SubscriptionLineItem[];
  opening: Awaited<ReturnType<PriceService['ownedBy']>>;
  entityChanges: EntityChange[];
  dropped: AddonAssociation[];
  warnings: string[];
};

/** What a plan change did. */
export type SwapResult = ResolvedChange & {
  effective: Date;
  opened: SubscriptionLineItem[];
  credit: string;
  charge: string;
  net: string;
  settlement: Settlement | null;
};

const associations = new AddonAssociationRepo();

/**
 * The plan change in place (docs/api/subscriptions.md#changing-plan), in the caller's unit of work
 * holding the subscription's lock: the checks, the swap of plan line items at `effective`, the
 * settlement of the rest of the period, the credit grants and the announcements. Used by the request
 * (at once, or its preview, which is this rolled back) and by the bill run (a schedule at the period end).
 */
export class PlanSwap {
  readonly #faces: PlanSwapFaces;
  readonly #lines: SubscriptionLineItems;

  constructor(faces: PlanSwapFaces) {
    this.#faces = faces;
    this.#lines = new SubscriptionLineItems(faces.repo, faces);
  }

  /**
   * Refuses what cannot change plan now (FlexPrice's preconditions, in its order) and resolves the
   * target. `pendingScheduleId`: the plan change schedule being executed, which does not count as another.
   */
  async resolve(tx: Tx, auth: AuthContext, sub: Subscription, spec: PlanChangeSpec, effective: Date, at: Date, pendingScheduleId?: string): Promise<ResolvedChange> {
    const lineItems = await this.#faces.repo.lineItemsOf(tx, auth, [sub.id]);
    const toPlan = await planChangeTarget(tx, auth, sub, spec, this.#faces.plans, lineItems, pendingScheduleId);
    const all = await this.#faces.prices.ownedBy(tx, auth, 'PLAN', [toPlan.id], { endedToo: false, at, meters: true, priceUnits: false });
    const opening = eligiblePlanPrices(all, sub.currency, sub.billingPeriod).filter((v) => v.price.billingPeriodCount === sub.billingPeriodCount || v.price.billingPeriod === 'ONETIME');
    if (!opening.some((v) => v.price.billingPeriod !== 'ONETIME')) {
      throw invalidFields({ target_plan_id: `plan ${toPlan.id} has no price in ${sub.currency} billed every ${sub.billingPeriodCount} × ${sub.billingPeriod}, as the subscription is` });
    }
    const closing = lineItems.filter((l) => l.entityType === 'plan' && (!l.endDate || l.endDate > effective));
    const closingPrices = await this.#faces.priceReader.getMany(tx, auth, closing.map((l) => l.priceId));
    const sum = (pairs: { amount: string | null | undefined; quantity: string }[]) => pairs.reduce((s, p) => s.plus(new ExactDecimal(p.amount ?? '0').times(p.quantity)), zero);
    const oldTotal = sum(closing.map((l) => ({ amount: closingPrices.get(l.priceId)?.amount, quantity: l.quantity })));
    const newTotal = sum(opening.map((v) => ({ amount: v.price.amount, quantity: v.price.type === 'USAGE' ? '0' : v.price.minQuantity && Number(v.price.minQuantity) > 0 ? v.price.minQuantity : '1' })));
    const changeType = changeTypeOf(oldTotal, newTotal);
    const addons = await this.#addonChanges(tx, auth, sub, spec.addonPolicy ?? null, lineItems, effective);
    const { entityChanges, dropped, warnings } = addons;
    return { fromPlan: await this.#faces.plans.get(tx, auth, sub.planId), toPlan, changeType, closing: [...closing, ...addons.closing], opening, entityChanges, dropped, warnings };
  }

  /**
   * Each `active` addon association not ended by `effective`, carried or dropped by the policy (its
   * override, else the default, else carry); a dropped one's open line items close with the plan's.
   * An override naming no such association is ignored with a warning, as FlexPrice does.
   */
  async #addonChanges(tx: Tx, auth: AuthContext, sub: Subscription, policy: AddonPolicy | null, lineItems: SubscriptionLineItem[], effective: Date) {
    const live = (await associations.ofSubscriptions(tx, auth, [sub.id])).filter((a) => a.addonStatus === 'active' && (!a.endDate || a.endDate > effective));
    const entityChanges: EntityChange[] = live.map((a) => ({ associationId: a.id, addonId: a.addonId, behaviour: policy?.overrides[a.id] ?? policy?.defaultBehaviour ?? 'carry' }));
    const dropped = live.filter((_, i) => entityChanges[i]!.behaviour === 'drop');
    const droppedIds = new Set(dropped.map((a) => a.id));
    const closing = lineItems.filter((l) => l.addonAssociationId && droppedIds.has(l.addonAssociationId) && (!l.endDate || l.endDate > effective));
    const known = new Set(live.map((a) => a.id));
    const warnings = Object.keys(policy?.overrides ?? {})
      .filter((id) => !known.has(id))
      .map((id) => `ignored addon behaviour for unknown or inactive association ${id}`);
    return { entityChanges, dropped, closing, warnings };
  }

  /**
   * Swaps the plans at `effective`: the closing line items end, the new plan's open, `plan_id` moves.
   * With create_prorations (and not trialing) the rest of the current period is settled now: the new
   * FIXED ADVANCE charges prorated from `effective`, less the old ones' unused part; a positive net is
   * invoiced, a negative one credited to the PRE_PAID wallet. Announced by `subscription.plan_changed`
   * and `subscription.updated`.
   */
  async swap(tx: Tx, auth: AuthContext, sub: Subscription, spec: PlanChangeSpec, resolved: ResolvedChange, effective: Date, at: Date): Promise<SwapResult> {
    const period = { start: sub.currentPeriodStart, end: sub.currentPeriodEnd };
    const settles = spec.prorationBehavior === 'create_prorations' && sub.subscriptionStatus === 'active' && effective < period.end;
    const credits = settles ? await this.#closingCredits(tx, auth, sub, resolved.closing, effective) : { details: [], total: '0' };
    for (const item of resolved.closing) {
      // A line not started yet (its price starts later) ends at its start: it never ran.
      item.endDate = item.startDate > effective ? item.startDate : effective;
      touch(item, auth, at);
    }
    const position = (await this.#faces.repo.lineItemsOf(tx, auth, [sub.id])).length;
    const opened = this.#lines.openPlanLines(tx, auth, sub, resolved.toPlan, resolved.opening, effective, position, at);
    for (const association of resolved.dropped) {
      association.addonStatus = 'cancelled';
      association.endDate = effective;
      association.cancelledAt = effective;
      association.cancellationReason = 'plan change';
      touch(association, auth, at);
      for (const step of this.#faces.afterAddonDropped ?? []) await step(tx, auth, sub, { addonId: association.addonId, effective, at });
    }
    const fromPlanId = sub.planId;
    sub.planId = resolved.toPlan.id;
    sub.version += 1;
    touch(sub, auth, at);
    await this.#faces.repo.flush(tx);
    const amounts = new Map(resolved.opening.map((v) => [v.price.id, v.price.amount ?? '0']));
    const charges = settles ? remainingAdvanceCharges(opened, amounts, period, effective, sub.currency) : [];
    const charge = formatDecimal(charges.reduce((s, c) => s.plus(c.amount), zero));
    const net = new ExactDecimal(charge).minus(credits.total);
    const settlement = settles ? await this.#settle(tx, auth, sub, spec, { charges, credits: credits.details, net, period, effective, fromPlanId }, at) : null;
    for (const step of this.#faces.afterPlanChange ?? []) await step(tx, auth, sub, { fromPlanId, at: effective });
    await record(tx, auth, subscriptionEvent('subscription.plan_changed', sub, at));
    await record(tx, auth, subscriptionEvent('subscription.updated', sub, at));
    return { ...resolved, effective, opened, credit: credits.total, charge, net: formatDecimal(net), settlement };
  }

  /** The closing lines' unused time at their prices, each capped at what its line was charged less its earlier credits. */
  async #closingCredits(tx: Tx, auth: AuthContext, sub: Subscription, closing: SubscriptionLineItem[], effective: Date) {
    const prices = await this.#faces.priceReader.getMany(tx, auth, closing.map((l) => l.priceId));
    const costs = new Map(closing.map((l) => [l.id, priceCost(ratedPriceOf(prices.get(l.priceId)!), l.quantity).exactAmount]));
    return heldLineCredits(tx, auth, this.#faces.invoices, sub, closing, await this.#faces.repo.lineItemsOf(tx, auth, [sub.id]), costs, effective);
  }

  async #settle(
    tx: Tx,
    auth: AuthContext,
    sub: Subscription,
    spec: PlanChangeSpec,
    q: { charges: ProratedCharge[]; credits: ReturnType<typeof unusedAdvanceCredits>['details']; net: ExactDecimal; period: { start: Date; end: Date }; effective: Date; fromPlanId: string },
    at: Date,
  ): Promise<Settlement | null> {
    const key = `plan-change-${sub.id}-${spec.idempotencyKey ?? `v${sub.version}`}`;
    if (q.net.lt(0)) {
      const { transaction } = await this.#faces.wallets.deposit(tx, auth, {
        customerId: sub.customerId,
        currency: sub.currency,
        reason: 'SUBSCRIPTION_CREDIT_GRANT',
        amount: formatDecimal(q.net.negated()),
        idempotencyKey: key,
        at,
        description: `unused time of plan ${q.fromPlanId} on subscription ${sub.id} after its change to plan ${sub.planId}`,
        metadata: { subscription_id: sub.id, from_plan_id: q.fromPlanId, to_plan_id: sub.planId, effective_date: q.effective.toISOString() },
      });
      return { kind: 'wallet_credit', transaction };
    }
    if (q.net.lte(0)) return null;
    const line = (item: SubscriptionLineItem, amount: string, planId: string, what: string) => ({
      amount,
      quantity: item.quantity,
      displayName: `${what} ${item.displayName ?? item.priceId} (${q.effective.toISOString().slice(0, 10)} to ${q.period.end.toISOString().slice(0, 10)})`,
      priceId: item.priceId,
      priceType: item.priceType,
      planId,
      planDisplayName: item.planDisplayName ?? null,
      meterId: null,
      meterDisplayName: null,
      // A dropped addon's credit line names its addon; the plans' lines name their plan.
      entityId: item.entityType === 'addon' ? item.entityId : planId,
      entityType: item.entityType === 'addon' ? 'addon' : 'plan',
      priceUnit: null,
      priceUnitAmount: null,
      periodStart: q.effective,
      periodEnd: q.period.end,
      subscriptionId: sub.id,
      subscriptionLineItemId: item.id,
      metadata: { proration: what === 'Credit for' ? 'credit' : 'charge' },
    });
    const closing = new Map<string, SubscriptionLineItem>();
    for (const item of await this.#faces.repo.lineItemsOf(tx, auth, [sub.id])) closing.set(item.id, item);
    const lines = [
      ...q.charges.map((c) => line(c.item, c.amount, sub.planId, 'Charge for')),
      ...q.credits.map((d) => line(closing.get(d.lineItemId)!, formatDecimal(new ExactDecimal(d.creditAmount).negated()), q.fromPlanId, 'Credit for')),
    ];
    const amount = formatDecimal(q.net);
    const invoice = await this.#faces.oneOffInvoices.createIn(tx, auth, {
      customerId: sub.customerId,
      currency: sub.currency,
      invoiceType: 'ONE_OFF',
      draft: false,
      subtotal: amount,
      total: amount,
      amountDue: amount,
      subscriptionId: sub.id,
      description: `plan change of subscription ${sub.id} from ${q.fromPlanId} to ${sub.planId}`,
      billingPeriod: sub.billingPeriod,
      periodStart: q.effective,
      periodEnd: q.period.end,
      dueDate: null,
      issueDate: at,
      invoicePdfUrl: null,
      billingReason: 'SUBSCRIPTION_UPDATE',
      metadata: { subscription_id: sub.id, from_plan_id: q.fromPlanId, to_plan_id: sub.planId },
      lines,
      couponIds: [],
      taxRateOverrides: [],
      idempotencyKey: key,
    });
    return { kind: 'invoice', invoice };
  }
}
