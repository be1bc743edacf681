import type pg from 'pg';
import type { CounterStore, CounterUpdate } from './rate-limit-counter.ts';

/** Anything that runs a parameterised statement: a `pg` pool, or PGlite in tests. */
export type Queryable = { query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }> };

// The columns of the table Tally created with rate-limiter-flexible before, so an upgrade keeps it.
const createTable = `create table if not exists rate_limits (key varchar(255) primary key, points integer not null default 0, expire bigint)`;

// One statement per sync for every key: add to a live window, or start the window afresh if it is over.
const upsert = `
insert into rate_limits as r (key, points, expire)
select * from unnest($1::varchar[], $2::integer[], $3::bigint[])
on conflict (key) do update set
  points = case when r.expire is null or r.expire <= $4 then excluded.points else r.points + excluded.points end,
  expire = case when r.expire is null or r.expire <= $4 then excluded.expire else r.expire end
returning key, points, expire`;

type Row = { key: string; points: number; expire: string | number };

/** Rate-limit counts shared through PostgreSQL by every instance of Tally on the same database. */
export async function postgresCounterStore(db: Queryable | pg.Pool): Promise<CounterStore> {
  await db.query(createTable);
  return async (updates: CounterUpdate[], nowMs: number) => {
    const { rows } = await db.query(upsert, [updates.map((u) => u.key), updates.map((u) => u.points), updates.map((u) => u.expiresAt), nowMs]);
    return (rows as Row[]).map((r) => ({ key: r.key, points: Number(r.points), expiresAt: Number(r.expire) }));
  };
}
