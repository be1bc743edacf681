import { UniqueConstraintViolationException, type EntityManager, type MikroORM } from '@mikro-orm/core';
import { scopeOf, type AuthContext } from '../../auth-context.ts';
import type { Clock } from '../../clock.ts';
import { AppError, notFound } from '../../errors/app-error.ts';
import { newId } from '../../ids.ts';
import { createdBetween } from '../../listing/created-between.ts';
import { filtersToWhere, sortToOrderBy, type FilterCondition, type SortCondition } from '../../listing/filter-conditions.ts';
import type { Page } from '../../listing/pagination.ts';
import { activeAt } from '../prices/price-activity.ts';
import { Price } from '../prices/price.entity.ts';
import type { NewPriceUnit, PriceUnitChanges } from './price-unit.convert.ts';
import { PriceUnit } from './price-unit.entity.ts';
import { priceUnitSearchFields } from './price-unit.search.ts';
import { useCaseEm } from '../../db/use-case-em.ts';

export type PriceUnitQuery = {
  page: Page;
  status?: string;
  order?: 'asc' | 'desc';
  sort?: SortCondition[];
  filters?: FilterCondition[];
  priceUnitIds?: string[];
  startTime?: string;
  endTime?: string;
};

const codeTaken = (code: string) => new AppError('already_exists', `A price unit with code ${code} already exists`, { code });

/** Price-unit use cases; each one is a single transaction scoped to the caller's environment. */
export class PriceUnitService {
  readonly #orm: MikroORM;
  readonly #clock: Clock;

  constructor(orm: MikroORM, clock: Clock) {
    this.#orm = orm;
    this.#clock = clock;
  }

  async create(auth: AuthContext, input: NewPriceUnit): Promise<PriceUnit> {
    try {
      return await useCaseEm(this.#orm).transactional(async (em) => {
        if ((await em.count(PriceUnit, { ...scopeOf(auth), code: input.code, status: 'published' })) > 0) throw codeTaken(input.code);
        const now = this.#clock.now();
        return em.create(PriceUnit, {
          id: newId('priceUnit'),
          ...scopeOf(auth),
          ...input,
          status: 'published',
          createdAt: now,
          updatedAt: now,
          createdBy: auth.secretId,
          updatedBy: auth.secretId,
        });
      });
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) throw codeTaken(input.code);
      throw err;
    }
  }

  /** Any status: a deleted (archived) unit stays readable. */
  async get(auth: AuthContext, id: string): Promise<PriceUnit> {
    return this.findIn(useCaseEm(this.#orm), auth, id);
  }

  /** The published unit with this code. */
  async getByCode(auth: AuthContext, code: string): Promise<PriceUnit> {
    const unit = await useCaseEm(this.#orm).findOne(PriceUnit, { ...scopeOf(auth), code, status: 'published' });
    if (!unit) throw notFound('Price unit', 'code', code);
    return unit;
  }

  async list(auth: AuthContext, query: PriceUnitQuery): Promise<{ items: PriceUnit[]; total: number }> {
    const where: Record<string, unknown>[] = [
      { ...scopeOf(auth), status: query.status ?? 'published' },
      ...filtersToWhere(query.filters, priceUnitSearchFields, 'price unit'),
      ...createdBetween(query.startTime, query.endTime),
    ];
    if (query.priceUnitIds?.length) where.push({ id: { $in: query.priceUnitIds } });
    const orderBy = sortToOrderBy(query.sort, query.order, priceUnitSearchFields, 'price unit');
    const [items, total] = await useCaseEm(this.#orm).findAndCount(PriceUnit, { $and: where }, {
      orderBy,
      limit: query.page.limit,
      offset: query.page.offset,
    });
    return { items, total };
  }

  async update(auth: AuthContext, id: string, changes: PriceUnitChanges): Promise<PriceUnit> {
    return useCaseEm(this.#orm).transactional(async (em) => {
      const unit = await this.findIn(em, auth, id);
      if (changes.name !== undefined) unit.name = changes.name;
      if (changes.metadata !== undefined) unit.metadata = changes.metadata;
      unit.updatedAt = this.#clock.now();
      unit.updatedBy = auth.secretId;
      return unit;
    });
  }

  /**
   * Archives the unit. Refused while a published price that has not ended uses it: such a price
   * would keep naming a unit that no longer exists. Deleting it again changes nothing.
   */
  async delete(auth: AuthContext, id: string): Promise<void> {
    await useCaseEm(this.#orm).transactional(async (em) => {
      const unit = await this.findIn(em, auth, id);
      if (unit.status === 'archived') return;
      const now = this.#clock.now();
      const inUse = await em.count(Price, {
        ...scopeOf(auth),
        priceUnitId: unit.id,
        ...activeAt(now),
      });
      if (inUse > 0) {
        throw new AppError('invalid_operation', `price unit ${unit.code} is used by ${inUse} active price(s); end them before deleting the unit`, {
          id: unit.id,
        });
      }
      unit.status = 'archived';
      unit.updatedAt = now;
      unit.updatedBy = auth.secretId;
    });
  }

  async findIn(em: EntityManager, auth: AuthContext, id: string): Promise<PriceUnit> {
    const unit = await em.findOne(PriceUnit, { ...scopeOf(auth), id });
    if (!unit) throw notFound('Price unit', 'id', id);
    return unit;
  }
}
