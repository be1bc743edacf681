import type { RequiredEntityData } from '@mikro-orm/core';
import { scopeOf, type AuthContext } from '../../auth-context.ts';
import { copyRow } from '../../db/copy-row.ts';
import { findPage, type PageOf } from '../../db/find-page.ts';
import type { Tx } from '../../db/transactions.ts';
import { listConditions } from '../../listing/list-where.ts';
import type { PriceQuery } from './price.convert.ts';
import { Price, type PriceEntityType } from './price.entity.ts';
import { priceSearchFields } from './price.search.ts';

/** A price has ended once its `end_date` is at or before `at`; one ending later still counts. */
const notEndedAt = (at: Date) => ({ $or: [{ endDate: null }, { endDate: { $gt: at } }] });

/** Published and not ended at `at`: what "active" means for lookup keys, limits, embedding and unit deletion. */
const activeAt = (at: Date) => ({ status: 'published', ...notEndedAt(at) });

/** How other modules read prices: in their own unit of work, within the caller's environment. */
export type PriceReader = {
  /**
   * The published prices of these plans or addons, newest first (as FlexPrice lists them) unless
   * `order` says otherwise; those ended at `at` only with `endedToo`.
   */
  forOwners(tx: Tx, auth: AuthContext, entityType: PriceEntityType, ownerIds: string[], options: { endedToo: boolean; at: Date; order?: 'asc' | 'desc' }): Promise<Price[]>;
  /** How many prices active at `at` are in this unit. */
  usesPriceUnit(tx: Tx, auth: AuthContext, unitId: string, at: Date): Promise<number>;
};

/** Every query of prices, always within the caller's environment. */
export class PriceRepo implements PriceReader {
  /** Any status, ended prices included. */
  get(tx: Tx, auth: AuthContext, id: string): Promise<Price | null> {
    return tx.findOne(Price, { ...scopeOf(auth), id });
  }

  /** The active price with this lookup key (the latest to start, should there be several). */
  activeByLookupKey(tx: Tx, auth: AuthContext, lookupKey: string, at: Date): Promise<Price | null> {
    return tx.findOne(Price, { ...scopeOf(auth), lookupKey, ...activeAt(at) }, { orderBy: { startDate: 'desc' } });
  }

  async isLookupKeyActive(tx: Tx, auth: AuthContext, lookupKey: string, at: Date, exceptId?: string): Promise<boolean> {
    return (await tx.count(Price, { ...scopeOf(auth), lookupKey, ...activeAt(at), ...(exceptId ? { id: { $ne: exceptId } } : {}) })) > 0;
  }

  countActiveOf(tx: Tx, auth: AuthContext, entityType: PriceEntityType, entityId: string, at: Date): Promise<number> {
    return tx.count(Price, { ...scopeOf(auth), entityType, entityId, ...activeAt(at) });
  }

  usesPriceUnit(tx: Tx, auth: AuthContext, unitId: string, at: Date): Promise<number> {
    return tx.count(Price, { ...scopeOf(auth), priceUnitId: unitId, ...activeAt(at) });
  }

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
    const where: Record<string, unknown>[] = [scopeOf(auth)];
    if (!query.allowExpiredPrices) where.push(notEndedAt(at));
    if (query.priceIds?.length) where.push({ id: { $in: query.priceIds } });
    if (query.billingPeriods?.length) where.push({ billingPeriod: { $in: query.billingPeriods } });
    if (query.planIds?.length) where.push({ entityType: 'PLAN', entityId: { $in: query.planIds } });
    if (query.entityType) where.push({ entityType: query.entityType });
    if (query.entityIds?.length) where.push({ entityId: { $in: query.entityIds } });
    if (query.meterIds?.length) where.push({ meterId: { $in: query.meterIds } });
    if (query.parentPriceId) where.push({ parentPriceId: query.parentPriceId });
    // Tally has no subscription prices: a subscription filter matches nothing.
    if (query.subscriptionId) where.push({ entityType: 'SUBSCRIPTION', entityId: query.subscriptionId });
    if (query.startDateBefore) where.push({ startDate: { $lt: query.startDateBefore } });
    return findPage(tx, Price, listConditions(query, priceSearchFields, 'price'), query.page, where);
  }

  /** Stored when the unit of work commits. */
  add(tx: Tx, price: RequiredEntityData<Price>): Price {
    return tx.create(Price, price);
  }

  /** A copy of every column of `source` with `overrides` on top, stored when the unit of work commits. */
  addCopy(tx: Tx, source: Price, overrides: Partial<Record<keyof Price, unknown>>): Price {
    return tx.create(Price, copyRow(tx, Price, source, overrides));
  }

  /** Writes the unit of work's changes now, for a write that needs them stored first (a unique index). */
  flush(tx: Tx): Promise<void> {
    return tx.flush();
  }
}
