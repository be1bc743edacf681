import { createHash } from 'node:crypto';

/**
 * FlexPrice's idempotency key of a tax applied to an invoice: the scope `tax_application`, then the
 * first 8 bytes (16 hex digits) of SHA-256 over the scope and its sorted parameters
 * (`tax_application:entity_id=<invoice>:entity_type=invoice:tax_rate_id=<rate>`). One per (invoice,
 * rate), so applying an invoice's taxes again finds the same records.
 */
export function taxApplicationKey(invoiceId: string, taxRateId: string): string {
  const input = `tax_application:entity_id=${invoiceId}:entity_type=invoice:tax_rate_id=${taxRateId}`;
  return `tax_application-${createHash('sha256').update(input).digest('hex').slice(0, 16)}`;
}
