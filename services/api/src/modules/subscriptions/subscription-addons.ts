import type { AuthContext } from '../../auth-context.ts';
import { quantityProration } from '../../billing/invoicing/index.ts';
import { ExactDecimal, formatDecimal } from '../../billing/money/index.ts';
import { priceCost } from '../../billing/pricing/index.ts';
import type { Tx } from '../../db/transactions.ts';
import { AppError, invalidFields, notFound } from '../../errors/app-error.ts';
import { orNotFound } from '../../errors/not-found.ts';
import { newId } from '../../ids.ts';
import { newRecord, touch } from '../../records.ts';
import type { ServiceContext } from '../../service-context.ts';
import type { Addon, AddonReader } from '../addons/index.ts';
import type { CustomerTime, InvoiceView, ProrationCharge } from '../invoices/index.ts';
import { ratedPriceOf, type Price, type PriceService } from '../prices/index.ts';
import { record } from '../webhooks/index.ts';
import type { AddonAssociation } from './addon-association.entity.ts';
import type { AddonRemoval, NewAddonAttachment } from './addon-attachment.ts';
import { AddonAssociationRepo, isCurrent } from './addon-association.repo.ts';
import { currentPeriodOf, isRecurringAdvance, prorationChargeOf, unusedOfEnding, type ProrationSettlement } from './line-item-proration.ts';
import type { SubscriptionLineItem } from './subscription-line-item.entity.ts';
import type { SubscriptionLineItems } from './subscription-line-items.ts';
import type { Subscription } from './subscription.entity.ts';
import type { SubscriptionRepo } from './subscription.repo.ts';
import { subscriptionEvent } from './subscription.webhook.ts';

/** What other modules do in the unit of work that attaches an addon: credit grants copy the addon's. */
export type AddonAttachStep = (tx: Tx, auth: AuthContext, sub: Subscription, attach: { addonId: string; start: Date; end: Date | null; at: Date }) => Promise<void>;
/** What other modules do in the unit of work that removes one: credit grants end the copies. */
export type AddonRemoveStep = (tx: Tx, auth: AuthContext, sub: Subscription, removal: { addonId: string; effective: Date; at: Date }) => Promise<void>;

export type { AddonRemoval, NewAddonAttachment };

export type SubscriptionAddonFaces = {
  repo: SubscriptionRepo;
  lineItems: SubscriptionLineItems;
  prices: PriceService;
  addons: AddonReader;
  time: CustomerTime;
  settlement: ProrationSettlement;
  afterAttach: AddonAttachStep[];
  afterRemove: AddonRemoveStep[];
};

export type AttachedAddon = { association: AddonAssociation; invoice?: InvoiceView; lineItems: SubscriptionLineItem[] };
/** What a removal did: the association, the line items it ended (as they were), the wallet credit when one was made. */
export type RemovedAddon = { association: AddonAssociation; ended: { item: SubscriptionLineItem; endedAt: Date }[]; credit?: { transactionId: string; amount: string } };
export type AssociationView = { association: AddonAssociation; addon?: Addon };

const refused = (message: string, details: Record<string, unknown>) => new AppError('invalid_operation', message, details);

/**
 * Addons on subscriptions (docs/api/subscriptions.md#addons-on-subscriptions): attached (an
 * association and its line items, the rest of the period charged on a proration invoice when asked),
 * removed (the association cancelled, its line items ended, unused ADVANCE value credited to the
 * wallet when asked), listed. Each change is one unit of work holding the subscription's lock, with
 * its `subscription.updated`.
 */
export class SubscriptionAddons {
  readonly #ctx: ServiceContext;
  readonly #faces: SubscriptionAddonFaces;
  readonly #associations = new AddonAssociationRepo();

  constructor(ctx: ServiceContext, faces: SubscriptionAddonFaces) {
    this.#ctx = ctx;
    this.#faces = faces;
  }

  attach(auth: AuthContext, subscriptionId: string, input: NewAddonAttachment): Promise<AttachedAddon> {
    return this.#ctx.db.run(async (tx) => {
      const sub = orNotFound(await this.#faces.repo.locked(tx, auth, subscriptionId), 'Subscription', 'subscription_id', subscriptionId);
      const now = await this.#faces.time.nowFor(tx, auth, sub.customerId);
      const attached = await this.attachIn(tx, auth, sub, input, now, '');
      this.#announce(sub, auth, now);
      await record(tx, auth, subscriptionEvent('subscription.updated', sub, now));
      return attached;
    });
  }

  /**
   * The `addons` of a subscription being created (not started yet): each attached from the
   * subscription's start unless it says otherwise, without proration — the opening invoice bills
   * their lines. Problems are named `addons[i].<field>`.
   */
  readonly attachAtCreation = async (tx: Tx, auth: AuthContext, sub: Subscription, addons: readonly NewAddonAttachment[], now: Date): Promise<void> => {
    for (const [i, addon] of addons.entries()) {
      await this.attachIn(tx, auth, sub, { ...addon, startDate: addon.startDate ?? sub.startDate, prorationBehavior: 'none' }, now, `addons[${i}].`, true);
    }
  };

  /**
   * Attaches the addon to `sub` (locked) in the caller's unit of work: the use case of the attach
   * route and of a subscription's `addons` (`creating`: the subscription is not started yet). The
   * caller announces the change.
   */
  async attachIn(tx: Tx, auth: AuthContext, sub: Subscription, input: NewAddonAttachment, now: Date, prefix: string, creating = false): Promise<AttachedAddon> {
    const f = (field: string) => `${prefix}${field}`;
    if (!creating && sub.subscriptionStatus !== 'active') {
      throw refused(`subscription ${sub.id} is ${sub.subscriptionStatus}; an addon can only be attached to an active subscription`, { subscription_id: sub.id, subscription_status: sub.subscriptionStatus });
    }
    const addon = await this.#faces.addons.get(tx, auth, input.addonId);
    if (!addon) throw notFound('Addon', f('addon_id'), input.addonId);
    if (addon.status !== 'published') throw invalidFields({ [f('addon_id')]: `names addon ${addon.id}, which is not published` });
    const period = currentPeriodOf(sub);
    const start = input.startDate ?? now;
    if (start < sub.startDate) throw invalidFields({ [f('start_date')]: `must not be before the subscription starts (${sub.startDate.toISOString()})` });
    if (!creating && start < period.start) throw invalidFields({ [f('start_date')]: `must not be before the current period's start (${period.start.toISOString()}); that period is billed already` });
    if (sub.endDate && start >= sub.endDate) throw invalidFields({ [f('start_date')]: `must be before the subscription ends (${sub.endDate.toISOString()})` });
    if (input.cadence === 'onetime' && start >= period.end) throw invalidFields({ [f('start_date')]: `must be inside the current period (before ${period.end.toISOString()}) for a onetime addon` });

    const all = await this.#faces.prices.ownedBy(tx, auth, 'ADDON', [addon.id], { endedToo: false, at: start, meters: true, priceUnits: false });
    const eligible = all.filter(
      (v) => v.price.currency.toLowerCase() === sub.currency && (v.price.billingPeriod === 'ONETIME' || (v.price.billingPeriod === sub.billingPeriod && v.price.billingPeriodCount === sub.billingPeriodCount)),
    );
    if (!eligible.length) {
      throw invalidFields({ [f('addon_id')]: `no valid prices found for the subscription: addon ${addon.id} has no price in ${sub.currency} billed every ${sub.billingPeriodCount} × ${sub.billingPeriod}` });
    }

    const end = input.cadence === 'onetime' ? period.end : null;
    const association = this.#associations.add(tx, {
      id: newId('addonAssociation'),
      entityId: sub.id,
      entityType: 'subscription',
      addonId: addon.id,
      cadence: input.cadence,
      startDate: start,
      endDate: end,
      addonStatus: 'active',
      cancellationReason: null,
      cancelledAt: null,
      metadata: input.metadata,
      ...newRecord(auth, now),
    });
    const existing = await this.#faces.repo.lineItemsOf(tx, auth, [sub.id]);
    const planName = existing.find((l) => l.entityType === 'plan')?.planDisplayName ?? existing[0]?.planDisplayName ?? '';
    const position = existing.reduce((max, l) => Math.max(max, l.position + 1), 0);
    const items = this.#faces.lineItems.openAddonLines(tx, auth, sub, addon, association.id, eligible, { start, end }, planName, position, now);
    for (const step of this.#faces.afterAttach) await step(tx, auth, sub, { addonId: addon.id, start, end, at: now });
    const invoice = input.prorationBehavior === 'create_prorations' ? await this.#chargeRest(tx, auth, sub, association, items, new Map(eligible.map((v) => [v.price.id, v.price])), now) : undefined;
    return invoice ? { association, invoice, lineItems: items } : { association, lineItems: items };
  }

  /** The rest of the current period of each FIXED ADVANCE line starting inside it, on one proration invoice. */
  async #chargeRest(tx: Tx, auth: AuthContext, sub: Subscription, association: AddonAssociation, items: SubscriptionLineItem[], prices: ReadonlyMap<string, Price>, now: Date): Promise<InvoiceView | undefined> {
    const period = currentPeriodOf(sub);
    const due = items.filter((item) => isRecurringAdvance(item) && item.startDate >= period.start && item.startDate < period.end);
    if (!due.length) return undefined;
    const charges: ProrationCharge[] = [];
    for (const item of due) {
      const { amount } = quantityProration({ price: ratedPriceOf(prices.get(item.priceId)!), from: '0', to: item.quantity, period, at: item.startDate });
      const description = `${item.displayName ?? item.priceId}: addon attached ${item.startDate.toISOString()}, prorated to ${period.end.toISOString()}`;
      charges.push(prorationChargeOf(item, amount, item.quantity, { start: item.startDate, end: period.end }, description));
    }
    const from = due.reduce((min, i) => (i.startDate < min ? i.startDate : min), period.end);
    await this.#faces.repo.flush(tx);
    return this.#faces.settlement.charge(tx, auth, sub, charges, { start: from, end: period.end }, now, `${sub.id}-addon-${association.id}`);
  }

  remove(auth: AuthContext, input: AddonRemoval): Promise<AddonAssociation> {
    return this.#ctx.db.run(async (tx) => {
      const found = await this.#associations.get(tx, auth, input.associationId);
      if (!found || found.status !== 'published' || found.entityType !== 'subscription') throw notFound('Addon association', 'addon_association_id', input.associationId);
      const sub = orNotFound(await this.#faces.repo.locked(tx, auth, found.entityId), 'Subscription', 'id', found.entityId);
      // Another removal (or a cancellation) may have changed it while this one waited for the lock.
      const current = (await this.#associations.fresh(tx, auth, found.id))!;
      const now = await this.#faces.time.nowFor(tx, auth, sub.customerId);
      const { association } = await this.removeIn(tx, auth, sub, current, input, now);
      this.#announce(sub, auth, now);
      await record(tx, auth, subscriptionEvent('subscription.updated', sub, now));
      return association;
    });
  }

  /** Removes `association` from `sub` (locked) in the caller's unit of work, problems named under `prefix`; the caller announces the change. */
  async removeIn(tx: Tx, auth: AuthContext, sub: Subscription, association: AddonAssociation, input: AddonRemoval, now: Date, prefix = ''): Promise<RemovedAddon> {
    if (association.addonStatus !== 'active' || association.endDate) {
      const ends = association.endDate ? ` at ${association.endDate.toISOString()}` : '';
      throw refused(`addon association ${association.id} is already scheduled to be removed${ends}`, { addon_association_id: association.id, ...(association.endDate ? { end_date: association.endDate.toISOString() } : {}) });
    }
    if (sub.subscriptionStatus === 'cancelled') throw refused(`subscription ${sub.id} is cancelled; its addons cannot change`, { subscription_id: sub.id });
    const period = currentPeriodOf(sub);
    const effective = input.effectiveDate ?? period.end;
    if (effective < period.start || effective > period.end) {
      throw invalidFields({ [`${prefix}effective_date`]: `must be inside the current period (${period.start.toISOString()} to ${period.end.toISOString()})` });
    }
    if (effective < association.startDate) throw invalidFields({ [`${prefix}effective_date`]: `must not be before the addon starts (${association.startDate.toISOString()})` });
    const items = (await this.#faces.repo.lineItemsOf(tx, auth, [sub.id])).filter((l) => l.addonAssociationId === association.id && (!l.endDate || l.endDate > effective));
    let credit: RemovedAddon['credit'];
    if (input.prorationBehavior === 'create_prorations' && sub.subscriptionStatus === 'active' && effective < period.end) {
      const total = await this.#unusedCredit(tx, auth, sub, association, items, effective, now);
      const transactionId = await this.#faces.settlement.credit(tx, auth, sub, total, now, `${sub.id}-addon-remove-${association.id}`, `unused time of addon ${association.addonId} after it was removed`, {
        addon_association_id: association.id,
        addon_id: association.addonId,
        effective_date: effective.toISOString(),
      });
      if (transactionId !== undefined) credit = { transactionId, amount: total };
    }
    const ended = items.map((item) => ({ item, endedAt: item.startDate > effective ? item.startDate : effective }));
    for (const item of items) {
      item.endDate = item.startDate > effective ? item.startDate : effective;
      touch(item, auth, now);
    }
    association.addonStatus = 'cancelled';
    association.endDate = effective;
    association.cancelledAt = effective;
    if (input.reason) association.cancellationReason = input.reason;
    touch(association, auth, now);
    for (const step of this.#faces.afterRemove) await step(tx, auth, sub, { addonId: association.addonId, effective, at: now });
    return credit ? { association, ended, credit } : { association, ended };
  }

  /**
   * What removing the addon at `effective` credits: for each of its FIXED ADVANCE line items, its
   * price's cost at its quantity for the time from then to its end inside the current period, capped
   * at what the line was charged for the period less its earlier credits (ProrationSettlement.capCredit),
   * so an addon attached and removed in one period is credited no more than its proration charge.
   */
  async #unusedCredit(tx: Tx, auth: AuthContext, sub: Subscription, association: AddonAssociation, items: SubscriptionLineItem[], effective: Date, now: Date): Promise<string> {
    const advance = items.filter(isRecurringAdvance);
    if (!advance.length) return '0';
    const prices = new Map((await this.#faces.prices.ownedBy(tx, auth, 'ADDON', [association.addonId], { endedToo: true, at: effective, meters: false, priceUnits: false })).map((v) => [v.price.id, v.price]));
    const all = await this.#faces.repo.lineItemsOf(tx, auth, [sub.id]);
    const charged = await this.#faces.settlement.invoices.lineItemCharges(tx, auth, sub.id, currentPeriodOf(sub));
    let total = new ExactDecimal(0);
    for (const item of advance) {
      const price = prices.get(item.priceId);
      if (!price) continue;
      const unused = unusedOfEnding(sub, item, priceCost(ratedPriceOf(price), item.quantity).exactAmount, effective);
      total = total.plus(await this.#faces.settlement.capCredit(tx, auth, sub, item, all, charged, unused, effective, 'addon_removed', now));
    }
    return formatDecimal(total);
  }

  /** The subscription's `active` associations overlapping its current period, newest first (as FlexPrice), each with its addon (404 for no subscription). */
  associations(auth: AuthContext, subscriptionId: string): Promise<AssociationView[]> {
    return this.#ctx.db.read(async (tx) => {
      const sub = orNotFound(await this.#faces.repo.get(tx, auth, subscriptionId), 'Subscription', 'id', subscriptionId);
      const live = (await this.#associations.ofSubscriptions(tx, auth, [sub.id])).filter((a) => isCurrent(a, sub)).reverse();
      const addons = await this.#faces.addons.getMany(tx, auth, live.map((a) => a.addonId));
      return live.map((association) => ({ association, addon: addons.get(association.addonId) }));
    });
  }

  #announce(sub: Subscription, auth: AuthContext, now: Date): void {
    sub.version += 1;
    touch(sub, auth, now);
  }
}
