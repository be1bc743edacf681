import { UniqueConstraintViolationException, type EntityManager, type MikroORM } from '@mikro-orm/core';
import { scopeOf, type AuthContext } from '../../auth-context.ts';
import type { Clock } from '../../clock.ts';
import { AppError, invalidFields, notFound } from '../../errors/app-error.ts';
import { newId } from '../../ids.ts';
import { createdBetween } from '../../listing/created-between.ts';
import { filtersToWhere, sortToOrderBy, type FilterCondition, type SortCondition } from '../../listing/filter-conditions.ts';
import type { Page } from '../../listing/pagination.ts';
import { Coupon } from './coupon.entity.ts';
import { normalizeCouponCode, type CouponChanges, type NewCoupon } from './coupon.input.ts';
import { couponSearchFields } from './coupon.search.ts';
import { useCaseEm } from '../../db/use-case-em.ts';

/** A list or search of coupons, as the GET list and the search body both express it. */
export type CouponQuery = {
  page: Page;
  status?: string;
  order?: 'asc' | 'desc';
  sort?: SortCondition[];
  filters?: FilterCondition[];
  couponIds?: string[];
  couponCodes?: string[];
  startTime?: string;
  endTime?: string;
};

const codeTaken = (couponCode: string) =>
  new AppError('already_exists', 'A published coupon with this code already exists in this environment', { coupon_code: couponCode });

/** Coupon use cases; each one is a single transaction scoped to the caller's environment. */
export class CouponService {
  readonly #orm: MikroORM;
  readonly #clock: Clock;

  constructor(orm: MikroORM, clock: Clock) {
    this.#orm = orm;
    this.#clock = clock;
  }

  /** A unique-index race on the code (two creates at once) surfaces as 409, not 500. */
  async create(auth: AuthContext, input: NewCoupon): Promise<Coupon> {
    try {
      return await useCaseEm(this.#orm).transactional(async (em) => {
        if (input.couponCode !== null) await this.#assertCodeFree(em, auth, input.couponCode);
        const now = this.#clock.now();
        return em.create(Coupon, {
          id: newId('coupon'),
          ...scopeOf(auth),
          ...input,
          totalRedemptions: 0,
          status: 'published',
          createdAt: now,
          updatedAt: now,
          createdBy: auth.secretId,
          updatedBy: auth.secretId,
        });
      });
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) throw codeTaken(input.couponCode ?? '');
      throw err;
    }
  }

  /** Any status: a deleted (archived) coupon stays readable by id, as in FlexPrice. */
  async get(auth: AuthContext, id: string): Promise<Coupon> {
    return this.#find(useCaseEm(this.#orm), auth, id);
  }

  /** The published coupon with this code, compared trimmed and case-insensitively. */
  async getByCode(auth: AuthContext, code: string): Promise<Coupon> {
    const couponCode = normalizeCouponCode(code);
    if (couponCode === null) throw invalidFields({ code: 'must not be blank' });
    const coupon = await useCaseEm(this.#orm).findOne(Coupon, { ...scopeOf(auth), couponCode, status: 'published' });
    if (!coupon) throw new AppError('not_found', `Coupon with code '${code}' was not found`, { coupon_code: code });
    return coupon;
  }

  async list(auth: AuthContext, query: CouponQuery): Promise<{ items: Coupon[]; total: number }> {
    const where: Record<string, unknown>[] = [
      { ...scopeOf(auth), status: query.status ?? 'published' },
      ...filtersToWhere(query.filters, couponSearchFields, 'coupon'),
      ...createdBetween(query.startTime, query.endTime),
    ];
    if (query.couponIds?.length) where.push({ id: { $in: query.couponIds } });
    if (query.couponCodes?.length) {
      const codes = query.couponCodes.map(normalizeCouponCode).filter((c): c is string => c !== null);
      // Only blank codes given: nothing can match them (no coupon has an empty code).
      where.push(codes.length ? { couponCode: { $in: codes } } : { id: null });
    }
    const orderBy = sortToOrderBy(query.sort, query.order, couponSearchFields, 'coupon');
    const [items, total] = await useCaseEm(this.#orm).findAndCount(Coupon, { $and: where }, {
      orderBy,
      limit: query.page.limit,
      offset: query.page.offset,
    });
    return { items, total };
  }

  async update(auth: AuthContext, id: string, changes: CouponChanges): Promise<Coupon> {
    return useCaseEm(this.#orm).transactional(async (em) => {
      const coupon = await this.#find(em, auth, id);
      if (changes.name !== undefined) coupon.name = changes.name;
      if (changes.metadata !== undefined) coupon.metadata = changes.metadata;
      coupon.updatedAt = this.#clock.now();
      coupon.updatedBy = auth.secretId;
      return coupon;
    });
  }

  /** Archives the coupon, which frees its code. Deleting it again changes nothing. */
  async delete(auth: AuthContext, id: string): Promise<void> {
    await useCaseEm(this.#orm).transactional(async (em) => {
      const coupon = await this.#find(em, auth, id);
      if (coupon.status === 'archived') return;
      coupon.status = 'archived';
      coupon.updatedAt = this.#clock.now();
      coupon.updatedBy = auth.secretId;
    });
  }

  async #find(em: EntityManager, auth: AuthContext, id: string): Promise<Coupon> {
    const coupon = await em.findOne(Coupon, { ...scopeOf(auth), id });
    if (!coupon) throw notFound('Coupon', 'id', id);
    return coupon;
  }

  async #assertCodeFree(em: EntityManager, auth: AuthContext, couponCode: string): Promise<void> {
    if ((await em.count(Coupon, { ...scopeOf(auth), couponCode, status: 'published' })) > 0) throw codeTaken(couponCode);
  }
}
