import type { Handlers } from '@tally/contract';
import { parseExpand } from '../../listing/expand.ts';
import { pageOf, paginationOf } from '../../listing/pagination.ts';
import { sortParam } from '../../listing/sort-param.ts';
import type { RequestContext } from '../../request-context.ts';
import type { ContentsRequest } from '../plans/catalog-contents.ts';
import { parseCreateAddon, parseUpdateAddon } from './addon.convert.ts';
import { toAddonResponse } from './addon.mapper.ts';
import { addonSearchFields } from './addon.search.ts';
import type { AddonQuery, AddonService, AddonView } from './addon.service.ts';

type AddonHandlers = Pick<
  Handlers<RequestContext>,
  'createAddon' | 'getAddon' | 'getAddonByLookupKey' | 'listAddons' | 'queryAddon' | 'updateAddon' | 'deleteAddon'
>;

/** FlexPrice's addon expand tokens, less `credit_grant` (Tally has no credit grants yet). */
export const addonExpandable = ['prices', 'entitlements', 'meters', 'prices.meters', 'entitlements.features'];

/** What a list or search embeds; as in FlexPrice, a root `meters` acts on the prices. Listed prices are those not yet ended. */
export function addonContentsOf(expand: string | undefined): ContentsRequest {
  const tokens = parseExpand(expand, addonExpandable);
  return {
    ...(tokens.has('prices') ? { prices: { endedToo: false, meters: tokens.has('meters') || tokens.has('prices.meters'), priceUnits: false } } : {}),
    ...(tokens.has('entitlements') ? { entitlements: { features: tokens.has('entitlements.features') } } : {}),
  };
}

const toApi = (v: AddonView) => toAddonResponse(v.addon, v.contents);

/** Addon operations: map the wire to the service's inputs and back; nothing else. */
export function addonHandlers(addons: AddonService): AddonHandlers {
  const list = async (ctx: RequestContext, query: AddonQuery) => {
    const { items, total } = await addons.list(ctx.auth, query);
    return { items: items.map(toApi), pagination: paginationOf(total, query.page) };
  };
  return {
    createAddon: async ({ body }, ctx) => toApi(await addons.create(ctx.auth, parseCreateAddon(body))),
    getAddon: async ({ path }, ctx) => toApi(await addons.get(ctx.auth, path.id)),
    getAddonByLookupKey: async ({ path }, ctx) => toApi(await addons.getByLookupKey(ctx.auth, path.lookup_key)),
    updateAddon: async ({ path, body }, ctx) => toApi(await addons.update(ctx.auth, path.id, parseUpdateAddon(body))),
    deleteAddon: async ({ path }, ctx) => {
      await addons.delete(ctx.auth, path.id);
      return { message: 'addon deleted successfully' };
    },
    listAddons: async ({ query }, ctx) =>
      list(ctx, {
        page: pageOf(query ?? {}),
        status: query?.status,
        order: query?.order,
        sort: sortParam(query?.sort, query?.order, addonSearchFields, 'addon'),
        addonIds: query?.addon_ids,
        lookupKeys: query?.lookup_keys,
        startTime: query?.start_time,
        endTime: query?.end_time,
        contents: addonContentsOf(query?.expand),
      }),
    queryAddon: async ({ body }, ctx) =>
      list(ctx, {
        page: pageOf(body),
        status: body.status,
        order: body.order,
        sort: body.sort,
        filters: body.filters,
        addonIds: body.addon_ids,
        lookupKeys: body.lookup_keys,
        startTime: body.start_time,
        endTime: body.end_time,
        contents: addonContentsOf(body.expand),
      }),
  };
}
