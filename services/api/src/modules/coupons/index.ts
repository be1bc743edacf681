/** Coupons, as other modules may use them. */
import { CouponRepo, type CouponReader } from './coupon.repo.ts';

export { CouponService } from './coupon.service.ts';
export type { Coupon, CouponCadence } from './coupon.entity.ts';
export type { CouponReader };
export { toCouponResponse, type CouponResponse } from './coupon.convert.ts';

/** Reads coupons by id inside the caller's unit of work. */
export const couponReader: CouponReader = new CouponRepo();
