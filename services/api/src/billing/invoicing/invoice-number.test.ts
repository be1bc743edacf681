import { describe, expect, it } from 'vitest';
import { defaultInvoiceNumberConfig, invoiceNumber, invoiceNumberDate, type InvoiceNumberConfig, type InvoiceNumberFormat } from './invoice-number.ts';

const at = new Date('2026-08-31T22:30:00Z');

describe('invoiceNumber: <prefix><sep><date><sep><zero-padded sequence>', () => {
  it.each<[string, Partial<InvoiceNumberConfig>, number, string]>([
    ['the defaults: INV, -, YYYYMM in UTC, 5 digits', {}, 1, 'INV-202608-00001'],
    ['YYYYMMDD', { format: 'YYYYMMDD' }, 42, 'INV-20260831-00042'],
    ['YYMMDD', { format: 'YYMMDD' }, 7, 'INV-260831-00007'],
    ['YY', { format: 'YY' }, 7, 'INV-26-00007'],
    ['YYYY', { format: 'YYYY' }, 7, 'INV-2026-00007'],
    ['in Kolkata it is already September 1st', { format: 'YYYYMMDD', timezone: 'Asia/Kolkata' }, 1, 'INV-20260901-00001'],
    ['a prefix, a separator and a shorter suffix of the tenant’s', { prefix: 'ACME', separator: '/', suffixLength: 3 }, 12, 'ACME/202608/012'],
    ['a sequence longer than the suffix keeps its digits', {}, 1234567, 'INV-202608-1234567'],
  ])('%s', (_case, config, sequence, number) => {
    expect(invoiceNumber(at, sequence, { ...defaultInvoiceNumberConfig, ...config })).toBe(number);
  });

  it('uses the defaults when given no config', () => {
    expect(invoiceNumber(new Date('2026-08-01T00:00:00Z'), 1)).toBe('INV-202608-00001');
  });

  it.each<[InvoiceNumberFormat, string]>([
    ['YYYYMM', '202608'],
    ['YYYYMMDD', '20260831'],
    ['YYMMDD', '260831'],
    ['YY', '26'],
    ['YYYY', '2026'],
  ])('the %s date part, also the bucket the sequence restarts in: %s', (format, date) => {
    expect(invoiceNumberDate(format, at, 'UTC')).toBe(date);
  });

  it.each<[string, () => unknown]>([
    ['a sequence of 0', () => invoiceNumber(at, 0)],
    ['a fractional sequence', () => invoiceNumber(at, 1.5)],
    ['a suffix length of 0', () => invoiceNumber(at, 1, { ...defaultInvoiceNumberConfig, suffixLength: 0 })],
    ['an unknown zone', () => invoiceNumber(at, 1, { ...defaultInvoiceNumberConfig, timezone: 'Mars/Olympus' })],
  ])('refuses %s', (_case, run) => {
    expect(run).toThrow(RangeError);
  });
});
