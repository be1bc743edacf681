import { describe, expect, it } from 'vitest';
import { PricingError } from './errors.ts';
import { currencyPrecision, divideRounded, fitsCurrency, formatDecimal, MoneyDecimal, readDecimal, roundAmount } from './money.ts';

describe('currencyPrecision', () => {
  it.each<[string, number]>([
    ['usd', 2],
    ['eur', 2],
    ['jpy', 0],
    ['JPY', 0],
    ['vnd', 0],
    ['krw', 0],
    ['clp', 0],
    ['kwd', 3],
    ['clf', 4],
    ['xyz', 2],
  ])('%s has %i decimal places (the reference table, 2 for the rest)', (currency, places) => {
    expect(currencyPrecision(currency)).toBe(places);
  });
});

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

describe('formatDecimal', () => {
  it.each<[string, string]>([
    ['12.50', '12.5'],
    ['100.000', '100'],
    ['0.00060', '0.0006'],
    ['1e15', '1000000000000000'],
    ['1e-20', '0.00000000000000000001'],
    ['-0', '0'],
  ])('%s → %s (plain notation, trailing zeros trimmed)', (value, text) => {
    expect(formatDecimal(new MoneyDecimal(value))).toBe(text);
  });
});

describe('readDecimal', () => {
  it('refuses JS numbers and non-decimals, naming the field', () => {
    for (const bad of [1.5, 'abc', '1,5', 'NaN', 'Infinity', '', null]) {
      expect(() => readDecimal(bad, 'amount')).toThrow(PricingError);
    }
    try {
      readDecimal(0.1, 'tiers[0].unit_amount');
    } catch (e) {
      expect((e as PricingError).kind).toBe('invalid_decimal');
      expect((e as PricingError).field).toBe('tiers[0].unit_amount');
      expect((e as PricingError).code).toBe('validation_error');
      expect((e as PricingError).status).toBe(400);
    }
  });
});

describe('divideRounded', () => {
  it.each<[string, string, number, string]>([
    ['1', '3', 2, '0.33'],
    ['2', '3', 2, '0.67'],
    ['-2', '3', 2, '-0.67'],
    ['0.125', '1', 2, '0.13'],
    ['10', '0.015', 2, '666.67'],
    ['7.5', '0.015', 2, '500'],
    ['1', '7', 0, '0'],
    ['4', '7', 0, '1'],
  ])('%s ÷ %s to %i places → %s, rounded once', (a, b, places, result) => {
    expect(formatDecimal(divideRounded(new MoneyDecimal(a), new MoneyDecimal(b), places))).toBe(result);
  });
});

describe('fitsCurrency', () => {
  it('checks the decimal places against the currency', () => {
    expect(fitsCurrency(new MoneyDecimal('1.25'), 'usd')).toBe(true);
    expect(fitsCurrency(new MoneyDecimal('1.255'), 'usd')).toBe(false);
    expect(fitsCurrency(new MoneyDecimal('1.5'), 'jpy')).toBe(false);
    expect(fitsCurrency(new MoneyDecimal('1.255'), 'kwd')).toBe(true);
  });
});
