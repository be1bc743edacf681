import { describe, expect, it } from 'vitest';
import { compareDecimals, parseDecimal } from './decimal-input.ts';

describe('parseDecimal', () => {
  it.each<[string | number, string]>([
    ['0.001', '0.001'],
    ['1.500', '1.5'],
    ['100', '100'],
    ['100.000', '100'],
    ['  2.50 ', '2.5'],
    ['+3', '3'],
    ['.5', '0.5'],
    ['5.', '5'],
    ['1e-3', '0.001'],
    ['2.5E2', '250'],
    [0.1, '0.1'],
    [1000, '1000'],
    [1e-7, '0.0000001'],
    ['-1.10', '-1.1'],
    ['-0', '0'],
    ['0.00000000000000000001', '0.00000000000000000001'],
    ['99999999999999999999', '99999999999999999999'],
  ])('reads %j as %j, trailing zeros trimmed', (input, value) => {
    expect(parseDecimal(input)).toEqual({ value });
  });

  it('keeps every digit of a string a float would round', () => {
    expect(parseDecimal('0.12345678901234567890')).toEqual({ value: '0.1234567890123456789' });
    expect(parseDecimal('12345678901234567.5')).toEqual({ value: '12345678901234567.5' });
  });

  it.each(['', 'abc', '1,5', '0x10', '1.2.3', 'NaN', 'Infinity', '1e', '--1', '1 000'])('refuses %j as not a decimal', (input) => {
    expect(parseDecimal(input)).toEqual({ problem: `'${input}' is not a decimal number (e.g. "0.001")` });
  });

  it('refuses non-finite numbers', () => {
    expect(parseDecimal(Number.POSITIVE_INFINITY)).toEqual({ problem: 'must be a finite number' });
    expect(parseDecimal(Number.NaN)).toEqual({ problem: 'must be a finite number' });
  });

  it('refuses zero and negatives when the value must be positive', () => {
    for (const input of ['0', '0.000', '-0.5', -1, 0]) expect(parseDecimal(input, { positive: true })).toEqual({ problem: 'must be greater than 0' });
    expect(parseDecimal('0.0001', { positive: true })).toEqual({ value: '0.0001' });
  });

  it('refuses more than 20 digits on either side of the point (no runaway exponents)', () => {
    expect(parseDecimal('100000000000000000000')).toEqual({ problem: 'must have at most 20 digits before the decimal point' });
    expect(parseDecimal('1e999999')).toEqual({ problem: 'must have at most 20 digits before the decimal point' });
    expect(parseDecimal('0.000000000000000000001')).toEqual({ problem: 'must have at most 20 digits after the decimal point' });
    expect(parseDecimal('1e-999999')).toEqual({ problem: 'must have at most 20 digits after the decimal point' });
  });
});

describe('compareDecimals', () => {
  it('compares exactly, not as floats', () => {
    expect(compareDecimals('0.1', '0.10')).toBe(0);
    expect(compareDecimals('10', '9.99')).toBeGreaterThan(0);
    expect(compareDecimals('0.30000000000000000001', '0.3')).toBeGreaterThan(0);
    expect(compareDecimals('-2', '1')).toBeLessThan(0);
  });
});
