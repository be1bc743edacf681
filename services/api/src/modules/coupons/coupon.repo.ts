import type { AuthContext } from '../../auth-context.ts';
import type { PageOf } from '../../db/find-page.ts';
import { RecordRepo } from '../../db/record-repo.ts';
import type { Tx } from '../../db/transactions.ts';
import { oneOf } from '../../listing/list-where.ts';
import { normalizeCouponCode, type CouponQuery } from './coupon.convert.ts';
import { Coupon } from './coupon.entity.ts';
import { couponSearchFields } from './coupon.search.ts';

/** How other modules read coupons by id (any status). */
export type CouponReader = Pick<CouponRepo, 'get' | 'getMany'>;

/** Every query of coupons. */
export class CouponRepo extends RecordRepo<Coupon> {
  constructor() {
    super(Coupon, couponSearchFields, 'coupon');
  }

  page(tx: Tx, auth: AuthContext, query: CouponQuery): Promise<PageOf<Coupon>> {
    const where = oneOf('id', query.couponIds);
    if (query.couponCodes?.length) {
      const codes = query.couponCodes.map(normalizeCouponCode).filter((c): c is string => c !== null);
      // Only blank codes given: nothing can match them (no coupon has an empty code).
      where.push(codes.length ? { couponCode: { $in: codes } } : { id: null });
    }
    return this.findPage(tx, auth, query, where);
  }
}
