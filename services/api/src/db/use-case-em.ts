// Transitional: modules not yet split into service + repo use this; see db/transactions.ts.
import type { EntityManager, MikroORM } from '@mikro-orm/core';

/**
 * The EntityManager a use case starts from. Inside a request's transaction (a POST with an
 * `Idempotency-Key`, see http/idempotency.ts) it is bound to that transaction, so the use case's
 * reads see its own writes and its writes commit or roll back together with the stored response
 * (its own `transactional` becomes a savepoint); otherwise it is a plain fresh fork.
 */
export function useCaseEm(orm: MikroORM): EntityManager {
  return orm.em.fork({ keepTransactionContext: true });
}

/** Raw SQL (`?` placeholders) on `em`'s transaction when it has one. */
export function rawQuery<R>(em: EntityManager, sql: string, params: unknown[]): Promise<R[]> {
  const ctx = em.getTransactionContext();
  return em.getConnection().execute(sql, params, 'all', ctx) as Promise<R[]>;
}
