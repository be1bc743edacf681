import { listHandler } from '../../listing/list-handler.ts';
import type { HandlersOf, RequestContext } from '../../request-context.ts';
import { messageWhenDone } from '../../wire/message.ts';
import {
  fromCreateEntitlementRequest,
  fromCreateEntitlementsBulkRequest,
  fromEntitlementListRequest,
  fromUpdateEntitlementRequest,
  toEntitlementResponse,
} from './entitlement.convert.ts';
import type { EntitlementService } from './entitlement.service.ts';

type EntitlementHandlers = HandlersOf<
  | 'createEntitlement'
  | 'createEntitlementsBulk'
  | 'getEntitlement'
  | 'listEntitlements'
  | 'queryEntitlement'
  | 'updateEntitlement'
  | 'deleteEntitlement'
  | 'getPlanEntitlements'
  | 'getAddonEntitlements'
>;

export function entitlementHandlers(entitlements: EntitlementService): EntitlementHandlers {
  const list = listHandler(entitlements.list.bind(entitlements), toEntitlementResponse);
  const owned = async (ctx: RequestContext, type: 'PLAN' | 'ADDON', id: string) => {
    const items = await entitlements.listOf(ctx.auth, type, id);
    // Not paged, as in FlexPrice: its "no limit" filter reports limit 0 and offset 0 + 0.
    return { items: items.map(toEntitlementResponse), pagination: { total: items.length, limit: 0, offset: 0 } };
  };
  return {
    createEntitlement: async ({ body }, ctx) => toEntitlementResponse(await entitlements.create(ctx.auth, fromCreateEntitlementRequest(body))),
    createEntitlementsBulk: async ({ body }, ctx) => ({
      items: (await entitlements.createBulk(ctx.auth, fromCreateEntitlementsBulkRequest(body))).map(toEntitlementResponse),
    }),
    getEntitlement: async ({ path }, ctx) => toEntitlementResponse(await entitlements.get(ctx.auth, path.id)),
    updateEntitlement: async ({ path, body }, ctx) =>
      toEntitlementResponse(await entitlements.update(ctx.auth, path.id, fromUpdateEntitlementRequest(body))),
    deleteEntitlement: ({ path }, ctx) => messageWhenDone(entitlements.delete(ctx.auth, path.id), 'entitlement deleted successfully'),
    listEntitlements: ({ query }, ctx) => list(ctx, fromEntitlementListRequest(query)),
    queryEntitlement: ({ body }, ctx) => list(ctx, fromEntitlementListRequest(body)),
    getPlanEntitlements: async ({ path }, ctx) => owned(ctx, 'PLAN', path.id),
    getAddonEntitlements: async ({ path }, ctx) => owned(ctx, 'ADDON', path.id),
  };
}
