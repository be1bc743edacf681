import { describe, expect, it } from 'vitest';
import { invoiceDueDate, paymentTermDays, paymentTerms, type PaymentTerms } from './due-date.ts';

describe('invoiceDueDate: period end + payment terms, else the default of 1 day', () => {
  it.each<[string, string, PaymentTerms | null, string | undefined, string]>([
    ['no terms: one day', '2026-02-01T00:00:00Z', null, undefined, '2026-02-02T00:00:00.000Z'],
    ['15 NET', '2026-02-01T00:00:00Z', '15 NET', undefined, '2026-02-16T00:00:00.000Z'],
    ['30 NET across February', '2026-02-01T00:00:00Z', '30 NET', undefined, '2026-03-03T00:00:00.000Z'],
    ['90 NET', '2026-01-31T10:00:00Z', '90 NET', undefined, '2026-05-01T10:00:00.000Z'],
    ['days on the customer’s wall clock: 15 NET across New York’s DST change keeps midnight local', '2026-03-01T05:00:00Z', '15 NET', 'America/New_York', '2026-03-16T04:00:00.000Z'],
  ])('%s', (_case, periodEnd, terms, timezone, due) => {
    expect(invoiceDueDate(new Date(periodEnd), terms, timezone).toISOString()).toBe(due);
  });

  it('the tenant’s own default days', () => {
    expect(invoiceDueDate(new Date('2026-02-01T00:00:00Z'), null, 'UTC', 7).toISOString()).toBe('2026-02-08T00:00:00.000Z');
  });

  it('reads every term', () => {
    expect(paymentTerms.map(paymentTermDays)).toEqual([15, 30, 45, 60, 75, 90]);
  });
});
