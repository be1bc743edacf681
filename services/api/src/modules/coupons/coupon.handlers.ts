import type { Handlers } from '@tally/contract';
import { pageOf, type Page } from '../../listing/pagination.ts';
import { sortParam } from '../../listing/sort-param.ts';
import type { RequestContext } from '../../request-context.ts';
import { parseCreateCoupon, parseUpdateCoupon } from './coupon.input.ts';
import { toApiCoupon } from './coupon.mapper.ts';
import { couponSearchFields } from './coupon.search.ts';
import type { CouponQuery, CouponService } from './coupon.service.ts';

type CouponHandlers = Pick<
  Handlers<RequestContext>,
  'createCoupon' | 'getCoupon' | 'getCouponByCode' | 'updateCoupon' | 'deleteCoupon' | 'listCoupons' | 'queryCoupon'
>;

/**
 * FlexPrice's coupon lists, unlike its other lists, answer the request's own offset rather than
 * the next page's (its coupon service builds the response from the filter's offset).
 */
const couponPaginationOf = (total: number, page: Page) => ({ total, limit: page.limit, offset: page.offset });

/** Coupon operations: map the wire to the service's inputs and back; nothing else. */
export function couponHandlers(coupons: CouponService): CouponHandlers {
  const list = async (ctx: RequestContext, query: CouponQuery) => {
    const { items, total } = await coupons.list(ctx.auth, query);
    return { items: items.map(toApiCoupon), pagination: couponPaginationOf(total, query.page) };
  };
  return {
    createCoupon: async ({ body }, ctx) => toApiCoupon(await coupons.create(ctx.auth, parseCreateCoupon(body))),
    getCoupon: async ({ path }, ctx) => toApiCoupon(await coupons.get(ctx.auth, path.id)),
    getCouponByCode: async ({ path }, ctx) => toApiCoupon(await coupons.getByCode(ctx.auth, path.code)),
    updateCoupon: async ({ path, body }, ctx) => toApiCoupon(await coupons.update(ctx.auth, path.id, parseUpdateCoupon(body))),
    deleteCoupon: async ({ path }, ctx) => {
      await coupons.delete(ctx.auth, path.id);
      return { message: 'Coupon deleted successfully' };
    },
    listCoupons: async ({ query }, ctx) =>
      list(ctx, {
        page: pageOf(query ?? {}),
        status: query?.status,
        order: query?.order,
        sort: sortParam(query?.sort, query?.order, couponSearchFields, 'coupon'),
        couponIds: query?.coupon_ids,
        couponCodes: query?.coupon_codes,
        startTime: query?.start_time,
        endTime: query?.end_time,
      }),
    queryCoupon: async ({ body }, ctx) =>
      list(ctx, {
        page: pageOf(body),
        status: body.status,
        order: body.order,
        sort: body.sort,
        filters: body.filters,
        couponIds: body.coupon_ids,
        couponCodes: body.coupon_codes,
        startTime: body.start_time,
        endTime: body.end_time,
      }),
  };
}
