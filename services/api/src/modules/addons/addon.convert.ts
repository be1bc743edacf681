import type { QueryParams, Schemas } from '../../wire/contract-types.ts';
import { throwIfProblems } from '../../errors/problems.ts';
import { listQueryOf, type ListQuery } from '../../listing/list-query.ts';
import { recordFields } from '../../wire/record-fields.ts';
import { blankProblems, emptyToNull } from '../../wire/request-fields.ts';
import type { Addon } from './addon.entity.ts';
import { addonSearchFields } from './addon.search.ts';

export type AddonResponse = Schemas['AddonResponse'];
/** What an addon's response embeds of what it sells and grants, when they were loaded. */
export type AddonContentsResponse = Pick<AddonResponse, 'prices' | 'entitlements'>;

/** An addon to create, validated. Metadata values may be any JSON (FlexPrice types them so). */
export type NewAddon = {
  name: string;
  lookupKey: string;
  description: string | null;
  metadata: Record<string, unknown>;
};

/** Changes to an addon: `undefined` leaves a field as it is, `null` clears it. */
export type AddonChanges = {
  name?: string;
  description?: string | null;
  metadata?: Record<string, unknown>;
};

export function fromCreateAddonRequest(body: Schemas['CreateAddonRequest']): NewAddon {
  throwIfProblems(blankProblems({ name: body.name, lookup_key: body.lookup_key }));
  return { name: body.name, lookupKey: body.lookup_key, description: body.description || null, metadata: body.metadata ?? {} };
}

export function fromUpdateAddonRequest(body: Schemas['UpdateAddonRequest']): AddonChanges {
  throwIfProblems(blankProblems({ name: body.name }));
  return {
    name: body.name,
    description: emptyToNull(body.description),
    metadata: body.metadata,
  };
}

/** A list or search of addons, as the GET list and the search body both express it. */
export type AddonQuery = ListQuery & { addonIds?: string[]; lookupKeys?: string[] };

export function fromAddonListRequest(input: QueryParams<'listAddons'> | Schemas['AddonFilter']): AddonQuery {
  return { ...listQueryOf(input, addonSearchFields, 'addon'), addonIds: input?.addon_ids, lookupKeys: input?.lookup_keys };
}

/** Entity → wire. Unset text fields are empty strings; `prices` / `entitlements` only when they were loaded. */
export function toAddonResponse(addon: Addon, contents: AddonContentsResponse = {}): AddonResponse {
  return {
    id: addon.id,
    name: addon.name,
    lookup_key: addon.lookupKey,
    description: addon.description ?? '',
    metadata: addon.metadata ?? {},
    ...(contents.prices ? { prices: contents.prices } : {}),
    ...(contents.entitlements ? { entitlements: contents.entitlements } : {}),
    ...recordFields(addon),
  };
}
