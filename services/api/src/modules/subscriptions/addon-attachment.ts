import type { ProrationBehavior } from '../../billing/invoicing/index.ts';
import type { Problems } from '../../errors/problems.ts';
import type { Schemas } from '../../wire/contract-types.ts';
import { parseDateInput } from '../../wire/date-input.ts';
import type { AddonCadence } from './addon-association.entity.ts';

/** An addon to attach, as far as the request alone can tell; problems are named under its `prefix`. */
export type NewAddonAttachment = {
  addonId: string;
  cadence: AddonCadence;
  prorationBehavior: ProrationBehavior;
  startDate: Date | null;
  metadata: Record<string, unknown>;
};

export type AddonRemoval = { associationId: string; reason: string | null; prorationBehavior: ProrationBehavior; effectiveDate: Date | null };

const notSupported = 'is not supported by Tally yet';

/** An AddAddonToSubscriptionRequest: the attach route's body without its subscription and checkout. */
export type AddonAttachmentBody = Omit<Schemas['AddAddonRequest'], 'subscription_id' | 'checkout'>;

/** One addon to attach (the attach route's body, an entry of a subscription's `addons`, modify's `addon_params.add`); problems named under `prefix`. */
export function readAddonAttachment(body: AddonAttachmentBody, prefix: string, errors: Problems): NewAddonAttachment {
  if (body.override_line_items?.length) errors[`${prefix}override_line_items`] = notSupported;
  if (body.line_item_commitments && Object.keys(body.line_item_commitments).length) errors[`${prefix}line_item_commitments`] = notSupported;
  return {
    addonId: body.addon_id,
    cadence: body.cadence ?? 'recurring',
    prorationBehavior: body.proration_behavior ?? 'none',
    startDate: parseDateInput(body.start_date, `${prefix}start_date`, errors),
    metadata: body.metadata ?? {},
  };
}

