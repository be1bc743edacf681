import type { Tx } from '../../db/transactions.ts';
import { newId } from '../../ids.ts';
import { Tenant } from './tenant.entity.ts';

/** Every query of tenants. One process serves one tenant today: the first one created. */
export class TenantRepo {
  first(tx: Tx): Promise<Tenant | null> {
    return tx.findOne(Tenant, { status: 'published' }, { orderBy: { createdAt: 'asc' } });
  }

  add(tx: Tx, name: string, now: Date): Tenant {
    return tx.create(Tenant, { id: newId('tenant'), name, status: 'published', createdAt: now, updatedAt: now });
  }
}
