import { scopeOf, type AuthContext } from '../../auth-context.ts';
import { RecordRepo } from '../../db/record-repo.ts';
import type { Tx } from '../../db/transactions.ts';
import { AddonAssociation } from './addon-association.entity.ts';

/** Every query of addon associations (addons attached to subscriptions). */
export class AddonAssociationRepo extends RecordRepo<AddonAssociation> {
  constructor() {
    super(AddonAssociation, {}, 'addon association');
  }

  /** The association as stored now (not as this unit of work first read it): read again once its subscription is locked. */
  fresh(tx: Tx, auth: AuthContext, id: string): Promise<AddonAssociation | null> {
    return tx.findOne(AddonAssociation, { ...scopeOf(auth), id }, { refresh: true });
  }

  /** The subscriptions' published associations, in the order they were made. */
  ofSubscriptions(tx: Tx, auth: AuthContext, subscriptionIds: string[]): Promise<AddonAssociation[]> {
    if (!subscriptionIds.length) return Promise.resolve([]);
    return tx.find(AddonAssociation, { ...scopeOf(auth), entityType: 'subscription', entityId: { $in: subscriptionIds }, status: 'published' }, { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  }

  /** How many `active` associations of this addon have not ended at `at`. */
  liveOfAddon(tx: Tx, auth: AuthContext, addonId: string, at: Date): Promise<number> {
    return tx.count(AddonAssociation, { ...scopeOf(auth), addonId, status: 'published', addonStatus: 'active', $or: [{ endDate: null }, { endDate: { $gt: at } }] });
  }
}

/**
 * An association the subscription holds now, as FlexPrice selects them: `active` (a removal cancels it
 * at once, whatever its effective date) and overlapping the subscription's current period.
 */
export const isCurrent = (a: Pick<AddonAssociation, 'startDate' | 'endDate' | 'addonStatus'>, sub: { currentPeriodStart: Date; currentPeriodEnd: Date }): boolean =>
  a.addonStatus === 'active' && a.startDate < sub.currentPeriodEnd && (!a.endDate || a.endDate > sub.currentPeriodStart);
