import type { AuthContext } from '../../auth-context.ts';
import type { Tx } from '../../db/transactions.ts';
import { AppError } from '../../errors/app-error.ts';
import { touch } from '../../records.ts';
import type { SubscriptionTaxLinks } from '../taxes/index.ts';
import { record } from '../webhooks/index.ts';
import type { TaxChange } from './subscription-modify-params.convert.ts';
import type { ModifyOutcome } from './subscription-modify.convert.ts';
import type { Subscription } from './subscription.entity.ts';
import { subscriptionEvent } from './subscription.webhook.ts';

export type TaxModifyFaces = { taxLinks: SubscriptionTaxLinks };

/**
 * `type: tax`, as FlexPrice's: `add` links an ACTIVE tax rate to the subscription from `effective_date`
 * (default now) — an auto-applied association at priority 100 in the subscription's currency, which
 * (being the subscription's own) decides its invoices' taxes with its other links; `remove` ends one of
 * the subscription's links at `effective_date` (default now). Invoices finalized from then on are taxed
 * accordingly. Announced by `subscription.updated`.
 */
export async function modifyTax(tx: Tx, auth: AuthContext, sub: Subscription, change: TaxChange, now: Date, faces: TaxModifyFaces): Promise<ModifyOutcome> {
  const at = change.effectiveDate ?? now;
  let association;
  if (change.action === 'add') {
    if (sub.subscriptionStatus === 'cancelled') throw new AppError('invalid_operation', `subscription ${sub.id} is cancelled: no tax rate can be linked to it`, { type: 'tax' });
    association = await faces.taxLinks.link(tx, auth, { subscriptionId: sub.id, currency: sub.currency, taxRateId: change.taxRateId, at, now });
  } else {
    association = await faces.taxLinks.end(tx, auth, { subscriptionId: sub.id, associationId: change.associationId, at, now });
  }
  sub.version += 1;
  touch(sub, auth, now);
  await record(tx, auth, subscriptionEvent('subscription.updated', sub, now));
  return { taxAssociations: [{ association, created: change.action === 'add' }] };
}
