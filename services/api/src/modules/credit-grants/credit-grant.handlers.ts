import { listHandler } from '../../listing/list-handler.ts';
import type { HandlersOf } from '../../request-context.ts';
import { messageWhenDone } from '../../wire/message.ts';
import {
  fromCreateCreditGrantRequest,
  fromCreditGrantListRequest,
  fromDeleteCreditGrantRequest,
  fromUpdateCreditGrantRequest,
  toCreditGrantApplicationResponse,
  toCreditGrantResponse,
} from './credit-grant.convert.ts';
import type { CreditGrantService } from './credit-grant.service.ts';

type CreditGrantHandlers = HandlersOf<
  | 'createCreditGrant'
  | 'getCreditGrant'
  | 'updateCreditGrant'
  | 'deleteCreditGrant'
  | 'listCreditGrants'
  | 'getPlanCreditGrants'
  | 'getAddonCreditGrants'
  | 'getSubscriptionUpcomingGrants'
  | 'getCustomerUpcomingGrants'
>;

/** Not paged, as in FlexPrice: its "no limit" filter reports limit 0 and offset 0. */
const unpaged = <T, R>(items: T[], toResponse: (item: T) => R) => ({ items: items.map(toResponse), pagination: { total: items.length, limit: 0, offset: 0 } });
const grants = (items: Parameters<typeof toCreditGrantResponse>[0][]) => unpaged(items, toCreditGrantResponse);
const applications = (items: Parameters<typeof toCreditGrantApplicationResponse>[0][]) => unpaged(items, toCreditGrantApplicationResponse);

export function creditGrantHandlers(service: CreditGrantService): CreditGrantHandlers {
  const list = listHandler(service.list.bind(service), toCreditGrantResponse);
  return {
    createCreditGrant: async ({ body }, ctx) => toCreditGrantResponse(await service.create(ctx.auth, fromCreateCreditGrantRequest(body))),
    getCreditGrant: async ({ path }, ctx) => toCreditGrantResponse(await service.get(ctx.auth, path.id)),
    updateCreditGrant: async ({ path, body }, ctx) => toCreditGrantResponse(await service.update(ctx.auth, path.id, fromUpdateCreditGrantRequest(body))),
    deleteCreditGrant: ({ path, body }, ctx) =>
      messageWhenDone(service.delete(ctx.auth, path.id, fromDeleteCreditGrantRequest(body).effectiveDate), 'credit grant deleted successfully'),
    listCreditGrants: ({ query }, ctx) => list(ctx, fromCreditGrantListRequest(query)),
    getPlanCreditGrants: async ({ path }, ctx) => grants(await service.templatesOf(ctx.auth, 'PLAN', path.id)),
    getAddonCreditGrants: async ({ path }, ctx) => grants(await service.templatesOf(ctx.auth, 'ADDON', path.id)),
    getSubscriptionUpcomingGrants: async ({ path }, ctx) => applications(await service.upcomingOfSubscription(ctx.auth, path.id)),
    getCustomerUpcomingGrants: async ({ path }, ctx) => applications(await service.upcomingOfCustomer(ctx.auth, path.id)),
  };
}
