import type { ProrationBehavior } from '../../billing/invoicing/index.ts';
import { canonicalDecimal } from '../../wire/canonical-decimal.ts';
import { throwIfProblems, type Problems } from '../../errors/problems.ts';
import type { Schemas } from '../../wire/contract-types.ts';
import { parseDateInput } from '../../wire/date-input.ts';
import { toInvoiceResponse, type InvoiceView } from '../invoices/index.ts';
import type { Subscription } from './subscription.entity.ts';

export type CancellationType = Schemas['CancellationType'];
export type CancelInvoicePolicy = Schemas['CancelImmediatelyInvoicePolicy'];

/** A cancellation, as far as the request alone can tell. */
export type CancelRequest = {
  type: CancellationType;
  cancelAt: Date | null;
  prorationBehavior: ProrationBehavior;
  invoicePolicy: CancelInvoicePolicy;
  reason: string | null;
};

export type ProrationDetail = {
  lineItemId: string;
  priceId: string;
  planName: string | null | undefined;
  originalAmount: string;
  creditAmount: string;
  prorationDays: number;
  description: string;
};

/** What a cancellation did. */
export type CancellationResult = {
  subscription: Subscription;
  type: CancellationType;
  effective: Date;
  reason: string | null;
  prorationDetails: ProrationDetail[];
  totalCredit: string;
  invoice?: InvoiceView;
  processedAt: Date;
};

/**
 * FlexPrice spells the invoice policy `cancel_immediately_inovice_policy`; Tally also reads the
 * correct spelling, and refuses the two when they disagree.
 */
export function fromCancelSubscriptionRequest(body: Schemas['CancelSubscriptionRequest']): CancelRequest {
  const errors: Problems = {};
  const cancelAt = body.cancel_at === undefined ? null : parseDateInput(body.cancel_at, 'cancel_at', errors);
  const misspelt = body.cancel_immediately_inovice_policy;
  const spelt = body.cancel_immediately_invoice_policy;
  if (misspelt && spelt && misspelt !== spelt) errors.cancel_immediately_invoice_policy = `disagrees with cancel_immediately_inovice_policy (${misspelt}); send one`;
  const invoicePolicy = misspelt ?? spelt ?? 'skip';
  const prorationBehavior = body.proration_behavior ?? 'none';
  const type = body.cancellation_type;
  if (type === 'scheduled_date' && !cancelAt && errors.cancel_at === undefined) errors.cancel_at = 'is required for a scheduled_date cancellation';
  if (type === 'end_of_period' && cancelAt) errors.cancel_at = 'is not allowed for an end_of_period cancellation (it takes effect at the current period end)';
  if (type !== 'immediate' && prorationBehavior === 'create_prorations') errors.proration_behavior = 'create_prorations applies to immediate cancellations only';
  if (type !== 'immediate' && invoicePolicy === 'generate_invoice') {
    errors[misspelt ? 'cancel_immediately_inovice_policy' : 'cancel_immediately_invoice_policy'] = 'generate_invoice applies to immediate cancellations only; a scheduled one is billed by its period end invoice';
  }
  throwIfProblems(errors);
  return { type, cancelAt: cancelAt ?? null, prorationBehavior, invoicePolicy, reason: body.reason || null };
}

const day = (d: Date) => d.toISOString().slice(0, 10);

function messageOf(r: CancellationResult): string {
  switch (r.type) {
    case 'immediate':
      return r.totalCredit !== '0' ? `Subscription cancelled immediately with ${r.totalCredit} credit for unused time` : 'Subscription cancelled immediately';
    case 'end_of_period':
      return `Subscription will be cancelled at the end of the current period (${day(r.effective)})`;
    case 'scheduled_date':
      return `Subscription end date set to ${day(r.effective)}`;
  }
}

export function toCancelSubscriptionResponse(r: CancellationResult): Schemas['CancelSubscriptionResponse'] {
  return {
    subscription_id: r.subscription.id,
    cancellation_type: r.type,
    effective_date: r.effective.toISOString(),
    status: r.subscription.subscriptionStatus,
    ...(r.reason ? { reason: r.reason } : {}),
    ...(r.invoice ? { proration_invoice: toInvoiceResponse(r.invoice) } : {}),
    proration_details: r.prorationDetails.map((d) => ({
      line_item_id: d.lineItemId,
      price_id: d.priceId,
      ...(d.planName ? { plan_name: d.planName } : {}),
      original_amount: canonicalDecimal(d.originalAmount),
      credit_amount: canonicalDecimal(d.creditAmount),
      charge_amount: '0',
      proration_days: d.prorationDays,
      description: d.description,
    })),
    total_credit_amount: canonicalDecimal(r.totalCredit),
    message: messageOf(r),
    processed_at: r.processedAt.toISOString(),
  };
}
