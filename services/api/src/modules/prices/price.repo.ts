import { scopeOf, type AuthContext } from '../../auth-context.ts';
import type { PageOf } from '../../db/find-page.ts';
import { RecordRepo } from '../../db/record-repo.ts';
import type { Tx } from '../../db/transactions.ts';
import type { PriceQuery } from './price.convert.ts';
import { Price, type PriceEntityType } from './price.entity.ts';
import { priceSearchFields } from './price.search.ts';
import { oneOf } from '../../listing/list-where.ts';

/** A price has ended once its `end_date` is at or before `at`; one ending later still counts. */
const notEndedAt = (at: Date) => ({ $or: [{ endDate: null }, { endDate: { $gt: at } }] });

/** Published and not ended at `at`: what "active" means for lookup keys, limits, embedding and unit deletion. */
const activeAt = (at: Date) => ({ status: 'published', ...notEndedAt(at) });

/** How other modules read prices by id (any status, ended ones too). */
export type PriceReader = Pick<PriceRepo, 'get' | 'getMany'>;

/** Every query of prices. */
export class PriceRepo extends RecordRepo<Price> {
  constructor() {
    super(Price, priceSearchFields, 'price');
  }

  /** The active price with this lookup key (the latest to start, should there be several). */
  activeByLookupKey(tx: Tx, auth: AuthContext, lookupKey: string, at: Date): Promise<Price | null> {
    return tx.findOne(Price, { ...scopeOf(auth), lookupKey, ...activeAt(at) }, { orderBy: { startDate: 'desc' } });
  }

  /** Whether an active price other than `exceptId` has this lookup key. */
  async isLookupKeyActive(tx: Tx, auth: AuthContext, lookupKey: string, at: Date, exceptId?: string): Promise<boolean> {
    return (await tx.count(Price, { ...scopeOf(auth), lookupKey, ...activeAt(at), ...(exceptId ? { id: { $ne: exceptId } } : {}) })) > 0;
  }

  /** How many prices of this plan or addon are active at `at`. */
  countActiveOf(tx: Tx, auth: AuthContext, entityType: PriceEntityType, entityId: string, at: Date): Promise<number> {
    return tx.count(Price, { ...scopeOf(auth), entityType, entityId, ...activeAt(at) });
  }

  /** How many prices in this unit are active at `at`. */
  usesPriceUnit(tx: Tx, auth: AuthContext, unitId: string, at: Date): Promise<number> {
    return tx.count(Price, { ...scopeOf(auth), priceUnitId: unitId, ...activeAt(at) });
  }

  /** The published prices of these plans or addons, newest first unless `order` says otherwise; those ended at `at` only with `endedToo`. */
  forOwners(
    tx: Tx,
    auth: AuthContext,
    entityType: PriceEntityType,
    ownerIds: string[],
    { endedToo, at, order = 'desc' }: { endedToo: boolean; at: Date; order?: 'asc' | 'desc' },
  ): Promise<Price[]> {
    return tx.find(
      Price,
      { $and: [{ ...scopeOf(auth), entityType, entityId: { $in: ownerIds }, status: 'published' }, ...(endedToo ? [] : [notEndedAt(at)])] },
      { orderBy: [{ createdAt: order }, { id: order }] },
    );
  }

  /** A page of the list; unless asked for, prices ended at `at` are left out. */
  page(tx: Tx, auth: AuthContext, query: PriceQuery, at: Date): Promise<PageOf<Price>> {
    const where = [...oneOf('id', query.priceIds), ...oneOf('billingPeriod', query.billingPeriods), ...oneOf('entityId', query.entityIds), ...oneOf('meterId', query.meterIds)];
    if (!query.allowExpiredPrices) where.push(notEndedAt(at));
    if (query.planIds?.length) where.push({ entityType: 'PLAN', entityId: { $in: query.planIds } });
    if (query.entityType) where.push({ entityType: query.entityType });
    if (query.parentPriceId) where.push({ parentPriceId: query.parentPriceId });
    if (query.subscriptionId) where.push({ entityType: 'SUBSCRIPTION', entityId: query.subscriptionId });
    if (query.startDateBefore) where.push({ startDate: { $lt: query.startDateBefore } });
    return this.findPage(tx, auth, query, where);
  }

  /** Writes the unit of work's changes now, for a write that needs them stored first (a unique index). */
  flush(tx: Tx): Promise<void> {
    return tx.flush();
  }
}
