import type { RequiredEntityData } from '@mikro-orm/core';
import { scopeOf, type AuthContext } from '../../auth-context.ts';
import { copyRow } from '../../db/copy-row.ts';
import { findPage, type PageOf } from '../../db/find-page.ts';
import type { Tx } from '../../db/transactions.ts';
import { listConditions } from '../../listing/list-where.ts';
import type { EntitlementQuery } from './entitlement.convert.ts';
import { Entitlement, type EntitlementEntityType } from './entitlement.entity.ts';
import { entitlementSearchFields } from './entitlement.search.ts';

/** The plan, addon or subscription and the feature an entitlement joins. */
export type EntitlementKey = { entityType: EntitlementEntityType; entityId: string; featureId: string };

/** Every query of entitlements, always within the caller's environment. */
export class EntitlementRepo {
  /** Any status. */
  get(tx: Tx, auth: AuthContext, id: string): Promise<Entitlement | null> {
    return tx.findOne(Entitlement, { ...scopeOf(auth), id });
  }

  page(tx: Tx, auth: AuthContext, query: EntitlementQuery): Promise<PageOf<Entitlement>> {
    const where: Record<string, unknown>[] = [scopeOf(auth)];
    if (query.entityType) where.push({ entityType: query.entityType });
    if (query.entityIds?.length) where.push({ entityId: { $in: query.entityIds } });
    if (query.featureIds?.length) where.push({ featureId: { $in: query.featureIds } });
    if (query.featureType) where.push({ featureType: query.featureType });
    if (query.isEnabled !== undefined) where.push({ isEnabled: query.isEnabled });
    if (query.planIds?.length) where.push({ entityType: 'PLAN', entityId: { $in: query.planIds } });
    if (query.hasGrantConfig !== undefined) where.push({ grantQuota: query.hasGrantConfig ? { $ne: null } : null });
    return findPage(tx, Entitlement, listConditions(query, entitlementSearchFields, 'entitlement'), query.page, where);
  }

  /** The published entitlements of these plans or addons, newest first unless `order` says otherwise. */
  forOwners(tx: Tx, auth: AuthContext, entityType: EntitlementEntityType, ownerIds: string[], order: 'asc' | 'desc' = 'desc'): Promise<Entitlement[]> {
    return tx.find(
      Entitlement,
      { ...scopeOf(auth), entityType, entityId: { $in: ownerIds }, status: 'published' },
      { orderBy: [{ createdAt: order }, { id: order }] },
    );
  }

  /** The published entitlements granting this feature, oldest first (at most 1000: enough to name who holds it). */
  grantingFeature(tx: Tx, auth: AuthContext, featureId: string): Promise<Entitlement[]> {
    return tx.find(Entitlement, { ...scopeOf(auth), featureId, status: 'published' }, { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], limit: 1000 });
  }

  /** A published, non-parallel entitlement with this key, other than `exceptId`. */
  findTwin(tx: Tx, auth: AuthContext, key: EntitlementKey, exceptId?: string): Promise<Entitlement | null> {
    return tx.findOne(Entitlement, {
      ...scopeOf(auth),
      entityType: key.entityType,
      entityId: key.entityId,
      featureId: key.featureId,
      status: 'published',
      $or: [{ aggregationMode: null }, { aggregationMode: { $ne: 'parallel' } }],
      ...(exceptId ? { id: { $ne: exceptId } } : {}),
    });
  }

  /** Stored when the unit of work commits. */
  add(tx: Tx, entitlement: RequiredEntityData<Entitlement>): Entitlement {
    return tx.create(Entitlement, entitlement);
  }

  /** A copy of every column of `source` with `overrides` on top, stored when the unit of work commits. */
  addCopy(tx: Tx, source: Entitlement, overrides: Partial<Record<keyof Entitlement, unknown>>): Entitlement {
    return tx.create(Entitlement, copyRow(tx, Entitlement, source, overrides));
  }
}
