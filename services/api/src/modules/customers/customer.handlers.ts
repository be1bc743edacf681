import type { Handlers } from '@tally/contract';
import { invalidFields } from '../../errors/app-error.ts';
import { pageOf, paginationOf } from '../../listing/pagination.ts';
import type { RequestContext } from '../../request-context.ts';
import { parseCreateCustomer, parseUpdateCustomer } from './customer.input.ts';
import { toApiCustomer } from './customer.mapper.ts';
import { customerSearchFields } from './customer.search.ts';
import type { CustomerQuery, CustomerService } from './customer.service.ts';

type CustomerHandlers = Pick<
  Handlers<RequestContext>,
  'createCustomer' | 'getCustomer' | 'getCustomerByExternalId' | 'updateCustomer' | 'updateCustomerById' | 'deleteCustomer' | 'listCustomers' | 'queryCustomer'
>;

/** The GET list's single `sort` parameter, refused by its own name (not as `sort[0].field`). */
function sortField(field: string): string {
  if (!Object.hasOwn(customerSearchFields, field)) {
    throw invalidFields({ sort: `unknown field name '${field}' in customer sort; allowed: ${Object.keys(customerSearchFields).join(', ')}` });
  }
  return field;
}

/** Customer operations: map the wire to the service's inputs and back; nothing else. */
export function customerHandlers(customers: CustomerService): CustomerHandlers {
  const list = async (ctx: RequestContext, query: CustomerQuery) => {
    const { items, total } = await customers.list(ctx.auth, query);
    return { items: items.map(toApiCustomer), pagination: paginationOf(total, query.page) };
  };
  return {
    createCustomer: async ({ body }, ctx) => toApiCustomer(await customers.create(ctx.auth, parseCreateCustomer(body))),
    getCustomer: async ({ path }, ctx) => toApiCustomer(await customers.get(ctx.auth, path.id)),
    getCustomerByExternalId: async ({ path }, ctx) => toApiCustomer(await customers.getByExternalId(ctx.auth, path.external_id)),
    updateCustomer: async ({ query, body }, ctx) =>
      toApiCustomer(await customers.update(ctx.auth, { id: query?.id, externalId: query?.external_customer_id }, parseUpdateCustomer(body))),
    updateCustomerById: async ({ path, body }, ctx) =>
      toApiCustomer(await customers.update(ctx.auth, { id: path.id }, parseUpdateCustomer(body))),
    deleteCustomer: async ({ path }, ctx) => customers.delete(ctx.auth, path.id),
    listCustomers: async ({ query }, ctx) =>
      list(ctx, {
        page: pageOf(query ?? {}),
        status: query?.status,
        order: query?.order,
        sort: query?.sort ? [{ field: sortField(query.sort), direction: query.order ?? 'desc' }] : undefined,
        customerIds: query?.customer_ids,
        externalIds: query?.external_ids,
        externalId: query?.external_id,
        email: query?.email,
      }),
    queryCustomer: async ({ body }, ctx) =>
      list(ctx, {
        page: pageOf(body),
        status: body.status,
        order: body.order,
        sort: body.sort,
        filters: body.filters,
        customerIds: body.customer_ids,
        externalIds: body.external_ids,
        externalId: body.external_id,
        email: body.email,
        metadata: body.metadata,
      }),
  };
}
