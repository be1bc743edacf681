import { listResponse } from '../../listing/pagination.ts';
import type { HandlersOf } from '../../request-context.ts';
import { fromCreateLineItemRequest, fromDeleteLineItemRequest, fromLineItemFilter, fromUpdateLineItemRequest } from './subscription-line-item.convert.ts';
import type { SubscriptionLineItemService } from './subscription-line-item.service.ts';
import { fromModifyRequest, toModifyResponse } from './subscription-modify.convert.ts';
import type { SubscriptionModifications } from './subscription-modify.service.ts';
import { toLineItemResponse } from './subscription-response.ts';
import { fromAddonParams, type AddonModifications } from './subscription-modify-addon.ts';

type LineItemHandlers = HandlersOf<
  'createSubscriptionLineItem' | 'updateSubscriptionLineItem' | 'deleteSubscriptionLineItem' | 'querySubscriptionLineItems' | 'previewSubscriptionModify' | 'executeSubscriptionModify'
>;

/** A subscription's line items after its creation, and its typed modifications (`addon` by the addons' use cases). */
export function lineItemHandlers(lineItems: SubscriptionLineItemService, modifications: SubscriptionModifications, addonModifications: AddonModifications): LineItemHandlers {
  return {
    createSubscriptionLineItem: async ({ path, body }, ctx) => toLineItemResponse(await lineItems.add(ctx.auth, path.id, (currency) => fromCreateLineItemRequest(body, currency))),
    updateSubscriptionLineItem: async ({ path, body }, ctx) => toLineItemResponse(await lineItems.update(ctx.auth, path.id, fromUpdateLineItemRequest(body))),
    deleteSubscriptionLineItem: async ({ path, body }, ctx) => toLineItemResponse(await lineItems.remove(ctx.auth, path.id, fromDeleteLineItemRequest(body))),
    querySubscriptionLineItems: async ({ body }, ctx) => {
      const query = fromLineItemFilter(body);
      return listResponse(await lineItems.search(ctx.auth, query), query.page, toLineItemResponse);
    },
    previewSubscriptionModify: async ({ path, body }, ctx) =>
      toModifyResponse(body.type === 'addon' ? await addonModifications.preview(ctx.auth, path.id, fromAddonParams(body)) : await modifications.preview(ctx.auth, path.id, fromModifyRequest(body))),
    executeSubscriptionModify: async ({ path, body }, ctx) =>
      toModifyResponse(body.type === 'addon' ? await addonModifications.execute(ctx.auth, path.id, fromAddonParams(body)) : await modifications.execute(ctx.auth, path.id, fromModifyRequest(body))),
  };
}
