import type { AuthContext } from '../../auth-context.ts';
import type { PageOf } from '../../db/find-page.ts';
import { RecordRepo } from '../../db/record-repo.ts';
import type { Tx } from '../../db/transactions.ts';
import { oneOf } from '../../listing/list-where.ts';
import { SubscriptionLineItem } from './subscription-line-item.entity.ts';
import type { LineItemQuery } from './subscription-line-item.convert.ts';
import { lineItemSearchFields } from './subscription-line-item.search.ts';

/** Subscription line items read one by one and searched (their subscription's queries are in SubscriptionRepo). */
export class SubscriptionLineItemRepo extends RecordRepo<SubscriptionLineItem> {
  constructor() {
    super(SubscriptionLineItem, lineItemSearchFields, 'subscription line item');
  }

  page(tx: Tx, auth: AuthContext, query: LineItemQuery, now: Date): Promise<PageOf<SubscriptionLineItem>> {
    const where = [
      ...oneOf('id', query.ids),
      ...oneOf('subscriptionId', query.subscriptionIds),
      ...oneOf('customerId', query.customerIds),
      ...oneOf('priceId', query.priceIds),
      ...oneOf('meterId', query.meterIds),
      ...oneOf('currency', query.currencies),
      ...oneOf('billingPeriod', query.billingPeriods),
      ...oneOf('entityId', query.entityIds),
    ];
    if (query.entityType) where.push({ entityType: query.entityType });
    where.push(...oneOf('addonAssociationId', query.addonAssociationIds));
    if (query.activeOnly) where.push({ $or: [{ endDate: null }, { endDate: { $gt: now } }] });
    if (query.currentPeriodStart) where.push({ $or: [{ endDate: null }, { endDate: { $gt: query.currentPeriodStart } }] });
    return this.findPage(tx, auth, query, where);
  }
}
