import type { Handlers } from '@tally/contract';
import { invalidFields } from '../../errors/app-error.ts';
import { pageOf, paginationOf } from '../../listing/pagination.ts';
import { sortParam } from '../../listing/sort-param.ts';
import type { RequestContext } from '../../request-context.ts';
import { readCreateEntitlement, readUpdateEntitlement, type NewEntitlement, type Problems } from './entitlement.convert.ts';
import { toEntitlementResponse } from './entitlement.mapper.ts';
import { entitlementSearchFields } from './entitlement.search.ts';
import type { EntitlementQuery, EntitlementService, EntitlementView } from './entitlement.service.ts';

type EntitlementHandlers = Pick<
  Handlers<RequestContext>,
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

const expandable = ['features'];

/** FlexPrice's `expand` (a comma list); entitlement lists can expand `features` only. */
function expandsFeatures(expand: string | undefined): boolean {
  const tokens = (expand ?? '').split(',').map((t) => t.trim()).filter(Boolean);
  const unknown = tokens.filter((t) => !expandable.includes(t));
  if (unknown.length) throw invalidFields({ expand: `cannot expand ${unknown.map((t) => `'${t}'`).join(', ')}; allowed: ${expandable.join(', ')}` });
  return tokens.includes('features');
}

const toApi = (v: EntitlementView) => toEntitlementResponse(v.entitlement, { feature: v.feature, featureMeter: v.meter, plan: v.plan, addon: v.addon });

function throwIfAny(problems: Problems): void {
  if (Object.keys(problems).length) throw invalidFields(problems);
}

/** Entitlement operations: map the wire to the service's inputs and back; nothing else. */
export function entitlementHandlers(entitlements: EntitlementService): EntitlementHandlers {
  const list = async (ctx: RequestContext, query: EntitlementQuery) => {
    const { items, total } = await entitlements.list(ctx.auth, query);
    return { items: items.map(toApi), pagination: paginationOf(total, query.page) };
  };
  const owned = async (ctx: RequestContext, type: 'PLAN' | 'ADDON', id: string) => {
    const items = await entitlements.listOf(ctx.auth, type, id);
    // Not paged, as in FlexPrice: its "no limit" filter reports limit 0 and offset 0 + 0.
    return { items: items.map(toApi), pagination: { total: items.length, limit: 0, offset: 0 } };
  };
  return {
    createEntitlement: async ({ body }, ctx) => {
      const { input, problems } = readCreateEntitlement(body);
      throwIfAny(problems);
      return toApi(await entitlements.create(ctx.auth, input));
    },
    createEntitlementsBulk: async ({ body }, ctx) => {
      const problems: Problems = {};
      const inputs: NewEntitlement[] = body.items.map((item, i) => {
        const read = readCreateEntitlement(item, `items[${i}].`);
        Object.assign(problems, read.problems);
        return read.input;
      });
      throwIfAny(problems);
      return { items: (await entitlements.createBulk(ctx.auth, inputs)).map(toApi) };
    },
    getEntitlement: async ({ path }, ctx) => toApi(await entitlements.get(ctx.auth, path.id)),
    updateEntitlement: async ({ path, body }, ctx) => {
      const { changes, problems } = readUpdateEntitlement(body);
      throwIfAny(problems);
      return toApi(await entitlements.update(ctx.auth, path.id, changes));
    },
    deleteEntitlement: async ({ path }, ctx) => {
      await entitlements.delete(ctx.auth, path.id);
      return { message: 'entitlement deleted successfully' };
    },
    listEntitlements: async ({ query }, ctx) =>
      list(ctx, {
        page: pageOf(query ?? {}),
        status: query?.status,
        order: query?.order,
        sort: sortParam(query?.sort, query?.order, entitlementSearchFields, 'entitlement'),
        entityType: query?.entity_type,
        entityIds: query?.entity_ids,
        featureIds: query?.feature_ids,
        featureType: query?.feature_type,
        isEnabled: query?.is_enabled,
        planIds: query?.plan_ids,
        startTime: query?.start_time,
        endTime: query?.end_time,
        expandFeatures: expandsFeatures(query?.expand),
      }),
    queryEntitlement: async ({ body }, ctx) =>
      list(ctx, {
        page: pageOf(body),
        status: body.status,
        order: body.order,
        sort: body.sort,
        filters: body.filters,
        entityType: body.entity_type,
        entityIds: body.entity_ids,
        featureIds: body.feature_ids,
        featureType: body.feature_type,
        isEnabled: body.is_enabled,
        planIds: body.plan_ids,
        hasGrantConfig: body.has_grant_config,
        startTime: body.start_time,
        endTime: body.end_time,
        expandFeatures: expandsFeatures(body.expand),
      }),
    getPlanEntitlements: async ({ path }, ctx) => owned(ctx, 'PLAN', path.id),
    getAddonEntitlements: async ({ path }, ctx) => owned(ctx, 'ADDON', path.id),
  };
}
