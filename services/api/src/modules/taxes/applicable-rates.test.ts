import { describe, expect, it } from 'vitest';
import { invoiceTaxes } from '../../billing/invoicing/index.ts';
import { appliedOverrides, associationsToCopy, bearsOn, inheritedAssociations, type AssociationTerms } from './applicable-rates.ts';

const jan1 = new Date('2026-01-01T00:00:00Z');
const feb1 = new Date('2026-02-01T00:00:00Z');
const mar1 = new Date('2026-03-01T00:00:00Z');

let seq = 0;
/** An auto-applied association in effect from Jan 1 for ever, in any currency, unless told otherwise. */
const assoc = (taxRateId: string, extra: Partial<AssociationTerms> = {}): AssociationTerms => ({
  id: `ta_${String(++seq).padStart(4, '0')}`,
  taxRateId,
  entityType: 'customer',
  entityId: 'cust_1',
  priority: 0,
  autoApply: true,
  currency: null,
  startDate: jan1,
  endDate: null,
  ...extra,
});

const rateIds = (r: { associations: AssociationTerms[] }) => r.associations.map((a) => a.taxRateId);

describe('bearsOn: in effect over [start_date, end_date), in no currency or the invoice\'s', () => {
  it.each<[string, Partial<AssociationTerms>, Date, string, boolean]>([
    ['from its start instant', { startDate: feb1 }, feb1, 'usd', true],
    ['not a millisecond before', { startDate: feb1 }, new Date(feb1.getTime() - 1), 'usd', false],
    ['up to a millisecond before its end', { endDate: feb1 }, new Date(feb1.getTime() - 1), 'usd', true],
    ['not at its end instant', { endDate: feb1 }, feb1, 'usd', false],
    ['in its currency, compared case-insensitively', { currency: 'usd' }, feb1, 'USD', true],
    ['not in another currency', { currency: 'eur' }, feb1, 'usd', false],
  ])('%s', (_, extra, at, currency, expected) => {
    expect(bearsOn(assoc('taxrate_A', extra), at, currency)).toBe(expected);
  });
});

describe('inheritedAssociations: the most specific level with associations bearing on the invoice decides', () => {
  it('the subscription\'s associations replace the customer\'s and the tenant\'s', () => {
    const r = inheritedAssociations({ subscription: [assoc('taxrate_SUB')], customer: [assoc('taxrate_CUST')], tenant: [assoc('taxrate_TEN')] }, feb1, 'usd');
    expect(r.level).toBe('subscription');
    expect(rateIds(r)).toEqual(['taxrate_SUB']);
  });

  it('a subscription with none inherits its customer\'s; a customer with none, the tenant\'s', () => {
    expect(inheritedAssociations({ subscription: [], customer: [assoc('taxrate_CUST')], tenant: [assoc('taxrate_TEN')] }, feb1, 'usd')).toMatchObject({ level: 'customer' });
    const tenant = inheritedAssociations({ customer: [], tenant: [assoc('taxrate_TEN')] }, feb1, 'usd');
    expect([tenant.level, rateIds(tenant)]).toEqual(['tenant', ['taxrate_TEN']]);
  });

  it('no level with associations: no tax', () => {
    expect(inheritedAssociations({ subscription: [], customer: [], tenant: [] }, feb1, 'usd')).toEqual({ level: null, associations: [] });
  });

  it('a level whose associations are all paused (auto_apply false) still decides: the entity is exempt, nothing above applies', () => {
    const r = inheritedAssociations({ customer: [assoc('taxrate_CUST', { autoApply: false })], tenant: [assoc('taxrate_TEN')] }, feb1, 'usd');
    expect(r).toEqual({ level: 'customer', associations: [] });
  });

  it('associations not yet started, already ended, or in another currency do not count: the level above decides', () => {
    const customer = [assoc('taxrate_LATER', { startDate: mar1 }), assoc('taxrate_ENDED', { endDate: feb1 }), assoc('taxrate_EUR', { currency: 'eur' })];
    const r = inheritedAssociations({ customer, tenant: [assoc('taxrate_TEN')] }, feb1, 'usd');
    expect([r.level, rateIds(r)]).toEqual(['tenant', ['taxrate_TEN']]);
    // On Mar 1 the later one has started and decides for the customer.
    expect(rateIds(inheritedAssociations({ customer, tenant: [assoc('taxrate_TEN')] }, mar1, 'usd'))).toEqual(['taxrate_LATER']);
  });

  it('orders by priority (lower first), then start date, then age; a rate linked twice applies once, by its first association', () => {
    const state = assoc('taxrate_STATE', { priority: 0 });
    const federal = assoc('taxrate_FEDERAL', { priority: 1 });
    const city = assoc('taxrate_CITY', { priority: 1, startDate: new Date('2025-06-01T00:00:00Z') });
    const stateAgain = assoc('taxrate_STATE', { priority: 5 });
    const r = inheritedAssociations({ customer: [stateAgain, federal, city, state] }, feb1, 'usd');
    expect(rateIds(r)).toEqual(['taxrate_STATE', 'taxrate_CITY', 'taxrate_FEDERAL']);
    expect(r.associations[0]?.id).toBe(state.id);
  });

  it('worked example: state 6% and federal 2% on a $100 taxable amount are $6 + $2 = $8, not compounded', () => {
    const r = inheritedAssociations({ customer: [assoc('taxrate_FEDERAL', { priority: 1 }), assoc('taxrate_STATE', { priority: 0 })] }, feb1, 'usd');
    const terms = { taxrate_STATE: '6', taxrate_FEDERAL: '2' } as Record<string, string>;
    const taxes = invoiceTaxes('100', r.associations.map((a) => ({ id: a.taxRateId, taxRateType: 'percentage' as const, percentageValue: terms[a.taxRateId] })), 'usd');
    // 100 × 6 ÷ 100 = 6.00; 100 × 2 ÷ 100 = 2.00; total 8.00.
    expect(taxes).toEqual({
      taxableAmount: '100',
      taxes: [
        { taxRateId: 'taxrate_STATE', taxableAmount: '100', taxAmount: '6' },
        { taxRateId: 'taxrate_FEDERAL', taxableAmount: '100', taxAmount: '2' },
      ],
      totalTax: '8',
    });
  });
});

describe('appliedOverrides: an invoice\'s own tax_rate_overrides', () => {
  const o = (taxRateCode: string, priority = 0, autoApply = true) => ({ taxRateCode, priority, autoApply });

  it('keeps the auto-applied ones, lower priority first and otherwise as given, each code once', () => {
    expect(appliedOverrides([o('B', 1), o('A', 0), o('PAUSED', 0, false), o('C', 1), o('A', 2)]).map((x) => x.taxRateCode)).toEqual(['A', 'B', 'C']);
  });

  it('worked example: 8.25% and a fixed 1.50 on $70 are $5.78 (5.775 rounded half away from zero) + $1.50 = $7.28', () => {
    const taxes = invoiceTaxes('70', [
      { id: 'taxrate_SALES', taxRateType: 'percentage', percentageValue: '8.25' },
      { id: 'taxrate_LEVY', taxRateType: 'fixed', fixedValue: '1.5' },
    ], 'usd');
    expect(taxes.taxes.map((t) => t.taxAmount)).toEqual(['5.78', '1.5']);
    expect(taxes.totalTax).toBe('7.28');
  });
});

describe('associationsToCopy: what a new customer or subscription inherits', () => {
  const now = feb1;

  it('copies the auto-applied associations not ended by now, starting now (or later when they start later), keeping their end', () => {
    const started = assoc('taxrate_A', { startDate: jan1, endDate: mar1, priority: 1 });
    const future = assoc('taxrate_B', { startDate: mar1 });
    const copies = associationsToCopy([started, future, assoc('taxrate_PAUSED', { autoApply: false }), assoc('taxrate_ENDED', { endDate: feb1 })], now);
    expect(copies.map((c) => [c.from.taxRateId, c.startDate.toISOString(), c.endDate?.toISOString() ?? null])).toEqual([
      ['taxrate_B', '2026-03-01T00:00:00.000Z', null],
      ['taxrate_A', '2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z'],
    ]);
  });

  it('copies nothing from nothing', () => {
    expect(associationsToCopy([], now)).toEqual([]);
  });
});
