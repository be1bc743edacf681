/** Coupons, as other modules may use them. */
export { CouponService } from './coupon.service.ts';
export type { Coupon } from './coupon.entity.ts';
