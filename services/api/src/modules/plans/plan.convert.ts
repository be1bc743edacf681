import type { QueryParams, Schemas } from '../../wire/contract-types.ts';
import { throwIfProblems } from '../../errors/problems.ts';
import { listQueryOf, type ListQuery } from '../../listing/list-query.ts';
import { recordFields } from '../../wire/record-fields.ts';
import { blankProblems, emptyToNull, fromCloneRequest } from '../../wire/request-fields.ts';
import type { Plan } from './plan.entity.ts';
import { planSearchFields } from './plan.search.ts';

export type PlanResponse = Schemas['PlanResponse'];
/** What a plan's response embeds of what it sells and grants, when they were loaded. */
export type PlanContentsResponse = Pick<PlanResponse, 'prices' | 'entitlements'>;

/** A plan to create, validated. An empty lookup key or description is stored as none. */
export type NewPlan = {
  name: string;
  lookupKey: string | null;
  description: string | null;
  displayOrder: number | null;
  metadata: Record<string, string>;
};

/** Changes to a plan: `undefined` leaves a field as it is, `null` clears it. */
export type PlanChanges = {
  name?: string;
  lookupKey?: string | null;
  description?: string | null;
  displayOrder?: number;
  metadata?: Record<string, string>;
};

/** What differs in a clone; `undefined` keeps the source's value. */
export type PlanCopy = {
  name: string;
  lookupKey: string;
  description?: string | null;
  displayOrder?: number;
  metadata?: Record<string, string>;
};

/** An empty lookup key means none; one of only whitespace is refused. */
const keyAndName = (body: { name?: string; lookup_key?: string }) => blankProblems({ name: body.name, lookup_key: body.lookup_key || undefined });

export function fromCreatePlanRequest(body: Schemas['CreatePlanRequest']): NewPlan {
  throwIfProblems(keyAndName(body));
  return {
    name: body.name,
    lookupKey: body.lookup_key || null,
    description: body.description || null,
    displayOrder: body.display_order ?? null,
    metadata: body.metadata ?? {},
  };
}

export function fromUpdatePlanRequest(body: Schemas['UpdatePlanRequest']): PlanChanges {
  throwIfProblems(keyAndName(body));
  return {
    name: body.name,
    lookupKey: emptyToNull(body.lookup_key),
    description: emptyToNull(body.description),
    displayOrder: body.display_order,
    metadata: body.metadata,
  };
}

export function fromClonePlanRequest(body: Schemas['ClonePlanRequest']): PlanCopy {
  return { ...fromCloneRequest(body), displayOrder: body.display_order };
}

/** A list or search of plans, as the GET list and the search body both express it. */
export type PlanQuery = ListQuery & { planIds?: string[]; lookupKey?: string; metadata?: Record<string, string> };

export function fromPlanListRequest(input: QueryParams<'listPlans'> | Schemas['PlanFilter']): PlanQuery {
  return {
    ...listQueryOf(input, planSearchFields, 'plan'),
    planIds: input?.plan_ids,
    lookupKey: input?.lookup_key,
    metadata: input && 'metadata' in input ? input.metadata : undefined,
  };
}

/**
 * Entity → wire. Unset text fields are empty strings and `display_order` is left out when unset, as
 * FlexPrice sends them; `prices` / `entitlements` only when they were loaded.
 */
export function toPlanResponse(plan: Plan, contents: PlanContentsResponse = {}): PlanResponse {
  return {
    id: plan.id,
    name: plan.name,
    lookup_key: plan.lookupKey ?? '',
    description: plan.description ?? '',
    ...(plan.displayOrder === null || plan.displayOrder === undefined ? {} : { display_order: plan.displayOrder }),
    metadata: plan.metadata ?? {},
    ...(contents.prices ? { prices: contents.prices } : {}),
    ...(contents.entitlements ? { entitlements: contents.entitlements } : {}),
    ...recordFields(plan),
  };
}
