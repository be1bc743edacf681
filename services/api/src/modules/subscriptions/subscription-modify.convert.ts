import { throwIfProblems, type Problems } from '../../errors/problems.ts';
import { canonicalDecimal } from '../../wire/canonical-decimal.ts';
import type { Schemas } from '../../wire/contract-types.ts';
import { parseDateInput } from '../../wire/date-input.ts';
import { compareDecimals, parseDecimal } from '../../wire/decimal-input.ts';
import { toInvoiceResponse, type InvoiceView } from '../invoices/index.ts';
import { toSubscriptionResponse, type SubscriptionView } from './subscription-response.ts';

/** One line item's new quantity and when it takes effect (null: now). */
export type QuantityChange = { id: string; quantity: string; effectiveDate: Date | null };

/** A modification Tally makes: only quantity changes so far. */
export type ModifyRequest = { type: 'quantity_change'; changes: QuantityChange[] };

const refusedTypes: Record<string, string> = {
  trial_end: 'trial_end is not supported by Tally yet; only quantity_change is',
  coupon: 'coupon is not supported by Tally yet; only quantity_change is',
  tax: 'tax is not supported by Tally yet; only quantity_change is',
  addon: 'addon is not supported by Tally yet (attach addons with POST /subscriptions/addon once built); only quantity_change is',
  inheritance: 'inheritance is not supported: Tally has no customer hierarchies (parent / inherited subscriptions)',
  grouped_invoicing: 'grouped_invoicing is not supported: Tally has no customer hierarchies (grouped invoicing)',
};

export function fromModifyRequest(body: Schemas['ExecuteSubscriptionModifyRequest']): ModifyRequest {
  const errors: Problems = {};
  if (body.type !== 'quantity_change') {
    errors.type = refusedTypes[body.type] ?? 'is not a modification type';
    throwIfProblems(errors);
  }
  if (body.checkout !== undefined) errors.checkout = 'is not supported by Tally (no hosted checkout)';
  const params = body.quantity_change_params;
  if (!params) {
    errors.quantity_change_params = 'is required for type quantity_change';
    throwIfProblems(errors);
  }
  const seen = new Set<string>();
  const changes = params!.line_items.map((l, i) => {
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
  return { type: 'quantity_change', changes };
}

export type ChangedLineItem = { id: string; priceId: string; quantity: string; startDate: Date; endDate: Date | null; action: 'created' | 'ended' };
export type ChangedInvoice = { kind: 'invoice'; invoice: InvoiceView } | { kind: 'wallet_credit'; transactionId: string; amount: string };

/** What a modification did (or, previewed, would do). */
export type ModifyResult = { subscription: SubscriptionView; lineItems: ChangedLineItem[]; invoices: ChangedInvoice[]; preview: boolean };

export function toModifyResponse(r: ModifyResult): Schemas['SubscriptionModifyResponse'] {
  return {
    subscription: toSubscriptionResponse(r.subscription),
    changed_resources: {
      line_items: r.lineItems.map((l) => ({
        id: r.preview ? `(preview-${l.action})` : l.id,
        price_id: l.priceId,
        quantity: canonicalDecimal(l.quantity),
        start_date: l.startDate.toISOString(),
        ...(l.endDate ? { end_date: l.endDate.toISOString() } : {}),
        change_action: l.action,
      })),
      invoices: r.invoices.map((c) => {
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
    },
  };
}
