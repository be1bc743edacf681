import { DateTime } from 'luxon';

/** FlexPrice's subscription `payment_terms`, spelled as the wire spells them. */
export const paymentTerms = ['15 NET', '30 NET', '45 NET', '60 NET', '75 NET', '90 NET'] as const;
export type PaymentTerms = (typeof paymentTerms)[number];

/** FlexPrice's default `invoice_config.due_date_days`. */
export const defaultDueDateDays = 1;

/** The days a payment term allows: `30 NET` → 30. */
export function paymentTermDays(terms: PaymentTerms): number {
  return Number.parseInt(terms, 10);
}

/**
 * A subscription invoice's due date (docs/flexprice-compatibility.md#invoices): its period end plus
 * the subscription's payment terms in days, or the tenant's default (1 day) without terms. Days are
 * counted on the wall clock of `timezone`, so the due date keeps the period end's local time.
 */
export function invoiceDueDate(periodEnd: Date, terms: PaymentTerms | null, timezone = 'UTC', dueDateDays = defaultDueDateDays): Date {
  const days = terms === null ? dueDateDays : paymentTermDays(terms);
  if (!Number.isSafeInteger(days) || days < 0) throw new RangeError(`due days must be a whole number ≥ 0, got ${days}`);
  const local = DateTime.fromJSDate(periodEnd, { zone: timezone });
  if (!local.isValid) throw new RangeError(`unknown time zone '${timezone}'`);
  return local.plus({ days }).toJSDate();
}
