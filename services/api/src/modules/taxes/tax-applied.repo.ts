import type { RequiredEntityData } from '@mikro-orm/core';
import { scopeOf, type AuthContext } from '../../auth-context.ts';
import type { Tx } from '../../db/transactions.ts';
import { TaxApplied } from './tax-applied.entity.ts';
import type { TaxEntityType } from './tax-association.entity.ts';

/** Every query of applied taxes. */
export class TaxAppliedRepo {
  /** Every record of these entities, any status, in creation order. */
  ofEntities(tx: Tx, auth: AuthContext, entityType: TaxEntityType, entityIds: readonly string[]): Promise<TaxApplied[]> {
    if (entityIds.length === 0) return Promise.resolve([]);
    return tx.find(TaxApplied, { ...scopeOf(auth), entityType, entityId: { $in: [...new Set(entityIds)] } }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  /** The published records of these entities (one query), in creation order. */
  liveOf(tx: Tx, auth: AuthContext, entityType: TaxEntityType, entityIds: readonly string[]): Promise<TaxApplied[]> {
    if (entityIds.length === 0) return Promise.resolve([]);
    return tx.find(
      TaxApplied,
      { ...scopeOf(auth), entityType, entityId: { $in: [...new Set(entityIds)] }, status: 'published' },
      { orderBy: { createdAt: 'asc', id: 'asc' } },
    );
  }

  /** Whether any invoice was taxed at the rate. */
  async isRateApplied(tx: Tx, auth: AuthContext, taxRateId: string): Promise<boolean> {
    return (await tx.count(TaxApplied, { ...scopeOf(auth), taxRateId })) > 0;
  }

  /** Stored when the unit of work commits. */
  add(tx: Tx, record: RequiredEntityData<TaxApplied>): TaxApplied {
    return tx.create(TaxApplied, record);
  }
}
