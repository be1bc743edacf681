import { DateTime } from 'luxon';

/** The date part formats of FlexPrice's `invoice_config.format`. */
export const invoiceNumberFormats = ['YYYYMM', 'YYYYMMDD', 'YYMMDD', 'YY', 'YYYY'] as const;
export type InvoiceNumberFormat = (typeof invoiceNumberFormats)[number];

/** The tenant's invoice numbering (FlexPrice's `invoice_config`). */
export type InvoiceNumberConfig = { prefix: string; separator: string; format: InvoiceNumberFormat; timezone: string; suffixLength: number };

export const defaultInvoiceNumberConfig: InvoiceNumberConfig = { prefix: 'INV', separator: '-', format: 'YYYYMM', timezone: 'UTC', suffixLength: 5 };

const luxonFormats: Record<InvoiceNumberFormat, string> = { YYYYMM: 'yyyyMM', YYYYMMDD: 'yyyyMMdd', YYMMDD: 'yyMMdd', YY: 'yy', YYYY: 'yyyy' };

/**
 * The date part of an invoice number for an invoice finalized at `at`, on the wall clock of
 * `timezone`. It is also the bucket the sequence counts in: the sequence restarts for each new
 * month with YYYYMM, each new day with YYYYMMDD.
 */
export function invoiceNumberDate(format: InvoiceNumberFormat, at: Date, timezone: string): string {
  const local = DateTime.fromJSDate(at, { zone: timezone });
  if (!local.isValid) throw new RangeError(`unknown time zone '${timezone}'`);
  return local.toFormat(luxonFormats[format]);
}

/**
 * An invoice number (docs/flexprice-compatibility.md#invoices): `<prefix><sep><date><sep><sequence>`,
 * the sequence zero-padded to `suffixLength` digits (longer sequences keep all their digits).
 * `INV-202608-00001`. Allocating the sequence, gap-free over finalized invoices, is the database's job.
 */
export function invoiceNumber(at: Date, sequence: number, config: InvoiceNumberConfig = defaultInvoiceNumberConfig): string {
  if (!Number.isSafeInteger(sequence) || sequence < 1) throw new RangeError(`an invoice sequence is a whole number ≥ 1, got ${sequence}`);
  if (!Number.isSafeInteger(config.suffixLength) || config.suffixLength < 1) throw new RangeError('suffix_length must be a whole number ≥ 1');
  const { prefix, separator, format, timezone, suffixLength } = config;
  return `${prefix}${separator}${invoiceNumberDate(format, at, timezone)}${separator}${String(sequence).padStart(suffixLength, '0')}`;
}
