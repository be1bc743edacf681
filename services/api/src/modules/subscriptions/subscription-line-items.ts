import type { AuthContext } from '../../auth-context.ts';
import { repeatedCouponEndDate } from '../../billing/invoicing/index.ts';
import { isLongerPeriod } from '../../billing/invoicing/index.ts';
import { billingPeriodUnits, type BillingPeriodUnit } from '../../billing/period/index.ts';
import type { Tx } from '../../db/transactions.ts';
import { invalidFields } from '../../errors/app-error.ts';
import { newId } from '../../ids.ts';
import { newRecord } from '../../records.ts';
import type { CouponService } from '../coupons/index.ts';
import type { Meter, MeterReader } from '../meters/index.ts';
import type { Plan } from '../plans/index.ts';
import type { Price, PriceReader, PriceService, PriceView } from '../prices/index.ts';
import type { ExtraLineItem, NewSubscription } from './subscription.convert.ts';
import type { CouponAssociation } from './coupon-association.entity.ts';
import type { LineItemEntityType, SubscriptionLineItem } from './subscription-line-item.entity.ts';
import type { Subscription } from './subscription.entity.ts';
import type { SubscriptionRepo } from './subscription.repo.ts';

export type LineItemFaces = { prices: PriceService; priceReader: PriceReader; meters: MeterReader; coupons: CouponService };

/** A fixed price's default quantity: its `min_quantity` when above 0, else 1; a usage price's is 0. */
function defaultQuantity(price: Price): string {
  if (price.type === 'USAGE') return '0';
  return price.minQuantity && Number(price.minQuantity) > 0 ? price.minQuantity : '1';
}

/** The plan's prices a subscription takes: published, not ended, in its currency, and of its billing period (ONETIME ones always). */
export function eligiblePlanPrices(views: PriceView[], currency: string, period: BillingPeriodUnit): PriceView[] {
  return views.filter((v) => v.price.currency.toLowerCase() === currency && (v.price.billingPeriod === period || v.price.billingPeriod === 'ONETIME'));
}

/**
 * The trial a new subscription gets: the request's `trial_period_days`, else the one its recurring
 * FIXED plan prices share (all must agree, as FlexPrice requires), else none.
 */
export function trialDaysOf(requested: number | null, prices: PriceView[]): number {
  if (requested !== null) return requested;
  const days = [...new Set(prices.filter((v) => v.price.type === 'FIXED' && v.price.billingPeriod !== 'ONETIME').map((v) => v.price.trialPeriodDays ?? 0))];
  if (days.length > 1) throw invalidFields({ trial_period_days: 'all recurring fixed plan prices must have the same trial_period_days; give trial_period_days to choose' });
  return days[0] ?? 0;
}

/**
 * Creates a new subscription's line items in the caller's unit of work: one per eligible plan price
 * (a price override making a `SUBSCRIPTION`-scoped copy), then the extra line items, then the coupon
 * associations. Problems are named after the request's fields.
 */
export class SubscriptionLineItems {
  readonly #repo: SubscriptionRepo;
  readonly #faces: LineItemFaces;

  constructor(repo: SubscriptionRepo, faces: LineItemFaces) {
    this.#repo = repo;
    this.#faces = faces;
  }

  async create(tx: Tx, auth: AuthContext, sub: Subscription, plan: Plan, planPrices: PriceView[], input: NewSubscription, now: Date): Promise<SubscriptionLineItem[]> {
    const items: SubscriptionLineItem[] = [];
    const overrides = new Map(input.overrideLineItems.map((o, i) => [o.priceId, { o, i }]));
    for (const [priceId, { i }] of overrides) {
      if (!planPrices.some((v) => v.price.id === priceId)) {
        throw invalidFields({ [`override_line_items[${i}].price_id`]: `must be one of the plan's prices this subscription takes (${input.currency}, ${input.billingPeriod})` });
      }
    }
    // In the order the plan's prices were made.
    for (const view of [...planPrices].reverse()) {
      const found = overrides.get(view.price.id);
      const price = found?.o.hasPricing
        ? this.#faces.prices.overridePrice(tx, auth, view.price, sub.id, found.o.override, sub.startDate, `override_line_items[${found.i}].`)
        : view.price;
      items.push(this.#add(tx, auth, sub, items.length, price, view.meter, 'plan', plan.id, plan.name, {
        quantity: found?.o.quantity ?? defaultQuantity(view.price),
        startDate: view.price.startDate > sub.startDate ? view.price.startDate : sub.startDate,
        endDate: sub.endDate ?? null,
        displayName: view.price.displayName ?? (view.price.type === 'USAGE' ? (view.meter?.name ?? null) : plan.name),
        metadata: {},
      }, now));
    }
    for (const [i, extra] of input.lineItems.entries()) items.push(await this.addExtra(tx, auth, sub, plan.name, items.length, extra, now, `line_items[${i}].`));
    return items;
  }

  /**
   * A plan change's new line items: one per eligible price of the new plan, from `start` (or the
   * price's later start) to the subscription's end, placed after the `position` lines it has.
   */
  openPlanLines(tx: Tx, auth: AuthContext, sub: Subscription, plan: Plan, planPrices: PriceView[], start: Date, position: number, now: Date): SubscriptionLineItem[] {
    return [...planPrices].reverse().map((view, i) =>
      this.#add(tx, auth, sub, position + i, view.price, view.meter, 'plan', plan.id, plan.name, {
        quantity: defaultQuantity(view.price),
        startDate: view.price.startDate > start ? view.price.startDate : start,
        endDate: sub.endDate ?? null,
        displayName: view.price.displayName ?? (view.price.type === 'USAGE' ? (view.meter?.name ?? null) : plan.name),
        metadata: {},
      }, now),
    );
  }

  /**
   * An attached addon's line items: one per eligible price of the addon, from `start` (or the price's
   * later start) until `end` (a `onetime` addon's period end) or the subscription's end, naming the
   * addon association that made them, placed after the `position` lines the subscription has.
   */
  openAddonLines(tx: Tx, auth: AuthContext, sub: Subscription, addon: { id: string; name: string }, associationId: string, prices: PriceView[], span: { start: Date; end: Date | null }, planName: string, position: number, now: Date): SubscriptionLineItem[] {
    return [...prices].reverse().map((view, i) =>
      this.#add(tx, auth, sub, position + i, view.price, view.meter, 'addon', addon.id, planName, {
        quantity: defaultQuantity(view.price),
        startDate: view.price.startDate > span.start ? view.price.startDate : span.start,
        endDate: span.end ?? sub.endDate ?? null,
        displayName: view.price.displayName ?? (view.price.type === 'USAGE' ? (view.meter?.name ?? null) : addon.name),
        // What FlexPrice writes on an addon's line items.
        metadata: { addon_id: addon.id, subscription_id: sub.id, addon_quantity: '1', addon_status: 'active' },
        addonAssociationId: associationId,
      }, now),
    );
  }

  /**
   * A line item beside the plan's (at creation, or added later), from `price_id` or an inline price;
   * problems are named under `prefix`.
   */
  async addExtra(tx: Tx, auth: AuthContext, sub: Subscription, planName: string, position: number, extra: ExtraLineItem, now: Date, prefix: string): Promise<SubscriptionLineItem> {
    const f = (field: string) => `${prefix}${field}`;
    let price: Price;
    let meter: Meter | undefined;
    if (extra.price) {
      const view = await this.#faces.prices.createForSubscription(tx, auth, extra.price, { id: sub.id, currency: sub.currency }, `${f('price')}.`);
      price = view.price;
      meter = view.meter;
    } else {
      const found = await this.#faces.priceReader.get(tx, auth, extra.priceId!);
      if (!found || found.status !== 'published' || (found.endDate && found.endDate <= now)) throw invalidFields({ [f('price_id')]: 'must name a published price that has not ended' });
      if (found.currency !== sub.currency) throw invalidFields({ [f('price_id')]: `names a price in ${found.currency}, not the subscription's ${sub.currency}` });
      price = found;
      meter = found.meterId ? ((await this.#faces.meters.get(tx, auth, found.meterId)) ?? undefined) : undefined;
    }
    const unit = price.billingPeriod;
    if (price.type === 'FIXED' && unit !== 'ONETIME' && (billingPeriodUnits as readonly string[]).includes(unit)) {
      const shorter = !isLongerPeriod(unit as BillingPeriodUnit, price.billingPeriodCount, sub.billingPeriod, sub.billingPeriodCount) &&
        isLongerPeriod(sub.billingPeriod, sub.billingPeriodCount, unit as BillingPeriodUnit, price.billingPeriodCount);
      if (shorter) throw invalidFields({ [f('price_id')]: `is billed ${price.billingPeriodCount} × ${unit}, more often than the subscription (${sub.billingPeriodCount} × ${sub.billingPeriod})` });
    }
    const startDate = extra.startDate ?? sub.startDate;
    if (startDate < sub.startDate) throw invalidFields({ [f('start_date')]: 'must not be before the subscription starts' });
    if (extra.endDate && sub.endDate && extra.endDate > sub.endDate) throw invalidFields({ [f('end_date')]: 'must not be after the subscription ends' });
    const entityType: LineItemEntityType = price.entityType === 'SUBSCRIPTION' ? 'subscription' : price.entityType === 'ADDON' ? 'addon' : 'plan';
    return this.#add(tx, auth, sub, position, price, meter, entityType, price.entityId, planName, {
      quantity: extra.quantity ?? defaultQuantity(price),
      startDate,
      endDate: extra.endDate ?? sub.endDate ?? null,
      displayName: extra.displayName ?? price.displayName ?? (price.type === 'USAGE' ? (meter?.name ?? null) : planName),
      metadata: extra.metadata,
    }, now);
  }

  #add(
    tx: Tx,
    auth: AuthContext,
    sub: Subscription,
    position: number,
    price: Price,
    meter: Meter | undefined,
    entityType: LineItemEntityType,
    entityId: string,
    planName: string,
    fields: { quantity: string; startDate: Date; endDate: Date | null; displayName: string | null; metadata: Record<string, string>; addonAssociationId?: string },
    now: Date,
  ): SubscriptionLineItem {
    return this.#repo.addLineItem(tx, {
      id: newId('subscriptionLineItem'),
      subscriptionId: sub.id,
      customerId: sub.customerId,
      entityId,
      entityType,
      planDisplayName: planName,
      priceId: price.id,
      priceType: price.type,
      meterId: price.meterId ?? null,
      meterDisplayName: meter?.name ?? null,
      priceUnitId: price.priceUnitType === 'CUSTOM' ? (price.priceUnitId ?? null) : null,
      priceUnit: price.priceUnitType === 'CUSTOM' ? (price.priceUnit ?? null) : null,
      currency: sub.currency,
      billingPeriod: price.billingPeriod,
      billingPeriodCount: price.billingPeriodCount,
      invoiceCadence: price.invoiceCadence,
      position,
      ...fields,
      ...newRecord(auth, now),
    });
  }

  /**
   * Attaches the requested coupons (redeemed: checked and counted by the coupons module), to the whole
   * invoice or to the line item of `price_id` (the plan price, or its override). A repeated coupon
   * without an end date ends after `duration_in_periods` of the subscription's periods.
   */
  async attachCoupons(tx: Tx, auth: AuthContext, sub: Subscription, items: SubscriptionLineItem[], planPrices: Map<string, string>, input: NewSubscription, now: Date): Promise<CouponAssociation[]> {
    const made: CouponAssociation[] = [];
    for (const [i, c] of input.coupons.entries()) {
      const f = (field: string) => `subscription_coupons[${i}].${field}`;
      const startDate = c.startDate ?? sub.startDate;
      let lineItemId: string | null = null;
      if (c.priceId) {
        const item = items.find((it) => it.priceId === c.priceId || planPrices.get(it.priceId) === c.priceId);
        if (!item) throw invalidFields({ [f('price_id')]: 'must name a price of one of the subscription’s line items' });
        lineItemId = item.id;
      }
      const coupon = await this.#faces.coupons.redeem(tx, auth, c.code, { currency: sub.currency, at: now, field: f('coupon_code') });
      const endDate =
        c.endDate ??
        (coupon.cadence === 'repeated' && coupon.durationInPeriods
          ? repeatedCouponEndDate(startDate, coupon.durationInPeriods, { unit: sub.billingPeriod, count: sub.billingPeriodCount, timezone: sub.timezone })
          : null);
      made.push(
        this.#repo.addAssociation(tx, {
          id: newId('couponAssociation'),
          couponId: coupon.id,
          subscriptionId: sub.id,
          subscriptionLineItemId: lineItemId,
          startDate,
          endDate,
          metadata: {},
          ...newRecord(auth, now),
        }),
      );
    }
    return made;
  }
}
