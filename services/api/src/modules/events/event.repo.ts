import type { MikroORM } from '@mikro-orm/core';
import type { AbstractSqlConnection } from '@mikro-orm/postgresql';
import { CompiledQuery } from 'kysely';
import type { AuthContext } from '../../auth-context.ts';
import type { EventCursor, EventInsert, EventQueryInput, EventRow } from './event.types.ts';

export type { EventInsert, EventRow };


const columns = `id, external_customer_id, customer_id, event_name, source, properties::text as properties, environment_id,
  to_char("timestamp" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') as time_text,
  (extract(epoch from "timestamp") * 1000000)::bigint::text as epoch_micros`;

/**
 * One statement for any number of events: the columns travel as nine bound arrays (no SQL text
 * grows with the batch), and the primary key (tenant, environment, id) with ON CONFLICT DO NOTHING
 * is the deduplication — an event_id already stored, or repeated in the batch, is skipped.
 */
const insertSql = `insert into events (tenant_id, environment_id, id, external_customer_id, customer_id, event_name, source, "timestamp", properties)
select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[], $9::jsonb[])
on conflict do nothing`;

/** Collects bound parameters and hands out their `$n` placeholders. */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    return `$${this.values.push(value)}`;
  }
}

/** Event SQL, run on the ORM's own connection (pool or PGlite) with bound parameters: no unit of work per event. */
export class EventRepo {
  readonly #orm: MikroORM;

  constructor(orm: MikroORM) {
    this.#orm = orm;
  }

  /** How many inserts may run at once: PGlite has one connection; a pool gets a third of it, leaving the rest to reads. */
  get writeConcurrency(): number {
    const poolMax = this.#orm.config.get('pool')?.max;
    return poolMax ? Math.max(1, Math.floor(poolMax / 3)) : 1;
  }

  async #run<R>(sql: string, params: unknown[]): Promise<{ rows: R[]; affected: number }> {
    const connection = this.#orm.em.getConnection() as unknown as AbstractSqlConnection;
    try {
      const result = await connection.getClient().executeQuery<R>(CompiledQuery.raw(sql, params));
      return { rows: result.rows, affected: Number(result.numAffectedRows ?? 0) };
    } catch (err) {
      // The same exception classes the ORM raises, so the error mapper answers `database_error`.
      throw this.#orm.em.getPlatform().getExceptionConverter().convertException(err as Error);
    }
  }

  /**
   * Inserts in one statement; autocommit, so the events are durable when this resolves. Rows are
   * sorted by key so that concurrent statements lock keys in one order and cannot deadlock, and
   * the sort is stable, so of an event_id repeated in the batch the first copy is kept.
   * Returns how many rows were new.
   */
  async insert(events: EventInsert[]): Promise<number> {
    if (events.length === 0) return 0;
    const sorted = [...events].sort(byKey);
    const cols: (string | null)[][] = [[], [], [], [], [], [], [], [], []];
    for (const e of sorted) {
      cols[0].push(e.tenantId);
      cols[1].push(e.environmentId);
      cols[2].push(e.id);
      cols[3].push(e.externalCustomerId);
      cols[4].push(e.customerId);
      cols[5].push(e.eventName);
      cols[6].push(e.source);
      cols[7].push(e.timestamp);
      cols[8].push(e.properties);
    }
    return (await this.#run(insertSql, cols)).affected;
  }

  async findById(auth: AuthContext, id: string): Promise<EventRow | undefined> {
    const { rows } = await this.#run<EventRow>(
      `select ${columns} from events where tenant_id = $1 and environment_id = $2 and id = $3`,
      [auth.tenantId, auth.environmentId, id],
    );
    return rows[0];
  }

  /** One page of events and the number of all events matching the filters (and the cursor, if any). */
  async list(auth: AuthContext, q: EventQueryInput): Promise<{ rows: EventRow[]; total: number }> {
    const p = new Params();
    const where = [`tenant_id = ${p.add(auth.tenantId)}`, `environment_id = ${p.add(auth.environmentId)}`];
    where.push(`"timestamp" >= ${p.add(q.start)}::timestamptz`, `"timestamp" < ${p.add(q.end)}::timestamptz`);
    if (q.externalCustomerId !== undefined) where.push(`external_customer_id = ${p.add(q.externalCustomerId)}`);
    if (q.eventName !== undefined) where.push(`event_name = ${p.add(q.eventName)}`);
    if (q.eventId !== undefined) where.push(`id = ${p.add(q.eventId)}`);
    if (q.source !== undefined) where.push(`source = ${p.add(q.source)}`);
    for (const [key, values] of q.propertyFilters) {
      // FlexPrice reads the property as a string: a number, an object or a missing key is ''.
      const k = p.add(key);
      where.push(`coalesce(case when jsonb_typeof(properties -> ${k}) = 'string' then properties ->> ${k} end, '') = any(${p.add(values)}::text[])`);
    }

    const pageOrder = q.order;
    // Walking back from a page's first event: read the nearest ones (reverse order), then flip them.
    const readOrder = q.paging.kind === 'before' ? flip(pageOrder) : pageOrder;
    if (q.paging.kind !== 'offset') where.push(cursorCondition(q.paging.cursor, readOrder === 'desc' ? '<' : '>', p));

    const filter = `from events where ${where.join(' and ')}`;
    const countParams = [...p.values];
    const dir = readOrder;
    const orderBy =
      q.sort === 'event_name' ? `event_name ${dir}, "timestamp" ${dir}, id ${dir}` : `"timestamp" ${dir}, id ${dir}`;
    const limit = q.paging.kind === 'offset' ? q.pageSize : q.pageSize + 1;
    let sql = `select ${columns} ${filter} order by ${orderBy} limit ${p.add(limit)}`;
    if (q.paging.kind === 'offset' && q.paging.offset > 0) sql += ` offset ${p.add(q.paging.offset)}`;

    const [page, count] = await Promise.all([
      this.#run<EventRow>(sql, p.values),
      this.#run<{ n: string }>(`select count(*)::text as n ${filter}`, countParams),
    ]);
    return { rows: page.rows, total: Number(count.rows[0].n) };
  }
}

function byKey(a: EventInsert, b: EventInsert): number {
  return compare(a.tenantId, b.tenantId) || compare(a.environmentId, b.environmentId) || compare(a.id, b.id);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function flip(order: 'asc' | 'desc'): 'asc' | 'desc' {
  return order === 'asc' ? 'desc' : 'asc';
}

function cursorCondition(cursor: EventCursor, op: '<' | '>', p: Params): string {
  return `("timestamp", id) ${op} (${p.add(cursor.timestamp)}::timestamptz, ${p.add(cursor.id)})`;
}
