import { listHandler } from '../../listing/list-handler.ts';
import type { HandlersOf } from '../../request-context.ts';
import { messageWhenDone } from '../../wire/message.ts';
import {
  fromCreatePriceRequest,
  fromCreatePricesBulkRequest,
  fromDeletePriceRequest,
  fromPriceListRequest,
  fromPriceSearchRequest,
  fromUpdatePriceRequest,
  toPriceResponse,
} from './price.convert.ts';
import { fromPriceCostRequest, toPriceCostResponse } from './price-cost.convert.ts';
import type { PriceService } from './price.service.ts';

type PriceHandlers = HandlersOf<
  'createPrice' | 'listPrices' | 'createPricesBulk' | 'getPriceByLookupKey' | 'queryPrice' | 'getPrice' | 'updatePrice' | 'deletePrice' | 'getPriceCost'
>;

export function priceHandlers(prices: PriceService): PriceHandlers {
  const list = listHandler(prices.list.bind(prices), toPriceResponse);
  return {
    createPrice: async ({ body }, ctx) => toPriceResponse(await prices.create(ctx.auth, fromCreatePriceRequest(body))),
    createPricesBulk: async ({ body }, ctx) => ({ items: (await prices.createBulk(ctx.auth, fromCreatePricesBulkRequest(body))).map(toPriceResponse) }),
    getPrice: async ({ path }, ctx) => toPriceResponse(await prices.get(ctx.auth, path.id)),
    getPriceByLookupKey: async ({ path }, ctx) => toPriceResponse(await prices.getByLookupKey(ctx.auth, path.lookup_key)),
    updatePrice: async ({ path, body }, ctx) => toPriceResponse(await prices.update(ctx.auth, path.id, fromUpdatePriceRequest(body))),
    deletePrice: ({ path, body }, ctx) => messageWhenDone(prices.delete(ctx.auth, path.id, fromDeletePriceRequest(body)), 'price deleted successfully'),
    getPriceCost: async ({ path, body }, ctx) => toPriceCostResponse(await prices.cost(ctx.auth, path.id, fromPriceCostRequest(body))),
    listPrices: ({ query }, ctx) => list(ctx, fromPriceListRequest(query)),
    queryPrice: ({ body }, ctx) => list(ctx, fromPriceSearchRequest(body)),
  };
}
