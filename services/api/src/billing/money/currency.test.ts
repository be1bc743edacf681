import { describe, expect, it } from 'vitest';
import { currencyPrecision, fitsCurrency, roundToCurrency, roundToPlaces } from './currency.ts';
import { currencyRoundingCases } from './currency-rounding.test-helper.ts';
import { ExactDecimal, formatDecimal } from './exact-decimal.ts';

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

describe('roundToCurrency: half away from zero, to the currency precision', () => {
  it.each(currencyRoundingCases)('%s %s → %s', (amount, currency, rounded) => {
    expect(formatDecimal(roundToCurrency(new ExactDecimal(amount), currency))).toBe(rounded);
  });

  it('rounds to any number of places the same way', () => {
    expect(formatDecimal(roundToPlaces(new ExactDecimal('0.00000000000000000000015'), 22))).toBe('0.0000000000000000000002');
    expect(formatDecimal(roundToPlaces(new ExactDecimal('-12.5'), 0))).toBe('-13');
  });
});

describe('fitsCurrency', () => {
  it('checks the decimal places against the currency', () => {
    expect(fitsCurrency(new ExactDecimal('1.25'), 'usd')).toBe(true);
    expect(fitsCurrency(new ExactDecimal('1.255'), 'usd')).toBe(false);
    expect(fitsCurrency(new ExactDecimal('1.5'), 'jpy')).toBe(false);
    expect(fitsCurrency(new ExactDecimal('1.255'), 'kwd')).toBe(true);
  });
});
