import { scopeOf } from '../../auth-context.ts';
import { AppError } from '../../errors/app-error.ts';
import type { FeatureDeletionGuard } from '../features/index.ts';
import { Entitlement, type EntitlementEntityType } from './entitlement.entity.ts';

/**
 * Given to FeatureService: refuses to delete a feature that a published entitlement grants (400
 * `invalid_operation`, as FlexPrice), naming the plans and addons that hold it. Runs inside the
 * feature's deletion transaction.
 */
export const refuseFeatureWithEntitlements: FeatureDeletionGuard = async (em, auth, feature) => {
  const linked = await em.find(
    Entitlement,
    { ...scopeOf(auth), featureId: feature.id, status: 'published' },
    { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], limit: 1000 },
  );
  if (!linked.length) return;
  const idsOf = (type: EntitlementEntityType) => [...new Set(linked.filter((e) => e.entityType === type).map((e) => e.entityId))];
  const plans = idsOf('PLAN');
  const addons = idsOf('ADDON');
  const named = [plans.length ? `plans ${plans.join(', ')}` : '', addons.length ? `addons ${addons.join(', ')}` : ''].filter(Boolean);
  throw new AppError(
    'invalid_operation',
    `Feature is linked to some plans, please remove the feature from the plans first (feature ${feature.id} is granted by ${named.join('; ')})`,
    { feature_id: feature.id, plan_ids: plans, addon_ids: addons },
  );
};
