import type { EntityManager, MikroORM } from '@mikro-orm/core';
import type { AuthContext } from '../../auth-context.ts';
import type { Clock } from '../../clock.ts';

export type StoredResponse = { fingerprint: string; state: 'in_progress' | 'completed'; status: number | null; body: unknown };
export type Claim = { claimed: true } | { claimed: false; record: StoredResponse };

/** How long a first response is replayed. */
export const retentionMs = 24 * 60 * 60 * 1000;
/** A claim older than this whose request never finished (the process died) may be taken over. */
export const abandonedAfterMs = 5 * 60 * 1000;

type Row = { fingerprint: string; state: StoredResponse['state']; response_status: number | null; response_body: unknown };

/**
 * Idempotency records in the database, so retries are recognised across restarts and instances.
 * Plain SQL: one atomic upsert decides which of two concurrent requests runs.
 */
export class IdempotencyStore {
  readonly #orm: MikroORM;
  readonly #clock: Clock;
  #lastPurge = 0;

  constructor(orm: MikroORM, clock: Clock) {
    this.#orm = orm;
    this.#clock = clock;
  }

  async claim(auth: AuthContext, key: string, fingerprint: string): Promise<Claim> {
    const now = this.#clock.now();
    const conn = this.#orm.em.getConnection();
    const taken = await conn.execute<Row[]>(
      `insert into idempotency_keys (tenant_id, environment_id, key, fingerprint, state, created_at, expires_at)
       values (?, ?, ?, ?, 'in_progress', ?, ?)
       on conflict (tenant_id, environment_id, key) do update
         set fingerprint = excluded.fingerprint, state = 'in_progress', response_status = null, response_body = null,
             created_at = excluded.created_at, expires_at = excluded.expires_at
         where idempotency_keys.expires_at <= ? or (idempotency_keys.state = 'in_progress' and idempotency_keys.created_at <= ?)
       returning key`,
      [auth.tenantId, auth.environmentId, key, fingerprint, now, new Date(now.getTime() + retentionMs), now, new Date(now.getTime() - abandonedAfterMs)],
    );
    if (taken.length) return { claimed: true };
    const [row] = await conn.execute<Row[]>(
      'select fingerprint, state, response_status, response_body from idempotency_keys where tenant_id = ? and environment_id = ? and key = ?',
      [auth.tenantId, auth.environmentId, key],
    );
    // Gone between the two statements (purged): try once more.
    if (!row) return this.claim(auth, key, fingerprint);
    return { claimed: false, record: { fingerprint: row.fingerprint, state: row.state, status: row.response_status, body: row.response_body } };
  }

  /** Stores the answer; inside `em`'s transaction when given, so it commits with the request's writes. */
  async complete(auth: AuthContext, key: string, status: number, body: unknown, em?: EntityManager): Promise<void> {
    try {
      await this.#orm.em.getConnection().execute(
        `update idempotency_keys set state = 'completed', response_status = ?, response_body = ? where tenant_id = ? and environment_id = ? and key = ?`,
        [status, body === undefined ? null : JSON.stringify(body), auth.tenantId, auth.environmentId, key],
        'run',
        em?.getTransactionContext(),
      );
    } catch (err) {
      // The ORM's exception classes, so the error mapper answers `database_error` like any other write.
      throw this.#orm.em.getPlatform().getExceptionConverter().convertException(err as Error);
    }
    void this.#purgeExpired();
  }

  /** Server errors are not kept: the client may retry them with the same key. */
  async release(auth: AuthContext, key: string): Promise<void> {
    await this.#orm.em.getConnection().execute('delete from idempotency_keys where tenant_id = ? and environment_id = ? and key = ?', [
      auth.tenantId,
      auth.environmentId,
      key,
    ]);
  }

  /** At most once a minute per process, drop records past their 24 hours. */
  async #purgeExpired(): Promise<void> {
    const now = this.#clock.now();
    if (now.getTime() - this.#lastPurge < 60_000) return;
    this.#lastPurge = now.getTime();
    await this.#orm.em.getConnection().execute('delete from idempotency_keys where expires_at <= ?', [now]).catch(() => undefined);
  }
}
