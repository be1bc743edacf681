import { scopeOf, type AuthContext } from '../../auth-context.ts';
import type { PageOf } from '../../db/find-page.ts';
import { RecordRepo } from '../../db/record-repo.ts';
import type { Tx } from '../../db/transactions.ts';
import { oneOf } from '../../listing/list-where.ts';
import type { TaxAssociationQuery } from './tax-association.convert.ts';
import { TaxAssociation, type TaxEntityType } from './tax-association.entity.ts';
import { taxAssociationSearchFields } from './tax-association.search.ts';

const anyOf = (column: string, values: readonly string[] | undefined) => (values !== undefined && values.length === 0 ? [{ id: null }] : oneOf(column, values));

/** Every query of tax associations. */
export class TaxAssociationRepo extends RecordRepo<TaxAssociation> {
  constructor() {
    super(TaxAssociation, taxAssociationSearchFields, 'tax association');
  }

  /** `query.entityId` is already the customer's id when the request named it by external id. */
  page(tx: Tx, auth: AuthContext, query: TaxAssociationQuery): Promise<PageOf<TaxAssociation>> {
    const where: Record<string, unknown>[] = [...anyOf('id', query.taxAssociationIds), ...anyOf('taxRateId', query.taxRateIds)];
    if (query.entityType !== undefined) where.push({ entityType: query.entityType });
    if (query.entityId !== undefined) where.push({ entityId: query.entityId });
    if (query.currency !== undefined) where.push({ currency: query.currency });
    if (query.autoApply !== undefined) where.push({ autoApply: query.autoApply });
    // In effect at some instant of [activeFrom, activeUntil]: started by its end, not ended by its start.
    if (query.activeUntil !== undefined) where.push({ startDate: { $lte: query.activeUntil } });
    if (query.activeFrom !== undefined) where.push({ $or: [{ endDate: null }, { endDate: { $gt: query.activeFrom } }] });
    return this.findPage(tx, auth, query, where);
  }

  /** The published associations of these entities (one query), oldest first. */
  liveOf(tx: Tx, auth: AuthContext, entities: readonly { entityType: TaxEntityType; entityId: string }[]): Promise<TaxAssociation[]> {
    if (entities.length === 0) return Promise.resolve([]);
    return tx.find(
      TaxAssociation,
      { ...scopeOf(auth), status: 'published', $or: entities.map((e) => ({ entityType: e.entityType, entityId: e.entityId })) },
      { orderBy: { createdAt: 'asc', id: 'asc' } },
    );
  }

  /** Whether a published association links the rate. */
  async isRateLinked(tx: Tx, auth: AuthContext, taxRateId: string): Promise<boolean> {
    return (await tx.count(TaxAssociation, { ...scopeOf(auth), taxRateId, status: 'published' })) > 0;
  }
}
