import { scopeOf, type AuthContext } from '../../auth-context.ts';
import type { PageOf } from '../../db/find-page.ts';
import { RecordRepo } from '../../db/record-repo.ts';
import type { Tx } from '../../db/transactions.ts';
import type { EntitlementQuery } from './entitlement.convert.ts';
import { Entitlement, type EntitlementEntityType } from './entitlement.entity.ts';
import { entitlementSearchFields } from './entitlement.search.ts';
import { oneOf } from '../../listing/list-where.ts';

/** The plan, addon or subscription and the feature an entitlement joins. */
export type EntitlementKey = { entityType: EntitlementEntityType; entityId: string; featureId: string };

/** Every query of entitlements. */
export class EntitlementRepo extends RecordRepo<Entitlement> {
  constructor() {
    super(Entitlement, entitlementSearchFields, 'entitlement');
  }

  page(tx: Tx, auth: AuthContext, query: EntitlementQuery): Promise<PageOf<Entitlement>> {
    const where = [...oneOf('entityId', query.entityIds), ...oneOf('featureId', query.featureIds)];
    if (query.entityType) where.push({ entityType: query.entityType });
    if (query.featureType) where.push({ featureType: query.featureType });
    if (query.isEnabled !== undefined) where.push({ isEnabled: query.isEnabled });
    if (query.planIds?.length) where.push({ entityType: 'PLAN', entityId: { $in: query.planIds } });
    if (query.hasGrantConfig !== undefined) where.push({ grantQuota: query.hasGrantConfig ? { $ne: null } : null });
    return this.findPage(tx, auth, query, where);
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
}
