import { scopeOf, type AuthContext } from '../../auth-context.ts';
import { RecordRepo } from '../../db/record-repo.ts';
import type { Tx } from '../../db/transactions.ts';
import { AddonAssociation } from './addon-association.entity.ts';

/** Every query of addon associations (addons attached to subscriptions). */
export class AddonAssociationRepo extends RecordRepo<AddonAssociation> {
  constructor() {
    super(AddonAssociation, {}, 'addon association');
  }

  /** The subscriptions' published associations, oldest first. */
  ofSubscriptions(tx: Tx, auth: AuthContext, subscriptionIds: string[]): Promise<AddonAssociation[]> {
    if (!subscriptionIds.length) return Promise.resolve([]);
    return tx.find(AddonAssociation, { ...scopeOf(auth), entityType: 'subscription', entityId: { $in: subscriptionIds }, status: 'published' }, { orderBy: [{ startDate: 'asc' }, { id: 'asc' }] });
  }

  /** How many `active` associations of this addon have not ended at `at`. */
  liveOfAddon(tx: Tx, auth: AuthContext, addonId: string, at: Date): Promise<number> {
    return tx.count(AddonAssociation, { ...scopeOf(auth), addonId, status: 'published', addonStatus: 'active', $or: [{ endDate: null }, { endDate: { $gt: at } }] });
  }
}

/** Live at `at`: started, and not ended (a removal's future effective date still counts). */
export const isLiveAt = (a: Pick<AddonAssociation, 'startDate' | 'endDate' | 'status'>, at: Date): boolean =>
  a.status === 'published' && a.startDate <= at && (!a.endDate || a.endDate > at);
