import { describe, expect, it } from 'vitest';
import { roundAmount, readDecimal } from './decimal-field.ts';
import { PricingError } from './errors.ts';

describe('roundAmount: half away from zero, to the currency precision', () => {
  it.each<[string, string, string]>([
    ['2.675', 'usd', '2.68'],
    ['-2.675', 'usd', '-2.68'],
    ['2.665', 'usd', '2.67'],
    ['2.6649999999', 'usd', '2.66'],
    ['0.005', 'usd', '0.01'],
    ['0.004', 'usd', '0'],
    ['12.50', 'usd', '12.5'],
    ['100.00', 'usd', '100'],
    ['0.5', 'jpy', '1'],
    ['-0.5', 'jpy', '-1'],
    ['1499.49', 'krw', '1499'],
    ['1.2345', 'kwd', '1.235'],
    ['1.2344', 'kwd', '1.234'],
    ['1.23455', 'clf', '1.2346'],
    ['-0.001', 'usd', '0'],
    ['123456789012345678901234567890.125', 'usd', '123456789012345678901234567890.13'],
  ])('%s %s → %s', (amount, currency, rounded) => {
    expect(roundAmount(amount, currency)).toBe(rounded);
  });
});

describe('readDecimal', () => {
  it('refuses JS numbers and non-decimals, naming the field', () => {
    for (const bad of [1.5, 'abc', '1,5', 'NaN', 'Infinity', '', null]) {
      expect(() => readDecimal(bad, 'amount')).toThrow(PricingError);
    }
    try {
      readDecimal(0.1, 'tiers[0].unit_amount');
      expect.unreachable();
    } catch (e) {
      expect((e as PricingError).kind).toBe('invalid_decimal');
      expect((e as PricingError).field).toBe('tiers[0].unit_amount');
      // The 400 `validation_error` it becomes is the error mapper's: see http/error-mapper.test.ts.
    }
  });
});
