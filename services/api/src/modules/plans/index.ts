/** Plans, as other modules may use them. */
import { PlanRepo, type PlanReader } from './plan.repo.ts';

export { PlanService, type PlanCloneStep, type PlanDeletionGuard } from './plan.service.ts';
export type { Plan } from './plan.entity.ts';
export type { PlanReader } from './plan.repo.ts';
export { fromPlanListRequest, toPlanResponse, type PlanContentsResponse, type PlanCopy, type PlanQuery, type PlanResponse } from './plan.convert.ts';

/** Reads plans inside the caller's unit of work. */
export const planReader: PlanReader = new PlanRepo();
