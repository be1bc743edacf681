import type { Page } from '../../listing/pagination.ts';
import type { HandlersOf, RequestContext } from '../../request-context.ts';
import { fromCouponListRequest, fromCreateCouponRequest, fromUpdateCouponRequest, toCouponResponse, type CouponQuery } from './coupon.convert.ts';
import type { CouponService } from './coupon.service.ts';

type CouponHandlers = HandlersOf<'createCoupon' | 'getCoupon' | 'getCouponByCode' | 'updateCoupon' | 'deleteCoupon' | 'listCoupons' | 'queryCoupon'>;

/**
 * FlexPrice's coupon lists, unlike its other lists, answer the request's own offset rather than
 * the next page's (its coupon service builds the response from the filter's offset).
 */
const couponPaginationOf = (total: number, page: Page) => ({ total, limit: page.limit, offset: page.offset });

export function couponHandlers(coupons: CouponService): CouponHandlers {
  const list = async (ctx: RequestContext, query: CouponQuery) => {
    const { items, total } = await coupons.list(ctx.auth, query);
    return { items: items.map(toCouponResponse), pagination: couponPaginationOf(total, query.page) };
  };
  return {
    createCoupon: async ({ body }, ctx) => toCouponResponse(await coupons.create(ctx.auth, fromCreateCouponRequest(body))),
    getCoupon: async ({ path }, ctx) => toCouponResponse(await coupons.get(ctx.auth, path.id)),
    getCouponByCode: async ({ path }, ctx) => toCouponResponse(await coupons.getByCode(ctx.auth, path.code)),
    updateCoupon: async ({ path, body }, ctx) => toCouponResponse(await coupons.update(ctx.auth, path.id, fromUpdateCouponRequest(body))),
    deleteCoupon: async ({ path }, ctx) => {
      await coupons.delete(ctx.auth, path.id);
      return { message: 'Coupon deleted successfully' };
    },
    listCoupons: ({ query }, ctx) => list(ctx, fromCouponListRequest(query)),
    queryCoupon: ({ body }, ctx) => list(ctx, fromCouponListRequest(body)),
  };
}
