import { defineEntity, p } from '@mikro-orm/core';

export const environmentTypes = ['development', 'production'] as const;
export type EnvironmentType = (typeof environmentTypes)[number];

/** An isolated data set of a tenant; every other row carries its id. */
export const EnvironmentSchema = defineEntity({
  name: 'Environment',
  tableName: 'environments',
  properties: {
    id: p.string().length(64).primary(),
    tenantId: p.string().length(64).index('environments_tenant_idx'),
    name: p.string().length(255),
    type: p.string().length(20).$type<EnvironmentType>(),
    status: p.string().length(20).default('published'),
    createdAt: p.datetime().defaultRaw('now()'),
    updatedAt: p.datetime().defaultRaw('now()'),
  },
});
export class Environment extends EnvironmentSchema.class {}
EnvironmentSchema.setClass(Environment);
