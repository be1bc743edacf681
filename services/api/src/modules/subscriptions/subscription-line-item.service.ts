import type { AuthContext } from '../../auth-context.ts';
import { quantityProration } from '../../billing/invoicing/index.ts';
import { priceCost } from '../../billing/pricing/index.ts';
import type { PageOf } from '../../db/find-page.ts';
import type { Tx } from '../../db/transactions.ts';
import { AppError, invalidFields, notFound } from '../../errors/app-error.ts';
import { orNotFound } from '../../errors/not-found.ts';
import { newId } from '../../ids.ts';
import { newRecord, touch } from '../../records.ts';
import type { ServiceContext } from '../../service-context.ts';
import type { CustomerTime } from '../invoices/index.ts';
import { ratedPriceOf, type PriceReader, type PriceService } from '../prices/index.ts';
import { record } from '../webhooks/index.ts';
import type { LineItemChange, LineItemEnding, LineItemQuery, NewLineItem } from './subscription-line-item.convert.ts';
import type { SubscriptionLineItem } from './subscription-line-item.entity.ts';
import { SubscriptionLineItemRepo } from './subscription-line-item.repo.ts';
import type { SubscriptionLineItems } from './subscription-line-items.ts';
import { currentPeriodOf, isRecurringAdvance, prorationChargeOf, unusedOfEnding, type ProrationSettlement } from './line-item-proration.ts';
import type { LineItemView } from './subscription-response.ts';
import type { Subscription } from './subscription.entity.ts';
import type { SubscriptionRepo } from './subscription.repo.ts';
import { subscriptionEvent } from './subscription.webhook.ts';

export type LineItemServiceFaces = {
  repo: SubscriptionRepo;
  lineItems: SubscriptionLineItems;
  prices: PriceService;
  priceReader: PriceReader;
  time: CustomerTime;
  settlement: ProrationSettlement;
};

const refused = (message: string, details: Record<string, unknown>) => new AppError('invalid_operation', message, details);

/**
 * A subscription's line items after its creation (docs/api/subscriptions.md#line-items): added,
 * re-priced (ended, with a successor), ended, searched. Each change is one unit of work holding the
 * subscription's lock, with its proration and `subscription.updated`.
 */
export class SubscriptionLineItemService {
  readonly #ctx: ServiceContext;
  readonly #faces: LineItemServiceFaces;
  readonly #items = new SubscriptionLineItemRepo();

  constructor(ctx: ServiceContext, faces: LineItemServiceFaces) {
    this.#ctx = ctx;
    this.#faces = faces;
  }

  /** `read` turns the request into a line item once the subscription's currency is known. */
  add(auth: AuthContext, subscriptionId: string, read: (currency: string) => NewLineItem): Promise<LineItemView> {
    return this.#ctx.db.run(async (tx) => {
      const sub = orNotFound(await this.#faces.repo.locked(tx, auth, subscriptionId), 'Subscription', 'id', subscriptionId);
      if (sub.subscriptionStatus === 'cancelled') throw refused(`subscription ${sub.id} is cancelled; a line item cannot be added`, { id: sub.id });
      const { item: input, prorationBehavior } = read(sub.currency);
      const now = await this.#faces.time.nowFor(tx, auth, sub.customerId);
      const existing = await this.#faces.repo.lineItemsOf(tx, auth, [sub.id]);
      const planName = existing.find((l) => l.entityType === 'plan')?.planDisplayName ?? existing[0]?.planDisplayName ?? '';
      const position = existing.reduce((max, l) => Math.max(max, l.position + 1), 0);
      const startDate = input.startDate ?? now;
      const item = await this.#faces.lineItems.addExtra(tx, auth, sub, planName, position, { ...input, startDate }, now, '');
      if (prorationBehavior === 'create_prorations') {
        if (item.priceType !== 'FIXED') throw invalidFields({ proration_behavior: 'create_prorations applies to FIXED prices only' });
        await this.#chargeAdded(tx, auth, sub, item, now);
      }
      this.#announce(sub, auth, now);
      await record(tx, auth, subscriptionEvent('subscription.updated', sub, now));
      return this.#view(tx, auth, item);
    });
  }

  /** The rest of the current period of an ADVANCE line added inside it, on a proration invoice. */
  async #chargeAdded(tx: Tx, auth: AuthContext, sub: Subscription, item: SubscriptionLineItem, now: Date): Promise<void> {
    const period = currentPeriodOf(sub);
    const inPeriod = item.startDate >= period.start && item.startDate < period.end;
    if (sub.subscriptionStatus !== 'active' || !isRecurringAdvance(item) || !inPeriod) return;
    const price = (await this.#faces.priceReader.get(tx, auth, item.priceId))!;
    const { amount } = quantityProration({ price: ratedPriceOf(price), from: '0', to: item.quantity, period, at: item.startDate });
    const charged = { start: item.startDate, end: period.end };
    const description = `${item.displayName ?? item.priceId}: added ${item.startDate.toISOString()}, prorated to ${period.end.toISOString()}`;
    await this.#faces.repo.flush(tx);
    await this.#faces.settlement.charge(tx, auth, sub, [prorationChargeOf(item, amount, item.quantity, charged, description)], charged, now, `${sub.id}-add-${item.id}`);
  }

  update(auth: AuthContext, id: string, change: LineItemChange): Promise<LineItemView> {
    return this.#ctx.db.run(async (tx) => {
      const { item, sub, now } = await this.#open(tx, auth, id);
      if (!Object.keys(change.override).length) {
        item.metadata = change.metadata ?? item.metadata;
        touch(item, auth, now);
        this.#announce(sub, auth, now);
        await record(tx, auth, subscriptionEvent('subscription.updated', sub, now));
        return this.#view(tx, auth, item);
      }
      const effective = this.#effective(item, sub, change.effectiveFrom ?? now, 'effective_from');
      const price = (await this.#faces.priceReader.get(tx, auth, item.priceId))!;
      const next = this.#faces.prices.overridePrice(tx, auth, price, sub.id, change.override, effective, '');
      const successor = this.#faces.repo.addLineItem(tx, {
        ...successorOf(item, auth, now),
        priceId: next.id,
        startDate: effective,
        endDate: item.endDate ?? null,
        metadata: change.metadata ?? item.metadata,
      });
      item.endDate = effective;
      touch(item, auth, now);
      this.#announce(sub, auth, now);
      await record(tx, auth, subscriptionEvent('subscription.updated', sub, now));
      return this.#view(tx, auth, successor);
    });
  }

  remove(auth: AuthContext, id: string, ending: LineItemEnding): Promise<LineItemView> {
    return this.#ctx.db.run(async (tx) => {
      const { item, sub, now } = await this.#open(tx, auth, id);
      const effective = this.#effective(item, sub, ending.effectiveFrom ?? now, 'effective_from');
      if (ending.prorationBehavior === 'create_prorations' && sub.subscriptionStatus === 'active' && effective < sub.currentPeriodEnd) {
        const total = await this.#unusedCredit(tx, auth, sub, item, effective, now);
        await this.#faces.settlement.credit(tx, auth, sub, total, now, `${sub.id}-delete-${item.id}`, `unused time of line item ${item.id} after it ended`, {
          subscription_line_item_id: item.id,
          effective_date: effective.toISOString(),
        });
      }
      item.endDate = effective;
      touch(item, auth, now);
      this.#announce(sub, auth, now);
      await record(tx, auth, subscriptionEvent('subscription.updated', sub, now));
      return this.#view(tx, auth, item);
    });
  }

  /**
   * What ending a FIXED ADVANCE line at `effective` credits: its price's cost at its quantity for the
   * time from then to its end inside the current period, capped at what the line was charged for the
   * period less its earlier credits (ProrationSettlement.capCredit).
   */
  async #unusedCredit(tx: Tx, auth: AuthContext, sub: Subscription, item: SubscriptionLineItem, effective: Date, now: Date): Promise<string> {
    if (!isRecurringAdvance(item)) return '0';
    const price = (await this.#faces.priceReader.get(tx, auth, item.priceId))!;
    const unused = unusedOfEnding(sub, item, priceCost(ratedPriceOf(price), item.quantity).exactAmount, effective);
    const items = await this.#faces.repo.lineItemsOf(tx, auth, [sub.id]);
    const charged = await this.#faces.settlement.invoices.lineItemCharges(tx, auth, sub.id, currentPeriodOf(sub));
    return this.#faces.settlement.capCredit(tx, auth, sub, item, items, charged, unused, effective, 'line_item_deleted', now);
  }

  search(auth: AuthContext, query: LineItemQuery): Promise<PageOf<LineItemView>> {
    return this.#ctx.db.read(async (tx) => {
      const { items, total } = await this.#items.page(tx, auth, query, this.#ctx.clock.now());
      return { items: await this.#views(tx, auth, items), total };
    });
  }

  /** The line item (published, not ended), its subscription locked, and the customer's now. */
  async #open(tx: Tx, auth: AuthContext, id: string): Promise<{ item: SubscriptionLineItem; sub: Subscription; now: Date }> {
    const found = await this.#items.get(tx, auth, id);
    if (!found || found.status !== 'published') throw notFound('Subscription line item', 'id', id);
    const sub = orNotFound(await this.#faces.repo.locked(tx, auth, found.subscriptionId), 'Subscription', 'id', found.subscriptionId);
    const item = (await this.#faces.repo.lineItemsOf(tx, auth, [sub.id])).find((l) => l.id === id)!;
    if (sub.subscriptionStatus === 'cancelled') throw refused(`subscription ${sub.id} is cancelled; its line items cannot change`, { id: sub.id });
    const now = await this.#faces.time.nowFor(tx, auth, sub.customerId);
    if (item.endDate && item.endDate <= now) throw refused(`line item ${id} ended at ${item.endDate.toISOString()}`, { id, end_date: item.endDate.toISOString() });
    return { item, sub, now };
  }

  /** When a change of `item` takes effect: not before the line starts or the current period (billed already), before it ends. */
  #effective(item: SubscriptionLineItem, sub: Subscription, at: Date, field: string): Date {
    if (at < item.startDate) throw invalidFields({ [field]: `must not be before the line item starts (${item.startDate.toISOString()})` });
    if (at < sub.currentPeriodStart) throw invalidFields({ [field]: `must not be before the current period's start (${sub.currentPeriodStart.toISOString()}); that period is billed already` });
    if (item.endDate && at >= item.endDate) throw invalidFields({ [field]: `must be before the line item ends (${item.endDate.toISOString()})` });
    return at;
  }

  #announce(sub: Subscription, auth: AuthContext, now: Date): void {
    sub.version += 1;
    touch(sub, auth, now);
  }

  async #view(tx: Tx, auth: AuthContext, item: SubscriptionLineItem): Promise<LineItemView> {
    return (await this.#views(tx, auth, [item]))[0]!;
  }

  async #views(tx: Tx, auth: AuthContext, items: SubscriptionLineItem[]): Promise<LineItemView[]> {
    const prices = await this.#faces.priceReader.getMany(tx, auth, items.map((i) => i.priceId));
    const views = await this.#faces.prices.viewsOf(tx, auth, [...prices.values()], { meters: true, priceUnits: true });
    const byId = new Map(views.map((v) => [v.price.id, v]));
    return items.map((item) => ({ item, price: byId.get(item.priceId) }));
  }
}

/** A new line item continuing `item` (same price, quantity, dates and place) from now on; the caller sets what changes. */
export function successorOf(item: SubscriptionLineItem, auth: AuthContext, now: Date): Partial<SubscriptionLineItem> {
  return {
    id: newId('subscriptionLineItem'),
    subscriptionId: item.subscriptionId,
    customerId: item.customerId,
    entityId: item.entityId,
    entityType: item.entityType,
    addonAssociationId: item.addonAssociationId ?? null,
    planDisplayName: item.planDisplayName ?? null,
    priceId: item.priceId,
    priceType: item.priceType,
    meterId: item.meterId ?? null,
    meterDisplayName: item.meterDisplayName ?? null,
    priceUnitId: item.priceUnitId ?? null,
    priceUnit: item.priceUnit ?? null,
    displayName: item.displayName ?? null,
    quantity: item.quantity,
    currency: item.currency,
    billingPeriod: item.billingPeriod,
    billingPeriodCount: item.billingPeriodCount,
    invoiceCadence: item.invoiceCadence,
    startDate: item.startDate,
    endDate: item.endDate ?? null,
    position: item.position,
    metadata: item.metadata,
    ...newRecord(auth, now),
  };
}
