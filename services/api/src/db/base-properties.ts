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

type RecordColumn = keyof ReturnType<typeof keyProperties> | keyof ReturnType<typeof recordProperties>;
type ScopeColumn = keyof ReturnType<typeof scopeProperties>;
type Index<Column> = { name: string; properties: Column[]; where?: string };

/**
 * What `defineEntity` takes for a table of an environment's records: the key, `properties`, then the
 * record fields; the index lists read by (status, then creation; named `<table>_env_status_created_idx`
 * unless `listIndex` names it), then `indexes`; and `uniques`.
 */
export function environmentRecord<const N extends string, const T extends string, const P extends Record<string, unknown>>(
  name: N,
  tableName: T,
  properties: P,
  options: { uniques?: Index<keyof P | RecordColumn>[]; indexes?: Index<keyof P | RecordColumn>[]; listIndex?: string } = {},
) {
  return {
    name,
    tableName,
    properties: { ...keyProperties(), ...properties, ...recordProperties() },
    uniques: options.uniques ?? [],
    indexes: [inEnvironment(options.listIndex ?? `${tableName}_env_status_created_idx`, ['status', 'createdAt']), ...(options.indexes ?? [])],
  };
}

/**
 * What `defineEntity` takes for a table whose rows are keyed within their environment: the tenant and
 * environment lead the primary key, and `properties` hold the rest of it (`.primary()`) and the other columns.
 */
export function environmentKeyed<const N extends string, const T extends string, const P extends Record<string, unknown>>(
  name: N,
  tableName: T,
  properties: P,
  options: { indexes?: Index<keyof P | ScopeColumn>[] } = {},
) {
  return {
    name,
    tableName,
    properties: { tenantId: p.string().length(64).primary(), environmentId: p.string().length(64).primary(), ...properties },
    indexes: options.indexes ?? [],
  };
}
