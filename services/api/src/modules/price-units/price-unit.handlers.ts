import type { Handlers } from '@tally/contract';
import { listResponse } from '../../listing/pagination.ts';
import type { RequestContext } from '../../request-context.ts';
import {
  fromCreatePriceUnitRequest,
  fromPriceUnitListRequest,
  fromUpdatePriceUnitRequest,
  toPriceUnitResponse,
  type PriceUnitQuery,
} from './price-unit.convert.ts';
import type { PriceUnitService } from './price-unit.service.ts';

type PriceUnitHandlers = Pick<
  Handlers<RequestContext>,
  'createPriceUnit' | 'listPriceUnits' | 'getPriceUnitByCode' | 'queryPriceUnit' | 'getPriceUnit' | 'updatePriceUnit' | 'deletePriceUnit'
>;

export function priceUnitHandlers(units: PriceUnitService): PriceUnitHandlers {
  const list = async (ctx: RequestContext, query: PriceUnitQuery) => listResponse(await units.list(ctx.auth, query), query.page, toPriceUnitResponse);
  return {
    createPriceUnit: async ({ body }, ctx) => toPriceUnitResponse(await units.create(ctx.auth, fromCreatePriceUnitRequest(body))),
    getPriceUnit: async ({ path }, ctx) => toPriceUnitResponse(await units.get(ctx.auth, path.id)),
    getPriceUnitByCode: async ({ path }, ctx) => toPriceUnitResponse(await units.getByCode(ctx.auth, path.code)),
    updatePriceUnit: async ({ path, body }, ctx) => toPriceUnitResponse(await units.update(ctx.auth, path.id, fromUpdatePriceUnitRequest(body))),
    deletePriceUnit: async ({ path }, ctx) => {
      await units.delete(ctx.auth, path.id);
      return { message: 'Price unit deleted successfully' };
    },
    listPriceUnits: ({ query }, ctx) => list(ctx, fromPriceUnitListRequest(query)),
    queryPriceUnit: ({ body }, ctx) => list(ctx, fromPriceUnitListRequest(body)),
  };
}
