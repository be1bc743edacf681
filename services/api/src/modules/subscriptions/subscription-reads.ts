import type { AuthContext } from '../../auth-context.ts';
import type { Tx } from '../../db/transactions.ts';
import type { Clock } from '../../clock.ts';
import type { RunMemo } from '../../jobs/run-memo.ts';
import type { UsageResetPeriod } from '../../billing/invoicing/index.ts';
import { fullContents, type CatalogService, type ContentsRequest } from '../catalog/index.ts';
import type { CouponReader } from '../coupons/index.ts';
import type { CustomerReader } from '../customers/index.ts';
import type { EntitlementService } from '../entitlements/index.ts';
import type { BillableSubscription, SubscriptionSource } from '../invoices/index.ts';
import type { MeterReader } from '../meters/index.ts';
import type { PlanReader } from '../plans/index.ts';
import { ratedPriceOf, type PriceReader, type PriceService } from '../prices/index.ts';
import { aggregateMeteredEntitlements, type MeteredSource } from './subscription-entitlements.ts';
import type { SubscriptionEmbeds } from './subscription.convert.ts';
import type { Subscription } from './subscription.entity.ts';
import type { SubscriptionRepo } from './subscription.repo.ts';
import { toSubscriptionResponse, type SubscriptionView } from './subscription-response.ts';
import { AddonAssociationRepo, isCurrent } from './addon-association.repo.ts';

const addonAssociations = new AddonAssociationRepo();

/** What reading subscriptions takes of other modules. */
export type SubscriptionReadFaces = {
  customers: CustomerReader;
  plans: PlanReader;
  prices: PriceService;
  priceReader: PriceReader;
  entitlements: EntitlementService;
  coupons: CouponReader;
  catalog: CatalogService;
  meters: MeterReader;
};

/**
 * Subscriptions as responses show them and as invoicing reads them (`SubscriptionSource`, handed to
 * the invoices module by the composition root): every read in the caller's unit of work, a fixed
 * number of queries whatever the number of subscriptions or lines.
 */
export class SubscriptionReads implements SubscriptionSource {
  readonly #repo: SubscriptionRepo;
  readonly #faces: SubscriptionReadFaces;
  readonly #clock: Clock;

  constructor(repo: SubscriptionRepo, faces: SubscriptionReadFaces, clock: Clock) {
    this.#repo = repo;
    this.#faces = faces;
    this.#clock = clock;
  }

  async billable(tx: Tx, auth: AuthContext, subscriptionId: string, memo?: RunMemo): Promise<BillableSubscription | null> {
    const sub = await this.#repo.get(tx, auth, subscriptionId);
    return sub ? this.billableOf(tx, auth, sub, memo) : null;
  }

  /**
   * The subscription as invoicing reads it: schedule, line items with rated prices, included usage per
   * meter, commitment, coupons. With a bill run's `memo`, the catalogue (plan, prices, coupons, the plan's
   * entitlements) is read once per run; the subscription's own rows are read every time.
   */
  async billableOf(tx: Tx, auth: AuthContext, sub: Subscription, memo?: RunMemo): Promise<BillableSubscription> {
    // Independent reads go out together (a live read, such as the real-time balance, waits for the
    // slowest instead of their sum; in a transaction they queue on its connection as before).
    const lineItems = this.#repo.lineItemsOf(tx, auth, [sub.id]);
    const pricesOf = async () => {
      const priceIds = (await lineItems).map((i) => i.priceId);
      return memo ? memo.many('price', auth, priceIds, (missing) => this.#faces.priceReader.getMany(tx, auth, missing)) : this.#faces.priceReader.getMany(tx, auth, priceIds);
    };
    const couponsOf = async () => {
      const associations = await this.#repo.associationsOf(tx, auth, [sub.id]);
      const couponIds = associations.map((a) => a.couponId);
      const coupons = memo ? await memo.many('coupon', auth, couponIds, (missing) => this.#faces.coupons.getMany(tx, auth, missing)) : await this.#faces.coupons.getMany(tx, auth, couponIds);
      return { associations, coupons };
    };
    const [items, prices, customers, plan, { associations, coupons }, entitlements] = await Promise.all([
      lineItems,
      pricesOf(),
      this.#faces.customers.getMany(tx, auth, [sub.customerId]),
      memo ? memo.one('plan', auth, sub.planId, () => this.#faces.plans.get(tx, auth, sub.planId)) : this.#faces.plans.get(tx, auth, sub.planId),
      couponsOf(),
      this.#includedUsage(tx, auth, sub, memo),
    ]);
    const customer = customers.get(sub.customerId);
    const planName = plan?.name ?? '';
    return {
      id: sub.id,
      customerId: sub.customerId,
      customerExternalId: customer?.externalId ?? '',
      currency: sub.currency,
      planId: sub.planId,
      planName,
      subscriptionStatus: sub.subscriptionStatus,
      currentPeriod: { start: sub.currentPeriodStart, end: sub.currentPeriodEnd },
      invoicing: {
        billingPeriod: sub.billingPeriod,
        billingPeriodCount: sub.billingPeriodCount,
        billingAnchor: sub.billingAnchor,
        billingCycle: sub.billingCycle,
        timezone: sub.timezone,
        startDate: sub.startDate,
        endDate: sub.endDate ?? null,
        cancelAt: sub.cancelAt ?? null,
        prorationBehavior: sub.prorationBehavior,
        lineItems: items.map((item) => {
          const price = prices.get(item.priceId)!;
          return {
            id: item.id,
            price: {
              id: price.id,
              type: price.type,
              invoiceCadence: price.invoiceCadence,
              billingPeriod: price.billingPeriod,
              billingPeriodCount: price.billingPeriodCount,
              rated: ratedPriceOf(price),
            },
            quantity: item.quantity,
            startDate: item.startDate,
            endDate: item.endDate ?? null,
          };
        }),
      },
      lines: items.map((item) => ({
        id: item.id,
        priceId: item.priceId,
        priceType: item.priceType,
        displayName: item.displayName ?? prices.get(item.priceId)?.displayName ?? planName,
        planDisplayName: item.planDisplayName ?? null,
        entityId: item.entityId,
        entityType: item.entityType,
        meterId: item.meterId ?? null,
        meterDisplayName: item.meterDisplayName ?? null,
        priceUnitId: item.priceUnitId ?? null,
        priceUnit: item.priceUnit ?? null,
        conversionRate: item.priceUnitId ? (prices.get(item.priceId)?.conversionRate ?? null) : null,
      })),
      entitlements,
      commitment: { commitmentAmount: sub.commitmentAmount ?? null, overageFactor: sub.overageFactor ?? null, enableTrueUp: sub.enableTrueUp },
      coupons: associations.flatMap((a) => {
        const c = coupons.get(a.couponId);
        if (!c) return [];
        return [
          {
            associationId: a.id,
            couponId: c.id,
            lineItemId: a.subscriptionLineItemId ?? null,
            startDate: a.startDate,
            endDate: a.endDate ?? null,
            cadence: c.cadence,
            durationInPeriods: c.durationInPeriods ?? null,
            coupon: { type: c.type, amountOff: c.amountOff, percentageOff: c.percentageOff, currency: c.currency },
            snapshot: { id: c.id, name: c.name, type: c.type, cadence: c.cadence, amount_off: c.amountOff ?? '0', percentage_off: c.percentageOff ?? '0', currency: c.currency ?? '' },
          },
        ];
      }),
      paymentTerms: sub.paymentTerms ?? null,
      taxRateOverrides: sub.taxRateOverrides ?? [],
    };
  }

  /**
   * The included usage per meter: the enabled metered entitlements of the plan, of the addons attached
   * now and the subscription's own, an override hiding the one it replaces, aggregated as FlexPrice does.
   */
  async #includedUsage(tx: Tx, auth: AuthContext, sub: Subscription, memo?: RunMemo) {
    const embed = { features: true, meters: false };
    const ofPlan = () => this.#faces.entitlements.ownedBy(tx, auth, 'PLAN', [sub.planId], embed);
    const [planViews, ownViews, associations] = await Promise.all([
      memo ? memo.one('planEntitlements', auth, sub.planId, ofPlan) : ofPlan(),
      this.#faces.entitlements.ownedBy(tx, auth, 'SUBSCRIPTION', [sub.id], embed),
      addonAssociations.ofSubscriptions(tx, auth, [sub.id]),
    ]);
    const overridden = new Set(ownViews.map((v) => v.entitlement.parentEntitlementId).filter(Boolean));
    // The addons attached now, each attachment once (FlexPrice aggregates the active ones when it computes the invoice).
    const attached = associations.filter((a) => isCurrent(a, sub));
    const addonViews = attached.length ? await this.#faces.entitlements.ownedBy(tx, auth, 'ADDON', [...new Set(attached.map((a) => a.addonId))], embed) : [];
    const ofAddons = attached.flatMap((a) => addonViews.filter((v) => v.entitlement.entityId === a.addonId));
    const sources: MeteredSource[] = [];
    for (const v of [...[...planViews, ...ofAddons].filter((v) => !overridden.has(v.entitlement.id)), ...ownViews]) {
      const e = v.entitlement;
      const meterId = v.feature?.meterId;
      if (e.featureType !== 'metered' || !e.isEnabled || !meterId) continue;
      sources.push({ meterId, usageLimit: e.usageLimit ?? null, usageResetPeriod: (e.usageResetPeriod as UsageResetPeriod | null) ?? null });
    }
    return aggregateMeteredEntitlements(sources);
  }

  /** `expand=subscription` on invoices: the subscriptions' own fields, with their plan when asked. */
  async embed(tx: Tx, auth: AuthContext, ids: string[], withPlan: boolean): Promise<Map<string, Record<string, unknown>>> {
    const subs = [...(await this.#repo.getMany(tx, auth, ids)).values()];
    const views = await this.views(tx, auth, subs, { ...noEmbeds, plan: withPlan });
    return new Map(views.map((v) => [v.subscription.id, toSubscriptionResponse(v) as Record<string, unknown>]));
  }

  currenciesOf(tx: Tx, auth: AuthContext, customerId: string): Promise<string[]> {
    return this.#repo.currenciesOf(tx, auth, customerId);
  }

  /** The subscriptions with what `embeds` asks for, read together. */
  async views(tx: Tx, auth: AuthContext, subs: Subscription[], embeds: SubscriptionEmbeds): Promise<SubscriptionView[]> {
    const ids = subs.map((s) => s.id);
    const items = embeds.lineItems ? await this.#repo.lineItemsOf(tx, auth, ids) : [];
    const priceRows = embeds.lineItemPrices ? await this.#faces.priceReader.getMany(tx, auth, items.map((i) => i.priceId)) : new Map();
    const priceViews = await this.#faces.prices.viewsOf(tx, auth, [...priceRows.values()], { meters: true, priceUnits: true });
    const priceView = new Map(priceViews.map((v) => [v.price.id, v]));
    const meters = embeds.lineItemMeters ? await this.#faces.meters.getMany(tx, auth, items.map((i) => i.meterId)) : new Map();
    const associations = embeds.couponAssociations ? await this.#repo.associationsOf(tx, auth, ids) : [];
    const coupons = embeds.coupons ? await this.#faces.coupons.getMany(tx, auth, associations.map((a) => a.couponId)) : new Map();
    const contents: ContentsRequest = embeds.planPrices ? { ...fullContents(false), prices: { endedToo: false, meters: embeds.planMeters, priceUnits: true } } : {};
    const plans = embeds.plan ? await this.#faces.catalog.plansById(tx, auth, subs.map((s) => s.planId), contents, this.#clock.now()) : new Map();
    const customers = embeds.customer ? await this.#faces.customers.getMany(tx, auth, subs.map((s) => s.customerId)) : new Map();
    return subs.map((subscription) => ({
      subscription,
      ...(embeds.lineItems
        ? {
            lineItems: items
              .filter((i) => i.subscriptionId === subscription.id)
              .map((item) => ({ item, price: priceView.get(item.priceId), meter: item.meterId ? meters.get(item.meterId) : undefined })),
          }
        : {}),
      ...(embeds.couponAssociations
        ? { associations: associations.filter((a) => a.subscriptionId === subscription.id).map((association) => ({ association, coupon: coupons.get(association.couponId) })) }
        : {}),
      ...(embeds.plan ? { plan: plans.get(subscription.planId) } : {}),
      ...(embeds.customer ? { customer: customers.get(subscription.customerId) } : {}),
    }));
  }
}

const noEmbeds: SubscriptionEmbeds = {
  plan: false,
  planPrices: false,
  planMeters: false,
  customer: false,
  lineItems: false,
  lineItemPrices: false,
  lineItemMeters: false,
  couponAssociations: false,
  coupons: false,
};
