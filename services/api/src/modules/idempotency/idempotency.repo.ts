import type { AuthContext } from '../../auth-context.ts';
import { rawQuery, type Tx } from '../../db/transactions.ts';

export type StoredResponse = { fingerprint: string; state: 'in_progress' | 'completed'; status: number | null; body: unknown };

type Row = { fingerprint: string; state: StoredResponse['state']; response_status: number | null; response_body: unknown };

/**
 * Idempotency records. Plain SQL: one atomic upsert decides which of two concurrent requests runs.
 */
export class IdempotencyRepo {
  /**
   * Claims `key` for a new request, unless a record holds it: one still being replayed (not expired
   * at `now`), or a claim younger than `abandonedBefore`. True when this request may run.
   */
  async claim(tx: Tx, auth: AuthContext, key: string, fingerprint: string, at: { now: Date; expiresAt: Date; abandonedBefore: Date }): Promise<boolean> {
    const taken = await rawQuery<{ key: string }>(
      tx,
      `insert into idempotency_keys (tenant_id, environment_id, key, fingerprint, state, created_at, expires_at)
       values (?, ?, ?, ?, 'in_progress', ?, ?)
       on conflict (tenant_id, environment_id, key) do update
         set fingerprint = excluded.fingerprint, state = 'in_progress', response_status = null, response_body = null,
             created_at = excluded.created_at, expires_at = excluded.expires_at
         where idempotency_keys.expires_at <= ? or (idempotency_keys.state = 'in_progress' and idempotency_keys.created_at <= ?)
       returning key`,
      [auth.tenantId, auth.environmentId, key, fingerprint, at.now, at.expiresAt, at.now, at.abandonedBefore],
    );
    return taken.length > 0;
  }

  async find(tx: Tx, auth: AuthContext, key: string): Promise<StoredResponse | undefined> {
    const [row] = await rawQuery<Row>(tx, 'select fingerprint, state, response_status, response_body from idempotency_keys where tenant_id = ? and environment_id = ? and key = ?', [
      auth.tenantId,
      auth.environmentId,
      key,
    ]);
    return row && { fingerprint: row.fingerprint, state: row.state, status: row.response_status, body: row.response_body };
  }

  async complete(tx: Tx, auth: AuthContext, key: string, status: number, body: unknown): Promise<void> {
    await rawQuery(tx, `update idempotency_keys set state = 'completed', response_status = ?, response_body = ? where tenant_id = ? and environment_id = ? and key = ?`, [
      status,
      body === undefined ? null : JSON.stringify(body),
      auth.tenantId,
      auth.environmentId,
      key,
    ]);
  }

  async remove(tx: Tx, auth: AuthContext, key: string): Promise<void> {
    await rawQuery(tx, 'delete from idempotency_keys where tenant_id = ? and environment_id = ? and key = ?', [auth.tenantId, auth.environmentId, key]);
  }

  async removeExpired(tx: Tx, now: Date): Promise<void> {
    await rawQuery(tx, 'delete from idempotency_keys where expires_at <= ?', [now]);
  }
}
