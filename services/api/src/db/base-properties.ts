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
