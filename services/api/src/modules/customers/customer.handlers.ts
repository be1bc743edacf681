import { listResponse } from '../../listing/pagination.ts';
import type { HandlersOf, RequestContext } from '../../request-context.ts';
import { fromCreateCustomerRequest, fromCustomerListRequest, fromUpdateCustomerRequest, toCustomerResponse, type CustomerQuery } from './customer.convert.ts';
import type { CustomerService } from './customer.service.ts';

type CustomerHandlers = HandlersOf<
  'createCustomer' | 'getCustomer' | 'getCustomerByExternalId' | 'getCustomerByLookupKey' | 'updateCustomer' | 'updateCustomerById' | 'deleteCustomer' | 'listCustomers' | 'queryCustomer'
>;

export function customerHandlers(customers: CustomerService): CustomerHandlers {
  const list = async (ctx: RequestContext, query: CustomerQuery) => listResponse(await customers.list(ctx.auth, query), query.page, toCustomerResponse);
  return {
    createCustomer: async ({ body }, ctx) => toCustomerResponse(await customers.create(ctx.auth, fromCreateCustomerRequest(body))),
    getCustomer: async ({ path }, ctx) => toCustomerResponse(await customers.get(ctx.auth, path.id)),
    getCustomerByExternalId: async ({ path }, ctx) => toCustomerResponse(await customers.getByExternalId(ctx.auth, path.external_id)),
    getCustomerByLookupKey: async ({ path }, ctx) => toCustomerResponse(await customers.getByExternalId(ctx.auth, path.external_id)),
    updateCustomer: async ({ query, body }, ctx) =>
      toCustomerResponse(await customers.update(ctx.auth, { id: query?.id, externalId: query?.external_customer_id }, fromUpdateCustomerRequest(body))),
    updateCustomerById: async ({ path, body }, ctx) => toCustomerResponse(await customers.update(ctx.auth, { id: path.id }, fromUpdateCustomerRequest(body))),
    deleteCustomer: async ({ path }, ctx) => customers.delete(ctx.auth, path.id),
    listCustomers: ({ query }, ctx) => list(ctx, fromCustomerListRequest(query)),
    queryCustomer: ({ body }, ctx) => list(ctx, fromCustomerListRequest(body)),
  };
}
