import { invalidFields } from '../../errors/app-error.ts';
import { throwIfProblems, type Problems } from '../../errors/problems.ts';
import { canonicalDecimal } from '../../wire/canonical-decimal.ts';
import type { Schemas } from '../../wire/contract-types.ts';
import { parseDateInput } from '../../wire/date-input.ts';
import { compareDecimals, parseDecimal } from '../../wire/decimal-input.ts';
import { toInvoiceResponse, type InvoiceView } from '../invoices/index.ts';
import { toTaxAssociationResponse, type TaxAssociation } from '../taxes/index.ts';
import { fromCouponParams, fromTaxParams, fromTrialEndParams, type CouponChange, type TaxChange, type TrialEndChange } from './subscription-modify-params.convert.ts';
import { toSubscriptionResponse, type SubscriptionView } from './subscription-response.ts';

/** One line item's new quantity and when it takes effect (null: now). */
export type QuantityChange = { id: string; quantity: string; effectiveDate: Date | null };

/** A modification Tally makes: one type, with its parameters. */
export type ModifyRequest =
  | { type: 'quantity_change'; changes: QuantityChange[] }
  | { type: 'trial_end'; change: TrialEndChange }
  | { type: 'coupon'; change: CouponChange }
  | { type: 'tax'; change: TaxChange };

const refusedTypes: Record<string, string> = {
  inheritance: 'inheritance is not supported: Tally has no customer hierarchies (parent / inherited subscriptions)',
  grouped_invoicing: 'grouped_invoicing is not supported: Tally has no customer hierarchies (grouped invoicing)',
};

/** The request, read: each type one branch, reading its own parameters object. */
export function fromModifyRequest(body: Schemas['ExecuteSubscriptionModifyRequest']): ModifyRequest {
  if (refusedTypes[body.type] !== undefined) throwIfProblems({ type: refusedTypes[body.type]! });
  if (body.checkout !== undefined) throwIfProblems({ checkout: 'is not supported by Tally (no hosted checkout)' });
  switch (body.type) {
    case 'quantity_change':
      return { type: 'quantity_change', changes: fromQuantityChangeParams(body.quantity_change_params) };
    case 'trial_end':
      return { type: 'trial_end', change: fromTrialEndParams(body.trial_end_params) };
    case 'coupon':
      return { type: 'coupon', change: fromCouponParams(body.coupon_params) };
    case 'tax':
      return { type: 'tax', change: fromTaxParams(body.tax_params) };
    default:
      throw invalidFields({ type: 'is not a modification type' });
  }
}

function fromQuantityChangeParams(params: Schemas['ExecuteSubscriptionModifyRequest']['quantity_change_params']): QuantityChange[] {
  if (!params) throw invalidFields({ quantity_change_params: 'is required for type quantity_change' });
  const errors: Problems = {};
  const seen = new Set<string>();
  const changes = params.line_items.map((l, i) => {
    const f = (field: string) => `quantity_change_params.line_items[${i}].${field}`;
    if (seen.has(l.id)) errors[f('id')] = 'names the same line item a second time';
    seen.add(l.id);
    let quantity = '0';
    const parsed = parseDecimal(l.quantity);
    if ('problem' in parsed) errors[f('quantity')] = parsed.problem;
    else if (compareDecimals(parsed.value, '0') < 0) errors[f('quantity')] = 'must be at least 0';
    else quantity = parsed.value;
    return { id: l.id, quantity, effectiveDate: parseDateInput(l.effective_date, f('effective_date'), errors) };
  });
  throwIfProblems(errors);
  return changes;
}

export type ChangedLineItem = { id: string; priceId: string; quantity: string; startDate: Date; endDate: Date | null; action: 'created' | 'ended' };
export type ChangedInvoice = { kind: 'invoice'; invoice: InvoiceView } | { kind: 'wallet_credit'; transactionId: string; amount: string };

export type ChangedSubscription = { id: string; action: 'updated'; status: string; trialEnd: Date | null; currentPeriodEnd: Date };

/** What one type's use case changed (nothing of a kind: left out). */
export type ModifyOutcome = { lineItems?: ChangedLineItem[]; invoices?: ChangedInvoice[]; subscriptions?: ChangedSubscription[]; taxAssociations?: { association: TaxAssociation; created: boolean }[] };

/** What a modification did (or, previewed, would do). */
export type ModifyResult = ModifyOutcome & { subscription: SubscriptionView; preview: boolean };

export function toModifyResponse(r: ModifyResult): Schemas['SubscriptionModifyResponse'] {
  return {
    subscription: toSubscriptionResponse(r.subscription),
    changed_resources: {
      line_items: (r.lineItems ?? []).map((l) => ({
        id: r.preview ? `(preview-${l.action})` : l.id,
        price_id: l.priceId,
        quantity: canonicalDecimal(l.quantity),
        start_date: l.startDate.toISOString(),
        ...(l.endDate ? { end_date: l.endDate.toISOString() } : {}),
        change_action: l.action,
      })),
      invoices: (r.invoices ?? []).map((c) => {
        if (c.kind === 'wallet_credit') {
          return { id: r.preview ? '(wallet_credit)' : c.transactionId, action: 'wallet_credit' as const, status: r.preview ? 'preview' : 'issued', amount: canonicalDecimal(c.amount) };
        }
        // A preview's invoice was never kept: it has no id and no number.
        const invoice = r.preview ? { ...toInvoiceResponse(c.invoice), id: '(preview)', invoice_number: null } : toInvoiceResponse(c.invoice);
        return {
          id: r.preview ? '(preview)' : c.invoice.invoice.id,
          action: 'created' as const,
          status: r.preview ? 'preview' : c.invoice.invoice.paymentStatus,
          amount: canonicalDecimal(c.invoice.invoice.amountDue),
          invoice,
        };
      }),
      ...(r.subscriptions?.length
        ? {
            subscriptions: r.subscriptions.map((c) => ({
              id: c.id,
              action: c.action,
              status: c.status as Schemas['ChangedSubscription']['status'],
              current_period_end: c.currentPeriodEnd.toISOString(),
              ...(c.trialEnd ? { trial_end: c.trialEnd.toISOString() } : {}),
            })),
          }
        : {}),
      // A preview's new association was never kept: its id reads (preview).
      ...(r.taxAssociations?.length
        ? { tax_associations: r.taxAssociations.map(({ association, created }) => ({ ...toTaxAssociationResponse(association), ...(r.preview && created ? { id: '(preview)' } : {}) })) }
        : {}),
    },
  };
}
