import type { components, operations } from '@tally/contract';
import { throwIfProblems, type Problems } from '../../errors/problems.ts';
import { listQueryOf, type ListQuery } from '../../listing/list-query.ts';
import { recordFields } from '../../wire/record-fields.ts';
import type { Addon } from './addon.entity.ts';
import { addonSearchFields } from './addon.search.ts';

type CreateRequest = components['schemas']['CreateAddonRequest'];
type UpdateRequest = components['schemas']['UpdateAddonRequest'];
type SearchRequest = components['schemas']['AddonFilter'];
type ListParams = operations['listAddons']['parameters']['query'];
export type AddonResponse = components['schemas']['AddonResponse'];
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

export function fromCreateAddonRequest(body: CreateRequest): NewAddon {
  const problems: Problems = {};
  if (body.name.trim() === '') problems.name = 'must not be blank';
  if (body.lookup_key.trim() === '') problems.lookup_key = 'must not be blank';
  throwIfProblems(problems);
  return { name: body.name, lookupKey: body.lookup_key, description: body.description || null, metadata: body.metadata ?? {} };
}

export function fromUpdateAddonRequest(body: UpdateRequest): AddonChanges {
  throwIfProblems(body.name !== undefined && body.name.trim() === '' ? { name: 'must not be blank' } : {});
  return {
    name: body.name,
    description: body.description === undefined ? undefined : body.description || null,
    metadata: body.metadata,
  };
}

/** A list or search of addons, as the GET list and the search body both express it. */
export type AddonQuery = ListQuery & { addonIds?: string[]; lookupKeys?: string[] };

export function fromAddonListRequest(input: ListParams | SearchRequest): AddonQuery {
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
