import type { Handlers } from '@tally/contract';
import { parseExpand } from '../../listing/expand.ts';
import { pageOf, paginationOf } from '../../listing/pagination.ts';
import { sortParam } from '../../listing/sort-param.ts';
import type { RequestContext } from '../../request-context.ts';
import type { ContentsRequest } from './catalog-contents.ts';
import { parseClonePlan, parseCreatePlan, parseUpdatePlan } from './plan.convert.ts';
import { toPlanResponse } from './plan.mapper.ts';
import { planSearchFields } from './plan.search.ts';
import type { PlanQuery, PlanService, PlanView } from './plan.service.ts';

type PlanHandlers = Pick<
  Handlers<RequestContext>,
  'createPlan' | 'getPlan' | 'listPlans' | 'queryPlan' | 'updatePlan' | 'deletePlan' | 'clonePlan'
>;

/** FlexPrice's plan expand allow-list, less `credit_grant` (Tally has no credit grants yet). */
export const planExpandable = ['prices', 'meters', 'entitlements', 'priceunit', 'prices.meters', 'prices.priceunit', 'entitlements.features'];

/**
 * What a list or search embeds. As in FlexPrice, `meters` and `priceunit` at the root act on the
 * prices, so they add nothing unless prices are expanded too; listed prices are those not yet ended.
 */
export function planContentsOf(expand: string | undefined): ContentsRequest {
  const tokens = parseExpand(expand, planExpandable);
  return {
    ...(tokens.has('prices')
      ? {
          prices: {
            endedToo: false,
            meters: tokens.has('meters') || tokens.has('prices.meters'),
            priceUnits: tokens.has('priceunit') || tokens.has('prices.priceunit'),
          },
        }
      : {}),
    ...(tokens.has('entitlements') ? { entitlements: { features: tokens.has('entitlements.features') } } : {}),
  };
}

const toApi = (v: PlanView) => toPlanResponse(v.plan, v.contents);

/** Plan operations: map the wire to the service's inputs and back; nothing else. */
export function planHandlers(plans: PlanService): PlanHandlers {
  const list = async (ctx: RequestContext, query: PlanQuery) => {
    const { items, total } = await plans.list(ctx.auth, query);
    return { items: items.map(toApi), pagination: paginationOf(total, query.page) };
  };
  return {
    createPlan: async ({ body }, ctx) => toApi(await plans.create(ctx.auth, parseCreatePlan(body))),
    getPlan: async ({ path }, ctx) => toApi(await plans.get(ctx.auth, path.id)),
    updatePlan: async ({ path, body }, ctx) => toApi(await plans.update(ctx.auth, path.id, parseUpdatePlan(body))),
    deletePlan: async ({ path }, ctx) => {
      await plans.delete(ctx.auth, path.id);
      // FlexPrice sends "price deleted successfully" here, a copy-paste slip; Tally names the plan.
      return { message: 'plan deleted successfully' };
    },
    clonePlan: async ({ path, body }, ctx) => toApi(await plans.clone(ctx.auth, path.id, parseClonePlan(body))),
    listPlans: async ({ query }, ctx) =>
      list(ctx, {
        page: pageOf(query ?? {}),
        status: query?.status,
        order: query?.order,
        sort: sortParam(query?.sort, query?.order, planSearchFields, 'plan'),
        planIds: query?.plan_ids,
        lookupKey: query?.lookup_key,
        startTime: query?.start_time,
        endTime: query?.end_time,
        contents: planContentsOf(query?.expand),
      }),
    queryPlan: async ({ body }, ctx) =>
      list(ctx, {
        page: pageOf(body),
        status: body.status,
        order: body.order,
        sort: body.sort,
        filters: body.filters,
        planIds: body.plan_ids,
        lookupKey: body.lookup_key,
        metadata: body.metadata,
        startTime: body.start_time,
        endTime: body.end_time,
        contents: planContentsOf(body.expand),
      }),
  };
}
