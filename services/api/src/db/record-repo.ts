import type { EntityClass, FilterQuery, RequiredEntityData } from '@mikro-orm/core';
import { scopeOf, type AuthContext } from '../auth-context.ts';
import type { SearchableFields } from '../listing/filter-conditions.ts';
import type { ListQuery } from '../listing/list-query.ts';
import { listConditions } from '../listing/list-where.ts';
import { copyRow } from './copy-row.ts';
import { findPage, type PageOf } from './find-page.ts';
import type { Tx } from './transactions.ts';

/** A row of an environment's data (see base-properties.ts). */
type EnvironmentRecord = { id: string; tenantId: string; environmentId: string; status: string };

/**
 * The queries every table of an environment's records answers alike, always within the caller's
 * environment; a resource's repository adds its own.
 */
export class RecordRepo<E extends EnvironmentRecord> {
  readonly #entity: EntityClass<E>;
  readonly #fields: SearchableFields;
  readonly #name: string;

  /** `fields` and `name`: what its lists may filter and sort on, and how refusals name the resource. */
  constructor(entity: EntityClass<E>, fields: SearchableFields, name: string) {
    this.#entity = entity;
    this.#fields = fields;
    this.#name = name;
  }

  /** Any status: an archived record stays readable by id. */
  get(tx: Tx, auth: AuthContext, id: string): Promise<E | null> {
    return tx.findOne(this.#entity, { ...scopeOf(auth), id } as FilterQuery<E>);
  }

  /** The records with these ids (any status) by id; unset ids are skipped, and none asked means no query. */
  async getMany(tx: Tx, auth: AuthContext, ids: (string | null | undefined)[]): Promise<Map<string, E>> {
    const wanted = [...new Set(ids.filter((id): id is string => !!id))];
    const rows = wanted.length ? await tx.find(this.#entity, { ...scopeOf(auth), id: { $in: wanted } } as FilterQuery<E>) : [];
    return new Map(rows.map((row) => [row.id, row]));
  }

  /** The published record with these values (a live code or lookup key). */
  getPublished(tx: Tx, auth: AuthContext, values: Partial<E>): Promise<E | null> {
    return tx.findOne(this.#entity, { ...scopeOf(auth), ...values, status: 'published' } as FilterQuery<E>);
  }

  /** Whether a published record already has these values. */
  async isTaken(tx: Tx, auth: AuthContext, values: Partial<E>): Promise<boolean> {
    return (await tx.count(this.#entity, { ...scopeOf(auth), ...values, status: 'published' } as FilterQuery<E>)) > 0;
  }

  /** Stored when the unit of work commits. */
  add(tx: Tx, record: RequiredEntityData<E>): E {
    return tx.create(this.#entity, record);
  }

  /** A copy of every column of `source` with `overrides` on top, stored when the unit of work commits. */
  addCopy(tx: Tx, source: E, overrides: Partial<Record<keyof E, unknown>>): E {
    return tx.create(this.#entity, copyRow(tx, this.#entity, source, overrides) as RequiredEntityData<E>);
  }

  /** A page of a list: the shared list conditions and the resource's own `where`, all ANDed. */
  protected findPage(tx: Tx, auth: AuthContext, query: ListQuery, where: Record<string, unknown>[]): Promise<PageOf<E>> {
    return findPage(tx, this.#entity, listConditions(query, this.#fields, this.#name), query.page, [scopeOf(auth), ...where]);
  }
}
