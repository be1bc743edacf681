import { throwIfProblems, type Problems } from '../../errors/problems.ts';
import type { Schemas } from '../../wire/contract-types.ts';
import { parseDateInput } from '../../wire/date-input.ts';
import { recordFields } from '../../wire/record-fields.ts';
import { withoutUndefined } from '../../wire/without-undefined.ts';
import { toAddonResponse } from '../addons/index.ts';
import { toInvoiceResponse } from '../invoices/index.ts';
import type { AssociationView, AttachedAddon } from './subscription-addons.ts';
import { readAddonAttachment, type AddonRemoval, type NewAddonAttachment } from './addon-attachment.ts';

export function fromAddAddonRequest(body: Schemas['AddAddonRequest']): { subscriptionId: string; attachment: NewAddonAttachment } {
  const errors: Problems = {};
  if (body.checkout !== undefined) errors.checkout = 'is not supported by Tally (a pay-first attach needs a payment gateway)';
  const attachment = readAddonAttachment(body, '', errors);
  throwIfProblems(errors);
  return { subscriptionId: body.subscription_id, attachment };
}

export function fromRemoveAddonRequest(body: Schemas['RemoveAddonRequest']): AddonRemoval {
  const errors: Problems = {};
  const effectiveDate = parseDateInput(body.effective_date, 'effective_date', errors);
  throwIfProblems(errors);
  return { associationId: body.addon_association_id, reason: body.reason || null, prorationBehavior: body.proration_behavior ?? 'none', effectiveDate };
}

export function toAddonAssociationResponse({ association: a, addon }: AssociationView): Schemas['AddonAssociationResponse'] {
  return withoutUndefined({
    id: a.id,
    entity_id: a.entityId,
    entity_type: a.entityType,
    addon_id: a.addonId,
    start_date: a.startDate.toISOString(),
    end_date: a.endDate?.toISOString(),
    addon_status: a.addonStatus,
    cancellation_reason: a.cancellationReason ?? undefined,
    cancelled_at: a.cancelledAt?.toISOString(),
    metadata: a.metadata ?? {},
    ...recordFields(a),
    addon: addon ? toAddonResponse(addon) : undefined,
  });
}

export function toAddAddonResponse({ association, invoice }: AttachedAddon): Schemas['AddAddonToSubscriptionResponse'] {
  return { ...toAddonAssociationResponse({ association }), ...(invoice ? { invoice: toInvoiceResponse(invoice) } : {}) };
}
