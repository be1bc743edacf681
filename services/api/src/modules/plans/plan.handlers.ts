import type { Handlers } from '@tally/contract';
import { listResponse } from '../../listing/pagination.ts';
import type { RequestContext } from '../../request-context.ts';
import { fromPlanExpand, toPlanWithContents, type CatalogService } from '../catalog/index.ts';
import { fromClonePlanRequest, fromCreatePlanRequest, fromPlanListRequest, fromUpdatePlanRequest, toPlanResponse } from './plan.convert.ts';
import type { PlanService } from './plan.service.ts';

type PlanHandlers = Pick<
  Handlers<RequestContext>,
  'createPlan' | 'getPlan' | 'listPlans' | 'queryPlan' | 'updatePlan' | 'deletePlan' | 'clonePlan'
>;

/** Plans are written here and read with their prices and entitlements from the catalogue. */
export function planHandlers(plans: PlanService, catalog: CatalogService): PlanHandlers {
  const list = async (ctx: RequestContext, input: Parameters<typeof fromPlanListRequest>[0]) => {
    const query = fromPlanListRequest(input);
    return listResponse(await catalog.plans(ctx.auth, query, fromPlanExpand(input?.expand)), query.page, toPlanWithContents);
  };
  return {
    createPlan: async ({ body }, ctx) => toPlanResponse(await plans.create(ctx.auth, fromCreatePlanRequest(body))),
    getPlan: async ({ path }, ctx) => toPlanWithContents(await catalog.plan(ctx.auth, path.id)),
    updatePlan: async ({ path, body }, ctx) => toPlanResponse(await plans.update(ctx.auth, path.id, fromUpdatePlanRequest(body))),
    deletePlan: async ({ path }, ctx) => {
      await plans.delete(ctx.auth, path.id);
      // FlexPrice sends "price deleted successfully" here, a copy-paste slip; Tally names the plan.
      return { message: 'plan deleted successfully' };
    },
    clonePlan: async ({ path, body }, ctx) => toPlanWithContents(await catalog.clonePlan(ctx.auth, path.id, fromClonePlanRequest(body))),
    listPlans: ({ query }, ctx) => list(ctx, query),
    queryPlan: ({ body }, ctx) => list(ctx, body),
  };
}
