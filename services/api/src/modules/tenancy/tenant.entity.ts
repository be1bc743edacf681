import { defineEntity, p } from '@mikro-orm/core';

/** The organisation that owns environments. A self-hosted Tally has one, created on first start. */
export const TenantSchema = defineEntity({
  name: 'Tenant',
  tableName: 'tenants',
  properties: {
    id: p.string().length(64).primary(),
    name: p.string().length(255),
    status: p.string().length(20).default('published'),
    createdAt: p.datetime().defaultRaw('now()'),
    updatedAt: p.datetime().defaultRaw('now()'),
  },
});
export class Tenant extends TenantSchema.class {}
TenantSchema.setClass(Tenant);
