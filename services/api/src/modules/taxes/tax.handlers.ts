import { listResponse } from '../../listing/pagination.ts';
import type { HandlersOf } from '../../request-context.ts';
import { fromCreateTaxAssociationRequest, fromTaxAssociationListRequest, fromUpdateTaxAssociationRequest, toTaxAssociationResponse } from './tax-association.convert.ts';
import type { TaxAssociationService } from './tax-association.service.ts';
import { fromCreateTaxRateRequest, fromTaxRateListRequest, fromUpdateTaxRateRequest, toTaxRateResponse } from './tax-rate.convert.ts';
import type { TaxRateService } from './tax-rate.service.ts';

type TaxHandlers = HandlersOf<
  | 'createTaxRate'
  | 'getTaxRates'
  | 'getTaxRate'
  | 'updateTaxRate'
  | 'deleteTaxRate'
  | 'createTaxAssociation'
  | 'listTaxAssociations'
  | 'getTaxAssociation'
  | 'updateTaxAssociation'
  | 'deleteTaxAssociation'
>;

export function taxHandlers(rates: TaxRateService, associations: TaxAssociationService): TaxHandlers {
  return {
    createTaxRate: async ({ body }, ctx) => toTaxRateResponse(await rates.create(ctx.auth, fromCreateTaxRateRequest(body))),
    getTaxRates: async ({ query }, ctx) => {
      const q = fromTaxRateListRequest(query);
      return listResponse(await rates.list(ctx.auth, q), q.page, toTaxRateResponse);
    },
    getTaxRate: async ({ path }, ctx) => toTaxRateResponse(await rates.get(ctx.auth, path.id)),
    updateTaxRate: async ({ path, body }, ctx) => toTaxRateResponse(await rates.update(ctx.auth, path.id, fromUpdateTaxRateRequest(body))),
    deleteTaxRate: ({ path }, ctx) => rates.delete(ctx.auth, path.id),
    createTaxAssociation: async ({ body }, ctx) => toTaxAssociationResponse(await associations.create(ctx.auth, fromCreateTaxAssociationRequest(body))),
    listTaxAssociations: async ({ query }, ctx) => {
      const q = fromTaxAssociationListRequest(query);
      return listResponse(await associations.list(ctx.auth, q), q.page, (v) => toTaxAssociationResponse(v.association, v.rate));
    },
    getTaxAssociation: async ({ path }, ctx) => {
      const { association, rate } = await associations.get(ctx.auth, path.id);
      return toTaxAssociationResponse(association, rate);
    },
    updateTaxAssociation: async ({ path, body }, ctx) => toTaxAssociationResponse(await associations.update(ctx.auth, path.id, fromUpdateTaxAssociationRequest(body))),
    deleteTaxAssociation: async ({ path }, ctx) => toTaxAssociationResponse(await associations.delete(ctx.auth, path.id)),
  };
}
