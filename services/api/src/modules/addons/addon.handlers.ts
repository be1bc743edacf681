import { listHandler } from '../../listing/list-handler.ts';
import type { HandlersOf } from '../../request-context.ts';
import { messageWhenDone } from '../../wire/message.ts';
import { fromAddonCatalogRequest, toAddonWithContents, type CatalogService } from '../catalog/index.ts';
import { fromCreateAddonRequest, fromUpdateAddonRequest, toAddonResponse } from './addon.convert.ts';
import type { AddonService } from './addon.service.ts';

type AddonHandlers = HandlersOf<'createAddon' | 'getAddon' | 'getAddonByLookupKey' | 'listAddons' | 'queryAddon' | 'updateAddon' | 'deleteAddon'>;

/** Addons are written here and read with their prices and entitlements from the catalogue. */
export function addonHandlers(addons: AddonService, catalog: CatalogService): AddonHandlers {
  const list = listHandler(catalog.addons.bind(catalog), toAddonWithContents);
  return {
    createAddon: async ({ body }, ctx) => toAddonResponse(await addons.create(ctx.auth, fromCreateAddonRequest(body))),
    getAddon: async ({ path }, ctx) => toAddonWithContents(await catalog.addon(ctx.auth, path.id)),
    getAddonByLookupKey: async ({ path }, ctx) => toAddonWithContents(await catalog.addonByLookupKey(ctx.auth, path.lookup_key)),
    updateAddon: async ({ path, body }, ctx) => toAddonResponse(await addons.update(ctx.auth, path.id, fromUpdateAddonRequest(body))),
    deleteAddon: ({ path }, ctx) => messageWhenDone(addons.delete(ctx.auth, path.id), 'addon deleted successfully'),
    listAddons: ({ query }, ctx) => list(ctx, fromAddonCatalogRequest(query)),
    queryAddon: ({ body }, ctx) => list(ctx, fromAddonCatalogRequest(body)),
  };
}
