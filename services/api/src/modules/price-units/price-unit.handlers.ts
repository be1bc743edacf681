import { listHandler } from '../../listing/list-handler.ts';
import type { HandlersOf } from '../../request-context.ts';
import { messageWhenDone } from '../../wire/message.ts';
import {
  fromCreatePriceUnitRequest,
  fromPriceUnitListRequest,
  fromUpdatePriceUnitRequest,
  toPriceUnitResponse,
} from './price-unit.convert.ts';
import type { PriceUnitService } from './price-unit.service.ts';

type PriceUnitHandlers = HandlersOf<
  'createPriceUnit' | 'listPriceUnits' | 'getPriceUnitByCode' | 'queryPriceUnit' | 'getPriceUnit' | 'updatePriceUnit' | 'deletePriceUnit'
>;

export function priceUnitHandlers(units: PriceUnitService): PriceUnitHandlers {
  const list = listHandler(units.list.bind(units), toPriceUnitResponse);
  return {
    createPriceUnit: async ({ body }, ctx) => toPriceUnitResponse(await units.create(ctx.auth, fromCreatePriceUnitRequest(body))),
    getPriceUnit: async ({ path }, ctx) => toPriceUnitResponse(await units.get(ctx.auth, path.id)),
    getPriceUnitByCode: async ({ path }, ctx) => toPriceUnitResponse(await units.getByCode(ctx.auth, path.code)),
    updatePriceUnit: async ({ path, body }, ctx) => toPriceUnitResponse(await units.update(ctx.auth, path.id, fromUpdatePriceUnitRequest(body))),
    deletePriceUnit: ({ path }, ctx) => messageWhenDone(units.delete(ctx.auth, path.id), 'Price unit deleted successfully'),
    listPriceUnits: ({ query }, ctx) => list(ctx, fromPriceUnitListRequest(query)),
    queryPriceUnit: ({ body }, ctx) => list(ctx, fromPriceUnitListRequest(body)),
  };
}
