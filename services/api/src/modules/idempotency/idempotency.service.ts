import type { AuthContext } from '../../auth-context.ts';
import type { Tx } from '../../db/transactions.ts';
import type { ServiceContext } from '../../service-context.ts';
import { IdempotencyRepo, type StoredResponse } from './idempotency.repo.ts';

export type { StoredResponse };
export type Claim = { claimed: true } | { claimed: false; record: StoredResponse };

/** How long a first response is replayed. */
export const retentionMs = 24 * 60 * 60 * 1000;
/** A claim older than this whose request never finished (the process died) may be taken over. */
export const abandonedAfterMs = 5 * 60 * 1000;

/**
 * `Idempotency-Key` records in the database, so retries are recognised across restarts and
 * instances (see http/idempotency.ts for the protocol).
 */
export class IdempotencyService {
  readonly #ctx: ServiceContext;
  readonly #repo = new IdempotencyRepo();
  #lastPurge = 0;

  constructor(ctx: ServiceContext) {
    this.#ctx = ctx;
  }

  /** Runs a whole request in one transaction (its use cases join it). */
  inTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.#ctx.db.run(work);
  }

  async claim(auth: AuthContext, key: string, fingerprint: string): Promise<Claim> {
    const now = this.#ctx.clock.now();
    const at = { now, expiresAt: new Date(now.getTime() + retentionMs), abandonedBefore: new Date(now.getTime() - abandonedAfterMs) };
    const claimed = await this.#ctx.db.read((tx) => this.#repo.claim(tx, auth, key, fingerprint, at));
    if (claimed) return { claimed: true };
    const record = await this.#ctx.db.read((tx) => this.#repo.find(tx, auth, key));
    // Gone between the two statements (purged): try once more.
    if (!record) return this.claim(auth, key, fingerprint);
    return { claimed: false, record };
  }

  /** Stores the answer; inside `tx` when given, so it commits with the request's writes. */
  async complete(auth: AuthContext, key: string, status: number, body: unknown, tx?: Tx): Promise<void> {
    if (tx) await this.#repo.complete(tx, auth, key, status, body);
    else await this.#ctx.db.read((t) => this.#repo.complete(t, auth, key, status, body));
    void this.#purgeExpired();
  }

  /** Frees the key: the request wrote nothing, so a retry may run it. */
  release(auth: AuthContext, key: string): Promise<void> {
    return this.#ctx.db.read((tx) => this.#repo.remove(tx, auth, key));
  }

  /** At most once a minute per process, drop records past their 24 hours. */
  async #purgeExpired(): Promise<void> {
    const now = this.#ctx.clock.now();
    if (now.getTime() - this.#lastPurge < 60_000) return;
    this.#lastPurge = now.getTime();
    await this.#ctx.db.read((tx) => this.#repo.removeExpired(tx, now)).catch(() => undefined);
  }
}
