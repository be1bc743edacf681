import { describe, expect, it } from 'vitest';
import type { Problems } from '../../errors/problems.ts';
import { parseCurrencyCode, parseTaxRateOverrides } from './tax-rate-override.ts';

describe('parseTaxRateOverrides', () => {
  it('absent is null (inherit), an empty list is [] (link nothing)', () => {
    const problems: Problems = {};
    expect(parseTaxRateOverrides(undefined, 'tax_rate_overrides', problems)).toBeNull();
    expect(parseTaxRateOverrides(null, 'tax_rate_overrides', problems)).toBeNull();
    expect(parseTaxRateOverrides([], 'tax_rate_overrides', problems)).toEqual([]);
    expect(problems).toEqual({});
  });

  it('reads each override: currency lower-cased, auto_apply true and priority 0 by default', () => {
    const problems: Problems = {};
    const read = parseTaxRateOverrides(
      [
        { tax_rate_code: 'TAX_US_CA', currency: 'USD' },
        { tax_rate_code: 'LEVY', currency: 'usd', auto_apply: false, priority: 3, metadata: { k: 'v' } },
      ],
      'tax_rate_overrides',
      problems,
    );
    expect(problems).toEqual({});
    expect(read).toEqual([
      { taxRateCode: 'TAX_US_CA', currency: 'usd', autoApply: true, priority: 0, metadata: {} },
      { taxRateCode: 'LEVY', currency: 'usd', autoApply: false, priority: 3, metadata: { k: 'v' } },
    ]);
  });

  it('names every problem by its index', () => {
    const problems: Problems = {};
    parseTaxRateOverrides([{ tax_rate_code: ' ', currency: 'US' }, { tax_rate_code: 'OK', priority: -1 }], 'tax_rate_overrides', problems);
    expect(problems).toEqual({
      'tax_rate_overrides[0].tax_rate_code': 'is required',
      'tax_rate_overrides[0].currency': `must be a three-letter ISO currency code (e.g. "usd"), got 'US'`,
      'tax_rate_overrides[1].currency': 'is required',
      'tax_rate_overrides[1].priority': 'must be an integer ≥ 0',
    });
  });
});

describe('parseCurrencyCode', () => {
  it.each<[string | undefined, string | null]>([
    ['EUR', 'eur'],
    ['jpy', 'jpy'],
    ['', null],
    [undefined, null],
  ])('%s → %s', (input, expected) => {
    const problems: Problems = {};
    expect(parseCurrencyCode(input, 'currency', problems)).toBe(expected);
    expect(problems).toEqual({});
  });

  it('refuses anything but three letters', () => {
    const problems: Problems = {};
    expect(parseCurrencyCode('us1', 'currency', problems)).toBeNull();
    expect(problems).toEqual({ currency: `must be a three-letter ISO currency code (e.g. "usd"), got 'us1'` });
  });
});
