import type { Handlers } from '@tally/contract';
import { listResponse } from '../../listing/pagination.ts';
import type { RequestContext } from '../../request-context.ts';
import { fromAddonExpand, toAddonWithContents, type CatalogService } from '../catalog/index.ts';
import { fromAddonListRequest, fromCreateAddonRequest, fromUpdateAddonRequest, toAddonResponse } from './addon.convert.ts';
import type { AddonService } from './addon.service.ts';

type AddonHandlers = Pick<
  Handlers<RequestContext>,
  'createAddon' | 'getAddon' | 'getAddonByLookupKey' | 'listAddons' | 'queryAddon' | 'updateAddon' | 'deleteAddon'
>;

/** Addons are written here and read with their prices and entitlements from the catalogue. */
export function addonHandlers(addons: AddonService, catalog: CatalogService): AddonHandlers {
  const list = async (ctx: RequestContext, input: Parameters<typeof fromAddonListRequest>[0]) => {
    const query = fromAddonListRequest(input);
    return listResponse(await catalog.addons(ctx.auth, query, fromAddonExpand(input?.expand)), query.page, toAddonWithContents);
  };
  return {
    createAddon: async ({ body }, ctx) => toAddonResponse(await addons.create(ctx.auth, fromCreateAddonRequest(body))),
    getAddon: async ({ path }, ctx) => toAddonWithContents(await catalog.addon(ctx.auth, path.id)),
    getAddonByLookupKey: async ({ path }, ctx) => toAddonWithContents(await catalog.addonByLookupKey(ctx.auth, path.lookup_key)),
    updateAddon: async ({ path, body }, ctx) => toAddonResponse(await addons.update(ctx.auth, path.id, fromUpdateAddonRequest(body))),
    deleteAddon: async ({ path }, ctx) => {
      await addons.delete(ctx.auth, path.id);
      return { message: 'addon deleted successfully' };
    },
    listAddons: ({ query }, ctx) => list(ctx, query),
    queryAddon: ({ body }, ctx) => list(ctx, body),
  };
}
