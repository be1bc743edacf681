import { describe, expect, it } from 'vitest';
import { currencyRoundingCases } from '../money/currency-rounding.test-helper.ts';
import { roundAmount, readDecimal } from './decimal-field.ts';
import { PricingError } from './errors.ts';

describe('roundAmount: half away from zero, to the currency precision', () => {
  it.each(currencyRoundingCases)('%s %s → %s', (amount, currency, rounded) => {
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
