import type { components } from '@tally/contract';
import { invalidFields } from '../../errors/app-error.ts';

type CreateRequest = components['schemas']['CreateAddonRequest'];
type UpdateRequest = components['schemas']['UpdateAddonRequest'];

type Errors = Record<string, string>;

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

function refuse(errors: Errors): void {
  if (Object.keys(errors).length) throw invalidFields(errors);
}

export function parseCreateAddon(body: CreateRequest): NewAddon {
  const errors: Errors = {};
  if (body.name.trim() === '') errors.name = 'must not be blank';
  if (body.lookup_key.trim() === '') errors.lookup_key = 'must not be blank';
  refuse(errors);
  return { name: body.name, lookupKey: body.lookup_key, description: body.description || null, metadata: body.metadata ?? {} };
}

export function parseUpdateAddon(body: UpdateRequest): AddonChanges {
  const errors: Errors = {};
  if (body.name !== undefined && body.name.trim() === '') errors.name = 'must not be blank';
  refuse(errors);
  return {
    name: body.name,
    description: body.description === undefined ? undefined : body.description || null,
    metadata: body.metadata,
  };
}
