import { describe, expect, it } from 'vitest';
import { divideRounded, ExactDecimal, formatDecimal, parseExactDecimal } from './exact-decimal.ts';

describe('formatDecimal', () => {
  it.each<[string, string]>([
    ['12.50', '12.5'],
    ['100.000', '100'],
    ['0.00060', '0.0006'],
    ['1e15', '1000000000000000'],
    ['1e-20', '0.00000000000000000001'],
    ['-0', '0'],
  ])('%s → %s (plain notation, trailing zeros trimmed)', (value, text) => {
    expect(formatDecimal(new ExactDecimal(value))).toBe(text);
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
    expect(formatDecimal(divideRounded(new ExactDecimal(a), new ExactDecimal(b), places))).toBe(result);
  });

  it('refuses division by zero', () => {
    expect(() => divideRounded(new ExactDecimal(1), new ExactDecimal(0), 2)).toThrow(RangeError);
  });
});

describe('parseExactDecimal', () => {
  it.each<[unknown, string | undefined]>([
    ['12.5', '12.5'],
    [' 0.00015 ', '0.00015'],
    ['1e15', '1000000000000000'],
    ['-0', '0'],
    ['.5', '0.5'],
    [1.5, undefined], // a float may already have lost digits
    ['1,5', undefined],
    ['NaN', undefined],
    ['Infinity', undefined],
    ['', undefined],
    [null, undefined],
  ])('%j → %s', (value, text) => {
    const d = parseExactDecimal(value);
    expect(d === undefined ? undefined : formatDecimal(d)).toBe(text);
  });

  it('keeps every digit: 0.1 + 0.2 is exactly 0.3', () => {
    expect(formatDecimal(parseExactDecimal('0.1')!.plus(parseExactDecimal('0.2')!))).toBe('0.3');
  });
});
