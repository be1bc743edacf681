import type { HandlersOf } from '../../request-context.ts';
import { fromAddAddonRequest, fromRemoveAddonRequest, toAddAddonResponse, toAddonAssociationResponse } from './subscription-addon.convert.ts';
import type { SubscriptionAddons } from './subscription-addons.ts';

type AddonHandlers = HandlersOf<'addSubscriptionAddon' | 'removeSubscriptionAddon' | 'getSubscriptionAddonAssociations'>;

/** Addons attached to subscriptions, removed, listed. */
export function subscriptionAddonHandlers(addons: SubscriptionAddons): AddonHandlers {
  return {
    addSubscriptionAddon: async ({ body }, ctx) => {
      const { subscriptionId, attachment } = fromAddAddonRequest(body);
      return toAddAddonResponse(await addons.attach(ctx.auth, subscriptionId, attachment));
    },
    removeSubscriptionAddon: async ({ body }, ctx) => {
      await addons.remove(ctx.auth, fromRemoveAddonRequest(body));
      return { message: 'addon removed from subscription successfully' };
    },
    // Not paged, as FlexPrice's server answers it: limit and offset 0.
    getSubscriptionAddonAssociations: async ({ path }, ctx) => {
      const items = (await addons.associations(ctx.auth, path.id)).map(toAddonAssociationResponse);
      return { items, pagination: { total: items.length, limit: 0, offset: 0 } };
    },
  };
}
