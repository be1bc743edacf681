import { listHandler } from '../../listing/list-handler.ts';
import type { HandlersOf } from '../../request-context.ts';
import { messageWhenDone } from '../../wire/message.ts';
import { fromPlanCatalogRequest, toPlanWithContents, type CatalogService } from '../catalog/index.ts';
import { fromClonePlanRequest, fromCreatePlanRequest, fromUpdatePlanRequest, toPlanResponse } from './plan.convert.ts';
import type { PlanService } from './plan.service.ts';

type PlanHandlers = HandlersOf<'createPlan' | 'getPlan' | 'listPlans' | 'queryPlan' | 'updatePlan' | 'deletePlan' | 'clonePlan'>;

/** Plans are written here and read with their prices and entitlements from the catalogue. */
export function planHandlers(plans: PlanService, catalog: CatalogService): PlanHandlers {
  const list = listHandler(catalog.plans.bind(catalog), toPlanWithContents);
  return {
    createPlan: async ({ body }, ctx) => toPlanResponse(await plans.create(ctx.auth, fromCreatePlanRequest(body))),
    getPlan: async ({ path }, ctx) => toPlanWithContents(await catalog.plan(ctx.auth, path.id)),
    updatePlan: async ({ path, body }, ctx) => toPlanResponse(await plans.update(ctx.auth, path.id, fromUpdatePlanRequest(body))),
    // FlexPrice sends "price deleted successfully" here, a copy-paste slip; Tally names the plan.
    deletePlan: ({ path }, ctx) => messageWhenDone(plans.delete(ctx.auth, path.id), 'plan deleted successfully'),
    clonePlan: async ({ path, body }, ctx) => toPlanWithContents(await catalog.clonePlan(ctx.auth, path.id, fromClonePlanRequest(body))),
    listPlans: ({ query }, ctx) => list(ctx, fromPlanCatalogRequest(query)),
    queryPlan: ({ body }, ctx) => list(ctx, fromPlanCatalogRequest(body)),
  };
}
