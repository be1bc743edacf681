import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { scopeOf, type AuthContext } from '../../auth-context.ts';
import type { Clock } from '../../clock.ts';
import { notFound } from '../../errors/app-error.ts';
import { newId } from '../../ids.ts';
import { createdBetween } from '../../listing/created-between.ts';
import { sortToOrderBy, type SortCondition } from '../../listing/filter-conditions.ts';
import type { Page } from '../../listing/pagination.ts';
import { mergeMeterFilters, sameFilters } from './meter-filters.ts';
import { Meter, type MeterFilter } from './meter.entity.ts';
import type { NewMeter } from './meter.input.ts';
import { meterSearchFields } from './meter.search.ts';
import { useCaseEm } from '../../db/use-case-em.ts';

/** A list of meters, as the GET list's query expresses it. */
export type MeterQuery = {
  page: Page;
  status?: string;
  order?: 'asc' | 'desc';
  sort?: SortCondition[];
  eventName?: string;
  meterIds?: string[];
  startTime?: string;
  endTime?: string;
};

/**
 * Meter use cases; each public one is a single transaction scoped to the caller's environment.
 * The `…In` methods run inside a transaction someone else owns, so a feature can create, extend
 * or disable its meter atomically with itself.
 */
export class MeterService {
  readonly #orm: MikroORM;
  readonly #clock: Clock;

  constructor(orm: MikroORM, clock: Clock) {
    this.#orm = orm;
    this.#clock = clock;
  }

  async create(auth: AuthContext, input: NewMeter): Promise<Meter> {
    return useCaseEm(this.#orm).transactional((em) => Promise.resolve(this.createIn(em, auth, input)));
  }

  /** What every published meter of the environment counts: its event name and filters. */
  async publishedDefinitions(auth: AuthContext): Promise<Array<{ eventName: string; filters: MeterFilter[] }>> {
    const meters = await useCaseEm(this.#orm).find(Meter, { ...scopeOf(auth), status: 'published' }, { fields: ['eventName', 'filters'] });
    return meters.map((m) => ({ eventName: m.eventName, filters: m.filters ?? [] }));
  }

  /** Any status: a disabled meter stays readable, as in FlexPrice. */
  async get(auth: AuthContext, id: string): Promise<Meter> {
    return this.findIn(useCaseEm(this.#orm), auth, id);
  }

  async list(auth: AuthContext, query: MeterQuery): Promise<{ items: Meter[]; total: number }> {
    const where: Record<string, unknown>[] = [
      { ...scopeOf(auth), status: query.status ?? 'published' },
      ...createdBetween(query.startTime, query.endTime),
    ];
    if (query.eventName?.trim()) where.push({ eventName: query.eventName.trim() });
    if (query.meterIds?.length) where.push({ id: { $in: query.meterIds } });
    const orderBy = sortToOrderBy(query.sort, query.order, meterSearchFields, 'meter');
    const [items, total] = await useCaseEm(this.#orm).findAndCount(Meter, { $and: where }, {
      orderBy,
      limit: query.page.limit,
      offset: query.page.offset,
    });
    return { items, total };
  }

  async addFilters(auth: AuthContext, id: string, filters: MeterFilter[]): Promise<Meter> {
    return useCaseEm(this.#orm).transactional(async (em) => {
      const meter = await this.findIn(em, auth, id);
      this.addFiltersIn(auth, meter, filters);
      return meter;
    });
  }

  async disable(auth: AuthContext, id: string): Promise<void> {
    await useCaseEm(this.#orm).transactional(async (em) => {
      this.disableIn(auth, await this.findIn(em, auth, id));
    });
  }

  createIn(em: EntityManager, auth: AuthContext, input: NewMeter): Meter {
    const now = this.#clock.now();
    return em.create(Meter, {
      id: newId('meter'),
      ...scopeOf(auth),
      name: input.name,
      eventName: input.eventName,
      aggregation: input.aggregation,
      filters: input.filters,
      resetUsage: input.resetUsage,
      status: 'published',
      createdAt: now,
      updatedAt: now,
      createdBy: auth.secretId,
      updatedBy: auth.secretId,
    });
  }

  /** A copy with a new id and the same definition (a cloned feature gets its own meter). */
  copyIn(em: EntityManager, auth: AuthContext, source: Meter): Meter {
    return this.createIn(em, auth, {
      name: source.name,
      eventName: source.eventName,
      aggregation: { ...source.aggregation },
      filters: source.filters.map((f) => ({ key: f.key, values: [...f.values] })),
      resetUsage: source.resetUsage,
    });
  }

  async findIn(em: EntityManager, auth: AuthContext, id: string, field = 'id'): Promise<Meter> {
    const meter = await em.findOne(Meter, { ...scopeOf(auth), id });
    if (!meter) throw notFound('Meter', field, id);
    return meter;
  }

  /** Additive: see mergeMeterFilters. Adding nothing new leaves the meter (and updated_at) as it was. */
  addFiltersIn(auth: AuthContext, meter: Meter, filters: MeterFilter[]): void {
    const merged = mergeMeterFilters(meter.filters ?? [], filters);
    if (sameFilters(merged, meter.filters ?? [])) return;
    meter.filters = merged;
    this.#touch(auth, meter);
  }

  /** Disabling a disabled meter changes nothing. */
  disableIn(auth: AuthContext, meter: Meter): void {
    if (meter.status === 'archived') return;
    meter.status = 'archived';
    this.#touch(auth, meter);
  }

  #touch(auth: AuthContext, meter: Meter): void {
    meter.updatedAt = this.#clock.now();
    meter.updatedBy = auth.secretId;
  }
}
