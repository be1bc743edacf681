import { UniqueConstraintViolationException, type EntityManager, type MikroORM } from '@mikro-orm/core';
import { scopeOf, type AuthContext } from '../../auth-context.ts';
import {
  bucketedCost,
  customUnitCost,
  priceCost,
  priceDefinitionProblems,
  toFiatPrice,
  type BucketedCost,
  type CustomUnitCost,
  type PriceCost,
  type PriceDefinition,
  type PriceTier,
} from '../../billing/pricing/index.ts';
import type { Clock } from '../../clock.ts';
import { parseDateInput } from '../../date-input.ts';
import { ExactDecimal, formatDecimal } from '../../decimal/exact-decimal.ts';
import { AppError, invalidFields, notFound } from '../../errors/app-error.ts';
import { newId } from '../../ids.ts';
import { createdBetween } from '../../listing/created-between.ts';
import { filtersToWhere, sortToOrderBy, type FilterCondition, type SortCondition } from '../../listing/filter-conditions.ts';
import type { Page } from '../../listing/pagination.ts';
import { Addon } from '../addons/addon.entity.ts';
import { Meter } from '../meters/meter.entity.ts';
import { Plan } from '../plans/plan.entity.ts';
import { PriceUnit } from '../price-units/price-unit.entity.ts';
import { activeAt, notEndedAt } from './price-activity.ts';
import { Price } from './price.entity.ts';
import type { Errors, NewPrice, PriceChanges } from './price.convert.ts';
import { priceSearchFields } from './price.search.ts';
import { useCaseEm } from '../../db/use-case-em.ts';
import { newRecord } from '../../record-stamps.ts';
import type { PlanCloneStep } from '../plans/index.ts';
import { PriceRepo } from './price.repo.ts';

/** A price with what is embedded in its response: the meter of a usage price, the unit of a custom one. */
export type PriceView = { price: Price; meter?: Meter; priceUnit?: PriceUnit };

export type PriceQuery = {
  page: Page;
  status?: string;
  order?: 'asc' | 'desc';
  sort?: SortCondition[];
  filters?: FilterCondition[];
  priceIds?: string[];
  billingPeriods?: string[];
  planIds?: string[];
  entityType?: string;
  entityIds?: string[];
  meterIds?: string[];
  parentPriceId?: string;
  subscriptionId?: string;
  allowExpiredPrices?: boolean;
  startDateLt?: string;
  startTime?: string;
  endTime?: string;
  expandMeters?: boolean;
  expandPriceUnits?: boolean;
};

/** The cost preview: the engine's result for one quantity or a list of bucket quantities. */
export type PriceCostView =
  | { price: Price; kind: 'single'; cost: PriceCost | CustomUnitCost }
  | { price: Price; kind: 'buckets'; quantity: string; cost: BucketedCost; unitCost?: BucketedCost };

/** FlexPrice's cap on the active prices of one plan or addon. */
export const maxActivePricesPerEntity = 5000;

const lookupKeyTaken = (field: string, lookupKey: string) =>
  new AppError('already_exists', `A price with lookup key ${lookupKey} already exists`, { [field]: lookupKey });


/** Price use cases; each one is a single transaction scoped to the caller's environment. */
export class PriceService {
  readonly #orm: MikroORM;
  readonly #clock: Clock;

  constructor(orm: MikroORM, clock: Clock) {
    this.#orm = orm;
    this.#clock = clock;
  }

  async create(auth: AuthContext, input: NewPrice): Promise<PriceView> {
    return this.#write('lookup_key', input.lookupKey, async (em) => this.#createIn(em, auth, input, '', new Map()));
  }

  /** All or nothing: one transaction; a refusal names the item (`items[2].entity_id`). */
  async createBulk(auth: AuthContext, inputs: NewPrice[]): Promise<PriceView[]> {
    const seen = new Map<string, number>();
    inputs.forEach((input, i) => {
      if (input.lookupKey === null) return;
      if (seen.has(input.lookupKey)) throw lookupKeyTaken(`items[${i}].lookup_key`, input.lookupKey);
      seen.set(input.lookupKey, i);
    });
    return this.#write('lookup_key', null, async (em) => {
      const pending = new Map<string, number>();
      const views: PriceView[] = [];
      for (const [i, input] of inputs.entries()) views.push(await this.#createIn(em, auth, input, `items[${i}].`, pending));
      return views;
    });
  }

  /** Any status, ended prices included. */
  async get(auth: AuthContext, id: string): Promise<PriceView> {
    const em = useCaseEm(this.#orm);
    return this.#viewOf(em, auth, await this.#find(em, auth, id));
  }

  /** The active (published, not ended) price with this lookup key. */
  async getByLookupKey(auth: AuthContext, lookupKey: string): Promise<PriceView> {
    const em = useCaseEm(this.#orm);
    const price = await em.findOne(Price, { ...scopeOf(auth), lookupKey, ...activeAt(this.#clock.now()) }, { orderBy: { startDate: 'desc' } });
    if (!price) throw notFound('Price', 'lookup_key', lookupKey);
    return this.#viewOf(em, auth, price);
  }

  async list(auth: AuthContext, query: PriceQuery): Promise<{ items: PriceView[]; total: number }> {
    const now = this.#clock.now();
    const where: Record<string, unknown>[] = [
      { ...scopeOf(auth), status: query.status ?? 'published' },
      ...filtersToWhere(query.filters, priceSearchFields, 'price'),
      ...createdBetween(query.startTime, query.endTime),
    ];
    if (!query.allowExpiredPrices) where.push(notEndedAt(now));
    if (query.priceIds?.length) where.push({ id: { $in: query.priceIds } });
    if (query.billingPeriods?.length) where.push({ billingPeriod: { $in: query.billingPeriods } });
    if (query.planIds?.length) where.push({ entityType: 'PLAN', entityId: { $in: query.planIds } });
    if (query.entityType) where.push({ entityType: query.entityType });
    if (query.entityIds?.length) where.push({ entityId: { $in: query.entityIds } });
    if (query.meterIds?.length) where.push({ meterId: { $in: query.meterIds } });
    if (query.parentPriceId) where.push({ parentPriceId: query.parentPriceId });
    // Tally has no subscription prices: a subscription filter matches nothing.
    if (query.subscriptionId) where.push({ entityType: 'SUBSCRIPTION', entityId: query.subscriptionId });
    const errors: Record<string, string> = {};
    const before = parseDateInput(query.startDateLt, 'start_date_lt', errors);
    if (Object.keys(errors).length) throw invalidFields(errors);
    if (before) where.push({ startDate: { $lt: before } });
    const orderBy = sortToOrderBy(query.sort, query.order, priceSearchFields, 'price');
    const em = useCaseEm(this.#orm);
    const [prices, total] = await em.findAndCount(Price, { $and: where }, { orderBy, limit: query.page.limit, offset: query.page.offset });
    const meterIds = query.expandMeters ? [...new Set(prices.filter((p) => p.meterId).map((p) => p.meterId as string))] : [];
    const unitIds = query.expandPriceUnits ? [...new Set(prices.filter((p) => p.priceUnitId).map((p) => p.priceUnitId as string))] : [];
    const meters = meterIds.length ? await em.find(Meter, { ...scopeOf(auth), id: { $in: meterIds } }) : [];
    const units = unitIds.length ? await em.find(PriceUnit, { ...scopeOf(auth), id: { $in: unitIds } }) : [];
    const meterById = new Map(meters.map((m) => [m.id, m]));
    const unitById = new Map(units.map((u) => [u.id, u]));
    return {
      items: prices.map((price) => ({
        price,
        meter: price.meterId ? meterById.get(price.meterId) : undefined,
        priceUnit: price.priceUnitId ? unitById.get(price.priceUnitId) : undefined,
      })),
      total,
    };
  }

  /**
   * Descriptive fields change in place. A pricing field ends the price at `effective_from` and
   * creates its successor from that instant (parent = the lineage's root), in one transaction.
   */
  async update(auth: AuthContext, id: string, changes: PriceChanges): Promise<PriceView> {
    return this.#write('lookup_key', changes.lookupKey ?? null, async (em) => {
      const price = await this.#find(em, auth, id);
      const now = this.#clock.now();
      if (price.endDate) {
        throw new AppError('invalid_operation', `price ${price.id} has ended (end_date ${price.endDate.toISOString()}) and cannot be updated`, { id: price.id });
      }
      const lookupKey = changes.lookupKey !== undefined ? changes.lookupKey : (price.lookupKey ?? null);
      if (lookupKey && lookupKey !== price.lookupKey) await this.#assertLookupKeyFree(em, auth, lookupKey, 'lookup_key', now, price.id);
      if (changes.critical.length === 0) {
        price.lookupKey = lookupKey;
        if (changes.description !== undefined) price.description = changes.description;
        if (changes.displayName !== undefined) price.displayName = changes.displayName;
        if (changes.metadata !== undefined) price.metadata = changes.metadata;
        price.updatedAt = now;
        price.updatedBy = auth.secretId;
        return this.#viewOf(em, auth, price);
      }
      const next = this.#nextVersion(price, changes);
      const effectiveFrom = changes.effectiveFrom ?? now;
      if (effectiveFrom < price.startDate) {
        throw invalidFields({ effective_from: `must not be before the price's start_date (${price.startDate.toISOString()})` });
      }
      price.endDate = effectiveFrom;
      price.updatedAt = now;
      price.updatedBy = auth.secretId;
      // The old version must leave the live lookup-key index before its successor takes the key.
      await em.flush();
      const successor = em.create(Price, {
        id: newId('price'),
        ...scopeOf(auth),
        entityType: price.entityType,
        entityId: price.entityId,
        type: price.type,
        currency: price.currency,
        ...next,
        billingPeriod: price.billingPeriod,
        billingPeriodCount: price.billingPeriodCount,
        billingCadence: price.billingCadence,
        invoiceCadence: price.invoiceCadence,
        trialPeriodDays: price.trialPeriodDays,
        meterId: price.meterId,
        minQuantity: price.minQuantity,
        priceUnitType: price.priceUnitType,
        priceUnitId: price.priceUnitId,
        priceUnit: price.priceUnit,
        conversionRate: price.conversionRate,
        lookupKey,
        description: changes.description !== undefined ? changes.description : price.description,
        displayName: changes.displayName !== undefined ? changes.displayName : price.displayName,
        metadata: changes.metadata ?? { ...price.metadata },
        parentPriceId: price.parentPriceId ?? price.id,
        groupId: price.groupId,
        startDate: effectiveFrom,
        endDate: null,
        status: 'published',
        createdAt: now,
        updatedAt: now,
        createdBy: auth.secretId,
        updatedBy: auth.secretId,
      });
      return this.#viewOf(em, auth, successor);
    });
  }

  /** Ends the price (FlexPrice keeps it published). */
  async delete(auth: AuthContext, id: string, endDate: Date | undefined): Promise<void> {
    await useCaseEm(this.#orm).transactional(async (em) => {
      const price = await this.#find(em, auth, id);
      if (price.endDate) {
        throw new AppError('invalid_operation', `price ${price.id} has already ended (end_date ${price.endDate.toISOString()})`, { id: price.id });
      }
      const now = this.#clock.now();
      const end = endDate ?? now;
      if (end < price.startDate) throw invalidFields({ end_date: `must not be before the price's start_date (${price.startDate.toISOString()})` });
      price.endDate = end;
      price.updatedAt = now;
      price.updatedBy = auth.secretId;
    });
  }

  /** The engine's cost of the price for a quantity or for bucket quantities. Reads only. */
  async cost(auth: AuthContext, id: string, input: { quantity?: string; buckets?: string[] }): Promise<PriceCostView> {
    const price = await this.#find(useCaseEm(this.#orm), auth, id);
    const custom = price.priceUnitType === 'CUSTOM';
    const unitDefinition: PriceDefinition = { ...definitionOf(price), amount: price.priceUnitAmount, tiers: price.priceUnitTiers as PriceTier[] | null };
    if (input.buckets) {
      const cost = bucketedCost(definitionOf(price), input.buckets);
      const quantity = formatDecimal(cost.buckets.reduce((sum, b) => sum.plus(b.quantity), new ExactDecimal(0)));
      return { price, kind: 'buckets', quantity, cost, unitCost: custom ? bucketedCost(unitDefinition, input.buckets) : undefined };
    }
    const quantity = input.quantity as string;
    if (custom) {
      const cost = customUnitCost(
        {
          ...definitionOf(price),
          priceUnit: price.priceUnit ?? '',
          conversionRate: price.conversionRate ?? '',
          priceUnitAmount: price.priceUnitAmount,
          priceUnitTiers: price.priceUnitTiers as PriceTier[] | null,
        },
        quantity,
      );
      return { price, kind: 'single', cost };
    }
    return { price, kind: 'single', cost: priceCost(definitionOf(price), quantity) };
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
    if (Object.keys(errors).length) throw invalidFields(errors);
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
    for (const p of priceDefinitionProblems(definition)) {
      const field = custom ? (p.field === 'amount' ? 'price_unit_amount' : p.field.replace(/^tiers/, 'price_unit_tiers')) : p.field;
      errors[field] = p.message;
    }
    if (Object.keys(errors).length) throw invalidFields(errors);
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

  async #createIn(em: EntityManager, auth: AuthContext, input: NewPrice, prefix: string, pending: Map<string, number>): Promise<PriceView> {
    const at = (field: string) => `${prefix}${field}`;
    const now = this.#clock.now();
    const owner =
      input.entityType === 'PLAN'
        ? await em.findOne(Plan, { ...scopeOf(auth), id: input.entityId })
        : await em.findOne(Addon, { ...scopeOf(auth), id: input.entityId });
    const ownerName = input.entityType === 'PLAN' ? 'Plan' : 'Addon';
    if (!owner) throw notFound(ownerName, at('entity_id'), input.entityId);
    if (owner.status !== 'published') throw invalidFields({ [at('entity_id')]: `names ${ownerName.toLowerCase()} ${owner.id}, which is ${owner.status}` });

    let meter: Meter | undefined;
    if (input.meterId !== null) {
      meter = (await em.findOne(Meter, { ...scopeOf(auth), id: input.meterId, status: 'published' })) ?? undefined;
      if (!meter) throw notFound('Meter', at('meter_id'), input.meterId);
    }

    let priceUnit: PriceUnit | undefined;
    let amount = input.amount;
    let tiers = input.tiers;
    if (input.priceUnitType === 'CUSTOM') {
      const code = input.priceUnitCode as string;
      priceUnit = (await em.findOne(PriceUnit, { ...scopeOf(auth), code, status: 'published' })) ?? undefined;
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
    if (input.lookupKey !== null) await this.#assertLookupKeyFree(em, auth, input.lookupKey, at('lookup_key'), now);

    const entityKey = `${input.entityType}:${input.entityId}`;
    const active = (await em.count(Price, { ...scopeOf(auth), entityType: input.entityType, entityId: input.entityId, ...activeAt(now) })) + (pending.get(entityKey) ?? 0);
    if (active >= maxActivePricesPerEntity) {
      throw new AppError('invalid_operation', `entity has too many active prices (at most ${maxActivePricesPerEntity})`, { [at('entity_id')]: input.entityId });
    }
    pending.set(entityKey, (pending.get(entityKey) ?? 0) + 1);

    const price = em.create(Price, {
      id: newId('price'),
      ...scopeOf(auth),
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
      status: 'published',
      createdAt: now,
      updatedAt: now,
      createdBy: auth.secretId,
      updatedBy: auth.secretId,
    });
    return { price, meter, priceUnit };
  }

  /** One transaction; a unique-index race on lookup_key surfaces as 409, not 500. */
  async #write<T>(field: string, lookupKey: string | null, work: (em: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await useCaseEm(this.#orm).transactional(work);
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) throw lookupKeyTaken(field, lookupKey ?? '');
      throw err;
    }
  }

  async #assertLookupKeyFree(em: EntityManager, auth: AuthContext, lookupKey: string, field: string, now: Date, exceptId?: string): Promise<void> {
    const where: Record<string, unknown> = { ...scopeOf(auth), lookupKey, ...activeAt(now) };
    if (exceptId) where.id = { $ne: exceptId };
    if ((await em.count(Price, where)) > 0) throw lookupKeyTaken(field, lookupKey);
  }

  async #find(em: EntityManager, auth: AuthContext, id: string): Promise<Price> {
    const price = await em.findOne(Price, { ...scopeOf(auth), id });
    if (!price) throw notFound('Price', 'id', id);
    return price;
  }

  async #viewOf(em: EntityManager, auth: AuthContext, price: Price): Promise<PriceView> {
    const meter = price.meterId ? ((await em.findOne(Meter, { ...scopeOf(auth), id: price.meterId })) ?? undefined) : undefined;
    const priceUnit = price.priceUnitId ? ((await em.findOne(PriceUnit, { ...scopeOf(auth), id: price.priceUnitId })) ?? undefined) : undefined;
    return { price, meter, priceUnit };
  }

  /**
   * A plan's clone step: copies (new ids) of the source plan's published prices that have not ended,
   * in the order they were made. A copy loses its lookup key (unique per live price) and its lineage.
   */
  readonly copyToClonedPlan: PlanCloneStep = async (tx, auth, { from, to, now }) => {
    const repo = new PriceRepo();
    for (const price of await repo.forOwners(tx, auth, 'PLAN', [from.id], { endedToo: false, at: now, order: 'asc' })) {
      repo.addCopy(tx, price, { ...newRecord(auth, now), id: newId('price'), entityId: to.id, lookupKey: null, parentPriceId: null });
    }
  };
}

/** A stored price as the engine reads it. */
function definitionOf(price: Price): PriceDefinition {
  return {
    currency: price.currency,
    billingModel: price.billingModel,
    billingPeriodCount: price.billingPeriodCount,
    amount: price.amount,
    tierMode: price.tierMode,
    tiers: price.tiers as PriceTier[] | null,
    transformQuantity: price.transformQuantity,
  };
}
