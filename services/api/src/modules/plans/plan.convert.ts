import type { components } from '@tally/contract';
import { invalidFields } from '../../errors/app-error.ts';

type CreateRequest = components['schemas']['CreatePlanRequest'];
type UpdateRequest = components['schemas']['UpdatePlanRequest'];
type CloneRequest = components['schemas']['ClonePlanRequest'];

type Errors = Record<string, string>;

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

const emptyToNull = (s: string | undefined): string | null | undefined => (s === undefined ? undefined : s === '' ? null : s);

function refuse(errors: Errors): void {
  if (Object.keys(errors).length) throw invalidFields(errors);
}

export function parseCreatePlan(body: CreateRequest): NewPlan {
  const errors: Errors = {};
  if (body.name.trim() === '') errors.name = 'must not be blank';
  if (body.lookup_key !== undefined && body.lookup_key !== '' && body.lookup_key.trim() === '') errors.lookup_key = 'must not be blank';
  refuse(errors);
  return {
    name: body.name,
    lookupKey: body.lookup_key || null,
    description: body.description || null,
    displayOrder: body.display_order ?? null,
    metadata: body.metadata ?? {},
  };
}

export function parseUpdatePlan(body: UpdateRequest): PlanChanges {
  const errors: Errors = {};
  if (body.name !== undefined && body.name.trim() === '') errors.name = 'must not be blank';
  if (body.lookup_key !== undefined && body.lookup_key !== '' && body.lookup_key.trim() === '') errors.lookup_key = 'must not be blank';
  refuse(errors);
  return {
    name: body.name,
    lookupKey: emptyToNull(body.lookup_key),
    description: emptyToNull(body.description),
    displayOrder: body.display_order,
    metadata: body.metadata,
  };
}

export function parseClonePlan(body: CloneRequest): PlanCopy {
  const errors: Errors = {};
  if (body.name.trim() === '') errors.name = 'must not be blank';
  if (body.lookup_key.trim() === '') errors.lookup_key = 'must not be blank';
  refuse(errors);
  return {
    name: body.name,
    lookupKey: body.lookup_key,
    description: body.description === undefined ? undefined : body.description || null,
    displayOrder: body.display_order,
    metadata: body.metadata,
  };
}
