import type { RequiredEntityData } from '@mikro-orm/core';
import { scopeOf, type AuthContext } from '../../auth-context.ts';
import { findPage, type PageOf } from '../../db/find-page.ts';
import type { Tx } from '../../db/transactions.ts';
import { listConditions } from '../../listing/list-where.ts';
import { normalizeCouponCode, type CouponQuery } from './coupon.convert.ts';
import { Coupon } from './coupon.entity.ts';
import { couponSearchFields } from './coupon.search.ts';

/** Every query of coupons, always within the caller's environment. */
export class CouponRepo {
  /** Any status: a deleted (archived) coupon stays readable by id. */
  find(tx: Tx, auth: AuthContext, id: string): Promise<Coupon | null> {
    return tx.findOne(Coupon, { ...scopeOf(auth), id });
  }

  findPublishedByCode(tx: Tx, auth: AuthContext, couponCode: string): Promise<Coupon | null> {
    return tx.findOne(Coupon, { ...scopeOf(auth), couponCode, status: 'published' });
  }

  async isCodeTaken(tx: Tx, auth: AuthContext, couponCode: string): Promise<boolean> {
    return (await tx.count(Coupon, { ...scopeOf(auth), couponCode, status: 'published' })) > 0;
  }

  page(tx: Tx, auth: AuthContext, query: CouponQuery): Promise<PageOf<Coupon>> {
    const where: Record<string, unknown>[] = [scopeOf(auth)];
    if (query.couponIds?.length) where.push({ id: { $in: query.couponIds } });
    if (query.couponCodes?.length) {
      const codes = query.couponCodes.map(normalizeCouponCode).filter((c): c is string => c !== null);
      // Only blank codes given: nothing can match them (no coupon has an empty code).
      where.push(codes.length ? { couponCode: { $in: codes } } : { id: null });
    }
    return findPage(tx, Coupon, listConditions(query, couponSearchFields, 'coupon'), query.page, where);
  }

  /** Stored when the transaction commits. */
  add(tx: Tx, coupon: RequiredEntityData<Coupon>): Coupon {
    return tx.create(Coupon, coupon);
  }
}
