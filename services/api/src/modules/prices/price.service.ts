import type { AuthContext } from '../../auth-context.ts';
import { ExactDecimal, formatDecimal } from '../../billing/money/index.ts';
import {
  bucketedCost,
  customUnitCost,
  parsePrice,
  priceCost,
  readPrice,
  toFiatPrice,
  type CustomUnitPriceDefinition,
  type PriceDefinition,
  type PriceTier,
  type RatedPrice,
} from '../../billing/pricing/index.ts';
import type { PageOf } from '../../db/find-page.ts';
import type { Tx } from '../../db/transactions.ts';
import { AppError, invalidFields, notFound } from '../../errors/app-error.ts';
import { orNotFound } from '../../errors/not-found.ts';
import { throwIfProblems, type Problems } from '../../errors/problems.ts';
import { newId } from '../../ids.ts';
import { newRecord, touch } from '../../records.ts';
import type { ServiceContext } from '../../service-context.ts';
import type { AddonReader } from '../addons/index.ts';
import type { Meter, MeterReader } from '../meters/index.ts';
import type { PlanCloneStep, PlanReader } from '../plans/index.ts';
import type { PriceUnit, PriceUnitDeletionGuard, PriceUnitReader } from '../price-units/index.ts';
import type { PriceCostView } from './price-cost.convert.ts';
import type { NewPrice, PriceChanges, PriceEmbeds, PriceQuery, PriceView } from './price.convert.ts';
import type { Price } from './price.entity.ts';
import { requestField } from './price-problems.ts';
import { PriceRepo } from './price.repo.ts';

type Errors = Problems;

/**
 * The subscription a `SUBSCRIPTION`-scoped price belongs to, as prices need it. Prices cannot import the
 * subscriptions module (which uses prices), so the composition root hands its reader in.
 */
export type PriceOwnerSubscription = { id: string; status: string; subscriptionStatus: string; currency: string };
export type SubscriptionOwnerReader = { get(tx: Tx, auth: AuthContext, id: string): Promise<PriceOwnerSubscription | null> };

/** What prices read of other modules: the plan, addon or subscription a price belongs to, its meter and its unit. */
export type PriceServiceFaces = { plans: PlanReader; addons: AddonReader; meters: MeterReader; priceUnits: PriceUnitReader; subscriptions?: SubscriptionOwnerReader };

/** The pricing fields a subscription's override changes on a copy of a plan price. */
export type PriceOverride = Pick<PriceChanges, 'amount' | 'billingModel' | 'tierMode' | 'tiers' | 'transformQuantity' | 'unitAmount' | 'unitTiers'>;

/** FlexPrice's cap on the active prices of one plan or addon. */
const maxActivePricesPerEntity = 5000;

const lookupKeyTaken = (field: string, lookupKey: string) =>
  new AppError('already_exists', `A price with lookup key ${lookupKey} already exists`, { [field]: lookupKey });

export class PriceService {
  readonly #ctx: ServiceContext;
  readonly #repo = new PriceRepo();
  readonly #faces: PriceServiceFaces;

  constructor(ctx: ServiceContext, faces: PriceServiceFaces) {
    this.#ctx = ctx;
    this.#faces = faces;
  }

  create(auth: AuthContext, input: NewPrice): Promise<PriceView> {
    return this.#write('lookup_key', input.lookupKey, (tx) => this.#createIn(tx, auth, input, '', new Map()));
  }

  /** All or nothing: one unit of work; a refusal names the item (`items[2].entity_id`). */
  createBulk(auth: AuthContext, inputs: NewPrice[]): Promise<PriceView[]> {
    const seen = new Map<string, number>();
    inputs.forEach((input, i) => {
      if (input.lookupKey === null) return;
      if (seen.has(input.lookupKey)) throw lookupKeyTaken(`items[${i}].lookup_key`, input.lookupKey);
      seen.set(input.lookupKey, i);
    });
    return this.#write('lookup_key', null, async (tx) => {
      const pending = new Map<string, number>();
      const views: PriceView[] = [];
      for (const [i, input] of inputs.entries()) views.push(await this.#createIn(tx, auth, input, `items[${i}].`, pending));
      return views;
    });
  }

  /** Any status, ended prices included. */
  get(auth: AuthContext, id: string): Promise<PriceView> {
    return this.#ctx.db.read(async (tx) => this.#viewOf(tx, auth, await this.#find(tx, auth, id)));
  }

  /** The active (published, not ended) price with this lookup key. */
  getByLookupKey(auth: AuthContext, lookupKey: string): Promise<PriceView> {
    return this.#ctx.db.read(async (tx) => {
      const price = await this.#repo.activeByLookupKey(tx, auth, lookupKey, this.#ctx.clock.now());
      return this.#viewOf(tx, auth, orNotFound(price, 'Price', 'lookup_key', lookupKey));
    });
  }

  list(auth: AuthContext, query: PriceQuery): Promise<PageOf<PriceView>> {
    return this.#ctx.db.read(async (tx) => {
      const { items, total } = await this.#repo.page(tx, auth, query, this.#ctx.clock.now());
      return { items: await this.viewsOf(tx, auth, items, query.embed), total };
    });
  }

  /**
   * Descriptive fields change in place. A pricing field ends the price at `effective_from` and
   * creates its successor from that instant (parent = the lineage's root), in one unit of work.
   */
  update(auth: AuthContext, id: string, changes: PriceChanges): Promise<PriceView> {
    return this.#write('lookup_key', changes.lookupKey ?? null, async (tx) => {
      const price = await this.#find(tx, auth, id);
      const now = this.#ctx.clock.now();
      if (price.endDate) {
        throw new AppError('invalid_operation', `price ${price.id} has ended (end_date ${price.endDate.toISOString()}) and cannot be updated`, { id: price.id });
      }
      const lookupKey = changes.lookupKey !== undefined ? changes.lookupKey : (price.lookupKey ?? null);
      if (lookupKey && lookupKey !== price.lookupKey) await this.#assertLookupKeyFree(tx, auth, lookupKey, 'lookup_key', now, price.id);
      if (changes.critical.length === 0) {
        price.lookupKey = lookupKey;
        if (changes.description !== undefined) price.description = changes.description;
        if (changes.displayName !== undefined) price.displayName = changes.displayName;
        if (changes.metadata !== undefined) price.metadata = changes.metadata;
        touch(price, auth, now);
        return this.#viewOf(tx, auth, price);
      }
      const next = this.#nextVersion(price, changes);
      const effectiveFrom = changes.effectiveFrom ?? now;
      if (effectiveFrom < price.startDate) {
        throw invalidFields({ effective_from: `must not be before the price's start_date (${price.startDate.toISOString()})` });
      }
      price.endDate = effectiveFrom;
      touch(price, auth, now);
      // The old version must leave the live lookup-key index before its successor takes the key.
      await this.#repo.flush(tx);
      const successor = this.#repo.addCopy(tx, price, {
        ...newRecord(auth, now),
        id: newId('price'),
        ...next,
        lookupKey,
        description: changes.description !== undefined ? changes.description : price.description,
        displayName: changes.displayName !== undefined ? changes.displayName : price.displayName,
        metadata: changes.metadata ?? { ...price.metadata },
        parentPriceId: price.parentPriceId ?? price.id,
        startDate: effectiveFrom,
        endDate: null,
      });
      return this.#viewOf(tx, auth, successor);
    });
  }

  /** Ends the price (FlexPrice keeps it published). */
  async delete(auth: AuthContext, id: string, endDate: Date | undefined): Promise<void> {
    await this.#ctx.db.run(async (tx) => {
      const price = await this.#find(tx, auth, id);
      if (price.endDate) {
        throw new AppError('invalid_operation', `price ${price.id} has already ended (end_date ${price.endDate.toISOString()})`, { id: price.id });
      }
      const now = this.#ctx.clock.now();
      const end = endDate ?? now;
      if (end < price.startDate) throw invalidFields({ end_date: `must not be before the price's start_date (${price.startDate.toISOString()})` });
      price.endDate = end;
      touch(price, auth, now);
    });
  }

  /** The prices with what `embed` asks for, read in the caller's unit of work: the meter of a usage price, the unit of a custom one. */
  async viewsOf(tx: Tx, auth: AuthContext, prices: Price[], embed: PriceEmbeds): Promise<PriceView[]> {
    const meters = await this.#faces.meters.getMany(tx, auth, embed.meters ? prices.map((p) => p.meterId) : []);
    const custom = prices.filter((p) => p.priceUnitType === 'CUSTOM');
    const units = await this.#faces.priceUnits.getMany(tx, auth, embed.priceUnits ? custom.map((p) => p.priceUnitId) : []);
    return prices.map((price) => ({
      price,
      meter: price.meterId ? meters.get(price.meterId) : undefined,
      priceUnit: price.priceUnitId && price.priceUnitType === 'CUSTOM' ? units.get(price.priceUnitId) : undefined,
    }));
  }

  /** The published prices of these plans, addons or subscriptions, newest first, with what `embed` asks for; those ended at `at` only with `endedToo`. */
  async ownedBy(tx: Tx, auth: AuthContext, entityType: 'PLAN' | 'ADDON' | 'SUBSCRIPTION', ownerIds: string[], embed: PriceEmbeds & { endedToo: boolean; at: Date }): Promise<PriceView[]> {
    return this.viewsOf(tx, auth, await this.#repo.forOwners(tx, auth, entityType, ownerIds, embed), embed);
  }

  /**
   * A `SUBSCRIPTION`-scoped price made in the caller's unit of work, for a subscription being created
   * there (`owner`, not yet stored): the same rules as `POST /prices`, problems named under `prefix`.
   */
  async createForSubscription(tx: Tx, auth: AuthContext, input: NewPrice, owner: { id: string; currency: string }, prefix: string): Promise<PriceView> {
    return this.#createIn(tx, auth, { ...input, entityType: 'SUBSCRIPTION', entityId: owner.id }, prefix, new Map(), owner);
  }

  /**
   * A subscription's override of a plan price: a copy of `parent` owned by the subscription, with the
   * pricing fields changed (validated as a price update's are) and `parent_price_id` naming the plan
   * price, starting at `startDate`. Problems are named under `prefix`.
   */
  overridePrice(tx: Tx, auth: AuthContext, parent: Price, subscriptionId: string, override: PriceOverride, startDate: Date, prefix: string): Price {
    const critical = Object.entries(override).filter(([, v]) => v !== undefined).map(([k]) => k);
    let next;
    try {
      next = this.#nextVersion(parent, { ...override, critical });
    } catch (err) {
      if (err instanceof AppError && err.details) throw invalidFields(Object.fromEntries(Object.entries(err.details).map(([k, v]) => [`${prefix}${k}`, String(v)])));
      throw err;
    }
    return this.#repo.addCopy(tx, parent, {
      ...newRecord(auth, this.#ctx.clock.now()),
      id: newId('price'),
      ...next,
      entityType: 'SUBSCRIPTION',
      entityId: subscriptionId,
      lookupKey: null,
      parentPriceId: parent.id,
      startDate,
      endDate: null,
    });
  }

  /**
   * A plan's clone step: copies (new ids) of the source plan's published prices that have not ended,
   * in the order they were made. A copy loses its lookup key (unique per live price) and its lineage.
   */
  readonly copyToClonedPlan: PlanCloneStep = async (tx, auth, { from, to, now }) => {
    for (const price of await this.#repo.forOwners(tx, auth, 'PLAN', [from.id], { endedToo: false, at: now, order: 'asc' })) {
      this.#repo.addCopy(tx, price, { ...newRecord(auth, now), id: newId('price'), entityId: to.id, lookupKey: null, parentPriceId: null });
    }
  };

  /** A price unit's deletion guard: refused while an active price uses the unit (it would keep naming a unit that no longer exists). */
  readonly refuseUsedPriceUnit: PriceUnitDeletionGuard = async (tx, auth, unit) => {
    const inUse = await this.#repo.usesPriceUnit(tx, auth, unit.id, this.#ctx.clock.now());
    if (inUse > 0) {
      throw new AppError('invalid_operation', `price unit ${unit.code} is used by ${inUse} active price(s); end them before deleting the unit`, { id: unit.id });
    }
  };

  /** The engine's cost of the price for a quantity or for bucket quantities. Reads only. */
  async cost(auth: AuthContext, id: string, input: { quantity?: string; buckets?: string[] }): Promise<PriceCostView> {
    const price = await this.#ctx.db.read((tx) => this.#find(tx, auth, id));
    // Read once: every bucket (and both moneys of a custom unit) is priced from the same RatedPrice.
    const rated: RatedPrice = readPrice(definitionOf(price));
    if (input.buckets) {
      const cost = bucketedCost(rated, input.buckets);
      const quantity = formatDecimal(cost.buckets.reduce((sum, b) => sum.plus(b.quantity), new ExactDecimal(0)));
      return { price, kind: 'buckets', quantity, cost, unitCost: rated.customUnit ? bucketedCost(rated.customUnit.price, input.buckets) : undefined };
    }
    const quantity = input.quantity as string;
    return { price, kind: 'single', cost: rated.customUnit ? customUnitCost(rated, quantity) : priceCost(rated, quantity) };
  }

  /** The pricing fields of the successor: the old ones with the changes applied, validated and converted. */
  #nextVersion(price: Price, changes: PriceChanges) {
    const custom = price.priceUnitType === 'CUSTOM';
    const errors: Errors = {};
    if (custom && (changes.amount !== undefined || changes.tiers !== undefined)) {
      errors[changes.amount !== undefined ? 'amount' : 'tiers'] = 'cannot change a CUSTOM price; give price_unit_amount or price_unit_tiers';
    }
    if (!custom && (changes.unitAmount !== undefined || changes.unitTiers !== undefined)) {
      errors[changes.unitAmount !== undefined ? 'price_unit_amount' : 'price_unit_tiers'] = 'applies to CUSTOM prices only; this price is FIAT';
    }
    throwIfProblems(errors);
    const model = changes.billingModel ?? price.billingModel;
    const wasTiered = price.billingModel === 'TIERED';
    const oldAmount = custom ? price.priceUnitAmount : price.amount;
    const oldTiers = (custom ? price.priceUnitTiers : price.tiers) as PriceTier[] | null;
    const amount = (custom ? changes.unitAmount : changes.amount) ?? (wasTiered ? null : oldAmount);
    const tiers = (custom ? changes.unitTiers : changes.tiers) ?? (wasTiered ? oldTiers : null);
    const definition: PriceDefinition = {
      currency: price.currency,
      billingModel: model,
      billingPeriodCount: price.billingPeriodCount,
      amount: model === 'TIERED' ? null : amount,
      tierMode: model === 'TIERED' ? (changes.tierMode ?? price.tierMode) : null,
      tiers: model === 'TIERED' ? tiers : null,
      transformQuantity: model === 'PACKAGE' ? (changes.transformQuantity ?? price.transformQuantity) : null,
    };
    // A CUSTOM price is checked in its unit; its conversion rate is the stored one.
    const parsed = parsePrice(definition);
    if (!parsed.ok) for (const p of parsed.problems) errors[requestField(p, 'update', price.priceUnitType)] = p.message;
    throwIfProblems(errors);
    const fiat = custom
      ? toFiatPrice({
          ...definition,
          priceUnit: price.priceUnit ?? '',
          conversionRate: price.conversionRate ?? '',
          priceUnitAmount: definition.amount,
          priceUnitTiers: definition.tiers,
        })
      : definition;
    return {
      billingModel: model,
      amount: model === 'TIERED' ? '0' : (fiat.amount as string),
      tierMode: definition.tierMode ?? null,
      tiers: model === 'TIERED' ? [...(fiat.tiers as PriceTier[])] : null,
      transformQuantity: definition.transformQuantity ?? null,
      priceUnitAmount: custom && model !== 'TIERED' ? (definition.amount as string) : null,
      priceUnitTiers: custom && model === 'TIERED' ? [...(definition.tiers as PriceTier[])] : null,
    };
  }

  /** The plan, addon or subscription the price is for: 404 when there is none, 400 when it cannot take prices. */
  async #owner(tx: Tx, auth: AuthContext, input: NewPrice, at: (field: string) => string, known?: { id: string; currency: string }): Promise<{ name: string | null }> {
    if (input.entityType === 'SUBSCRIPTION') {
      const sub: { id: string; currency: string; status?: string; subscriptionStatus?: string } | null = known ?? (await this.#faces.subscriptions?.get(tx, auth, input.entityId)) ?? null;
      if (!sub) throw notFound('Subscription', at('entity_id'), input.entityId);
      if (sub.status !== undefined && (sub.status !== 'published' || sub.subscriptionStatus === 'cancelled')) {
        throw invalidFields({ [at('entity_id')]: `names subscription ${sub.id}, which is cancelled` });
      }
      if (sub.currency !== input.currency) throw invalidFields({ [at('currency')]: `must be the subscription's currency (${sub.currency})` });
      return { name: null };
    }
    const owner = input.entityType === 'PLAN' ? await this.#faces.plans.get(tx, auth, input.entityId) : await this.#faces.addons.get(tx, auth, input.entityId);
    const ownerName = input.entityType === 'PLAN' ? 'Plan' : 'Addon';
    if (!owner) throw notFound(ownerName, at('entity_id'), input.entityId);
    if (owner.status !== 'published') throw invalidFields({ [at('entity_id')]: `names ${ownerName.toLowerCase()} ${owner.id}, which is ${owner.status}` });
    return { name: owner.name };
  }

  async #createIn(tx: Tx, auth: AuthContext, input: NewPrice, prefix: string, pending: Map<string, number>, known?: { id: string; currency: string }): Promise<PriceView> {
    const at = (field: string) => `${prefix}${field}`;
    const now = this.#ctx.clock.now();
    const owner = await this.#owner(tx, auth, input, at, known);

    let meter: Meter | undefined;
    if (input.meterId !== null) {
      const found = await this.#faces.meters.get(tx, auth, input.meterId);
      meter = found?.status === 'published' ? found : undefined;
      if (!meter) throw notFound('Meter', at('meter_id'), input.meterId);
    }

    let priceUnit: PriceUnit | undefined;
    let amount = input.amount;
    let tiers = input.tiers;
    if (input.priceUnitType === 'CUSTOM') {
      const code = input.priceUnitCode as string;
      priceUnit = (await this.#faces.priceUnits.getPublished(tx, auth, { code })) ?? undefined;
      if (!priceUnit) throw notFound('Price unit', at('price_unit_config.price_unit'), code);
      if (priceUnit.baseCurrency !== input.currency) {
        throw invalidFields({ [at('currency')]: `must be the base currency of price unit ${code} (${priceUnit.baseCurrency})` });
      }
      const fiat = toFiatPrice({
        currency: input.currency,
        billingModel: input.billingModel,
        billingPeriodCount: input.billingPeriodCount,
        tierMode: input.tierMode,
        transformQuantity: input.transformQuantity,
        priceUnit: code,
        conversionRate: priceUnit.conversionRate,
        priceUnitAmount: input.unitAmount,
        priceUnitTiers: input.unitTiers,
      });
      amount = fiat.amount ?? null;
      tiers = fiat.tiers ? [...fiat.tiers] : null;
    }

    const startDate = input.startDate ?? now;
    if (input.endDate && input.endDate <= startDate) throw invalidFields({ [at('end_date')]: `must be after start_date (${startDate.toISOString()})` });
    if (input.lookupKey !== null) await this.#assertLookupKeyFree(tx, auth, input.lookupKey, at('lookup_key'), now);

    const entityKey = `${input.entityType}:${input.entityId}`;
    const active = (await this.#repo.countActiveOf(tx, auth, input.entityType, input.entityId, now)) + (pending.get(entityKey) ?? 0);
    if (active >= maxActivePricesPerEntity) {
      throw new AppError('invalid_operation', `entity has too many active prices (at most ${maxActivePricesPerEntity})`, { [at('entity_id')]: input.entityId });
    }
    pending.set(entityKey, (pending.get(entityKey) ?? 0) + 1);

    const price = this.#repo.add(tx, {
      id: newId('price'),
      entityType: input.entityType,
      entityId: input.entityId,
      type: input.type,
      currency: input.currency,
      amount: input.billingModel === 'TIERED' ? '0' : (amount as string),
      billingPeriod: input.billingPeriod,
      billingPeriodCount: input.billingPeriodCount,
      billingModel: input.billingModel,
      billingCadence: 'RECURRING',
      invoiceCadence: input.invoiceCadence,
      trialPeriodDays: input.trialPeriodDays,
      tierMode: input.tierMode,
      tiers,
      transformQuantity: input.transformQuantity,
      meterId: input.meterId,
      minQuantity: input.minQuantity,
      priceUnitType: input.priceUnitType,
      priceUnitId: priceUnit?.id ?? null,
      priceUnit: priceUnit?.code ?? null,
      priceUnitAmount: priceUnit ? input.unitAmount : null,
      priceUnitTiers: priceUnit ? input.unitTiers : null,
      conversionRate: priceUnit?.conversionRate ?? null,
      lookupKey: input.lookupKey,
      description: input.description,
      displayName: input.displayName ?? (input.type === 'USAGE' ? (meter?.name ?? null) : owner.name),
      metadata: input.metadata,
      parentPriceId: null,
      groupId: null,
      startDate,
      endDate: input.endDate,
      ...newRecord(auth, now),
    });
    return { price, meter, priceUnit };
  }

  /** One unit of work; a unique-index race on lookup_key surfaces as 409, not 500. */
  #write<T>(field: string, lookupKey: string | null, work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.#ctx.db.run(work, () => lookupKeyTaken(field, lookupKey ?? ''));
  }

  async #assertLookupKeyFree(tx: Tx, auth: AuthContext, lookupKey: string, field: string, now: Date, exceptId?: string): Promise<void> {
    if (await this.#repo.isLookupKeyActive(tx, auth, lookupKey, now, exceptId)) throw lookupKeyTaken(field, lookupKey);
  }

  async #find(tx: Tx, auth: AuthContext, id: string): Promise<Price> {
    return orNotFound(await this.#repo.get(tx, auth, id), 'Price', 'id', id);
  }

  /** One price with everything its response embeds. */
  async #viewOf(tx: Tx, auth: AuthContext, price: Price): Promise<PriceView> {
    const [view] = await this.viewsOf(tx, auth, [price], { meters: true, priceUnits: true });
    return view;
  }
}

/** A stored price read once by the pricing engine (amounts, tiers, currency precision), for invoicing. */
export function ratedPriceOf(price: Price): RatedPrice {
  return readPrice(definitionOf(price));
}

/** A stored price as the engine reads it: a CUSTOM price in its unit, with its conversion rate. */
function definitionOf(price: Price): PriceDefinition | CustomUnitPriceDefinition {
  const common = {
    currency: price.currency,
    billingModel: price.billingModel,
    billingPeriodCount: price.billingPeriodCount,
    tierMode: price.tierMode,
    transformQuantity: price.transformQuantity,
  };
  if (price.priceUnitType !== 'CUSTOM') return { ...common, amount: price.amount, tiers: price.tiers as PriceTier[] | null };
  return {
    ...common,
    priceUnit: price.priceUnit ?? '',
    conversionRate: price.conversionRate ?? '',
    priceUnitAmount: price.priceUnitAmount,
    priceUnitTiers: price.priceUnitTiers as PriceTier[] | null,
  };
}
