import type { Handlers } from '@tally/contract';
import { listResponse } from '../../listing/pagination.ts';
import type { RequestContext } from '../../request-context.ts';
import {
  fromCreatePriceRequest,
  fromCreatePricesBulkRequest,
  fromDeletePriceRequest,
  fromPriceCostRequest,
  fromPriceListRequest,
  fromPriceSearchRequest,
  fromUpdatePriceRequest,
  toPriceCostResponse,
  toPriceResponse,
  type PriceQuery,
} from './price.convert.ts';
import type { PriceService } from './price.service.ts';

type PriceHandlers = Pick<
  Handlers<RequestContext>,
  | 'createPrice'
  | 'listPrices'
  | 'createPricesBulk'
  | 'getPriceByLookupKey'
  | 'queryPrice'
  | 'getPrice'
  | 'updatePrice'
  | 'deletePrice'
  | 'getPriceCost'
>;

export function priceHandlers(prices: PriceService): PriceHandlers {
  const list = async (ctx: RequestContext, query: PriceQuery) => listResponse(await prices.list(ctx.auth, query), query.page, toPriceResponse);
  return {
    createPrice: async ({ body }, ctx) => toPriceResponse(await prices.create(ctx.auth, fromCreatePriceRequest(body))),
    createPricesBulk: async ({ body }, ctx) => ({ items: (await prices.createBulk(ctx.auth, fromCreatePricesBulkRequest(body))).map(toPriceResponse) }),
    getPrice: async ({ path }, ctx) => toPriceResponse(await prices.get(ctx.auth, path.id)),
    getPriceByLookupKey: async ({ path }, ctx) => toPriceResponse(await prices.getByLookupKey(ctx.auth, path.lookup_key)),
    updatePrice: async ({ path, body }, ctx) => toPriceResponse(await prices.update(ctx.auth, path.id, fromUpdatePriceRequest(body))),
    deletePrice: async ({ path, body }, ctx) => {
      await prices.delete(ctx.auth, path.id, fromDeletePriceRequest(body));
      return { message: 'price deleted successfully' };
    },
    getPriceCost: async ({ path, body }, ctx) => toPriceCostResponse(await prices.cost(ctx.auth, path.id, fromPriceCostRequest(body))),
    listPrices: ({ query }, ctx) => list(ctx, fromPriceListRequest(query)),
    queryPrice: ({ body }, ctx) => list(ctx, fromPriceSearchRequest(body)),
  };
}
