import { UniqueConstraintViolationException, type EntityManager, type MikroORM } from '@mikro-orm/core';
import { CompiledQuery } from 'kysely';

/**
 * The unit of work a use case runs in. Services receive it from {@link Transactions} and hand it to
 * their repositories; only repositories look inside it.
 */
export type Tx = EntityManager;

/** Carries a preview's answer out of the unit of work it rolls back. */
class RolledBack extends Error {
  readonly answer: unknown;
  constructor(answer: unknown) {
    super('preview rolled back');
    this.answer = answer;
  }
}

/**
 * Where use cases get their unit of work. Inside a request's transaction (a POST with an
 * `Idempotency-Key`, see http/idempotency.ts) every unit of work joins that transaction, so a use
 * case's reads see its own writes and its writes commit or roll back together with the stored
 * answer (its own transaction becomes a savepoint).
 */
export class Transactions {
  readonly #orm: MikroORM;

  constructor(orm: MikroORM) {
    this.#orm = orm;
  }

  /** A fresh unit of work, bound to the request's transaction when one is open. */
  #unit(): Tx {
    return this.#orm.em.fork({ keepTransactionContext: true });
  }

  /**
   * One use case, one transaction: committed when `work` resolves, rolled back when it throws. With
   * `onDuplicate`, a unique-index violation (two writers racing past a check, or a duplicate the
   * check cannot see) becomes that error, a 409 instead of a 500.
   */
  async run<T>(work: (tx: Tx) => Promise<T>, onDuplicate?: () => Error): Promise<T> {
    try {
      return await this.#unit().transactional(work);
    } catch (err) {
      if (onDuplicate && err instanceof UniqueConstraintViolationException) throw onDuplicate();
      throw err;
    }
  }

  /**
   * A use case's preview: `work` runs in a unit of work that is always rolled back, and its answer is
   * returned. So a preview is the execution itself at that instant — the same checks, numbers and
   * refusals — and keeps nothing (no row, number, event).
   */
  async preview<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    try {
      await this.run(async (tx) => {
        throw new RolledBack(await work(tx));
      });
    } catch (err) {
      if (err instanceof RolledBack) return err.answer as T;
      throw err;
    }
    throw new Error('unreachable: a preview always rolls back');
  }

  /**
   * How many units of work background jobs may run side by side: PGlite has one connection (its
   * transactions take turns), a pool a third of its connections, leaving the rest to requests.
   */
  get parallelism(): number {
    const poolMax = this.#orm.config.get('pool')?.max;
    return poolMax ? Math.max(1, Math.floor(poolMax / 3)) : 1;
  }

  /** Reads that need no transaction of their own. */
  read<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return work(this.#unit());
  }
}

/**
 * Raw SQL (`?` placeholders) in `tx`, on its transaction when it has one: for repositories'
 * hand-written queries. Failures are the ORM's exception classes, as for any other query.
 */
export async function rawQuery<R>(tx: Tx, sql: string, params: unknown[]): Promise<R[]> {
  try {
    return (await tx.getConnection().execute(sql, params, 'all', tx.getTransactionContext())) as R[];
  } catch (err) {
    throw tx.getPlatform().getExceptionConverter().convertException(err as Error);
  }
}

/**
 * Raw SQL with bound `$n` parameters (arrays travel as PostgreSQL arrays, nothing is inlined) in
 * `tx`, on its transaction when it has one, else as one autocommitted statement. For repositories'
 * set-based statements (`unnest`, CTEs); errors become the ORM's exception classes.
 */
export async function boundQuery<R>(tx: Tx, sql: string, params: unknown[]): Promise<R[]> {
  const connection = tx.getConnection() as unknown as { getClient(): QueryExecutor };
  const executor = (tx.getTransactionContext() as QueryExecutor | undefined) ?? connection.getClient();
  try {
    const result = await executor.executeQuery(CompiledQuery.raw(sql, params));
    return result.rows as R[];
  } catch (err) {
    throw tx.getPlatform().getExceptionConverter().convertException(err as Error);
  }
}

type QueryExecutor = { executeQuery(query: CompiledQuery): Promise<{ rows: unknown[] }> };
