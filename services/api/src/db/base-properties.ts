import { p } from '@mikro-orm/core';

/** The tenant and environment every row of an environment's data belongs to (and is queried by). */
export const scopeProperties = () => ({
  tenantId: p.string().length(64),
  environmentId: p.string().length(64),
});

/** FlexPrice's base fields: the record status (`published`, `archived` by a soft delete) and who changed it when. */
export const recordProperties = () => ({
  status: p.string().length(20).default('published'),
  createdAt: p.datetime().defaultRaw('now()'),
  updatedAt: p.datetime().defaultRaw('now()'),
  createdBy: p.string().length(64).nullable(),
  updatedBy: p.string().length(64).nullable(),
});

/** A record's key: its id, and the tenant and environment it belongs to. */
export const keyProperties = () => ({ id: p.string().length(64).primary(), ...scopeProperties() });

/** An index (or unique index, with the `where` of its live rows) over one environment's rows: tenant, environment, then `properties`. */
export function inEnvironment<const P extends string>(name: string, properties: P[], where?: string) {
  return { name, properties: ['tenantId', 'environmentId', ...properties] as ('tenantId' | 'environmentId' | P)[], ...(where === undefined ? {} : { where }) };
}
