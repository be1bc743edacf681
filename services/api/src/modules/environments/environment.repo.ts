import { LockMode, type RequiredEntityData } from '@mikro-orm/core';
import type { PageOf } from '../../db/find-page.ts';
import type { Tx } from '../../db/transactions.ts';
import type { Page } from '../../listing/pagination.ts';
import { Environment } from './environment.entity.ts';

/** Every query of environments. They belong to the tenant, not to an environment. */
export class EnvironmentRepo {
  findLive(tx: Tx, tenantId: string, id: string): Promise<Environment | null> {
    return tx.findOne(Environment, { id, tenantId, status: 'published' });
  }

  /** Every live environment of the tenant, oldest first. */
  allLive(tx: Tx, tenantId: string): Promise<Environment[]> {
    return tx.find(Environment, { tenantId, status: 'published' }, { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  }

  /** Oldest first, as FlexPrice lists them. */
  async page(tx: Tx, tenantId: string, page: Page): Promise<PageOf<Environment>> {
    const [items, total] = await tx.findAndCount(
      Environment,
      { tenantId, status: 'published' },
      { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], limit: page.limit, offset: page.offset },
    );
    return { items, total };
  }

  /** Holds the environment's row until the transaction ends: serialises changes to what it owns (its keys). */
  async lock(tx: Tx, id: string): Promise<void> {
    await tx.findOne(Environment, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  }

  add(tx: Tx, env: RequiredEntityData<Environment>): Environment {
    return tx.create(Environment, env);
  }
}
