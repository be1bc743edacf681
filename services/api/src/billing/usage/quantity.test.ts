import { describe, expect, it } from 'vitest';
import { divide, Quantity, toDecimalString, toJsonNumber } from './quantity.ts';

const q = (v: string | number) => new Quantity(v);

describe('divide', () => {
  it('rounds a non-terminating quotient once, half away from zero, to 20 places', () => {
    expect(toDecimalString(divide(q(10), q(3)))).toBe('3.33333333333333333333');
    expect(toDecimalString(divide(q(2), q(3)))).toBe('0.66666666666666666667');
    expect(toDecimalString(divide(q(-2), q(3)))).toBe('-0.66666666666666666667');
    expect(toDecimalString(divide(q(2), q(-3)))).toBe('-0.66666666666666666667');
  });

  it('keeps terminating quotients exact and trims trailing zeros', () => {
    expect(toDecimalString(divide(q(1), q(8)))).toBe('0.125');
    expect(toDecimalString(divide(q('7200'), q('2592000')))).toBe('0.00277777777777777778');
    expect(toDecimalString(divide(q('3600000'), q('2592000')))).toBe('1.38888888888888888889');
  });

  it('rounds a tie in the 21st place away from zero', () => {
    // 1 / (2 × 10^20) = 0.000…05 (5 in the 21st place).
    expect(toDecimalString(divide(q(1), q('200000000000000000000')))).toBe('0.00000000000000000001');
    expect(toDecimalString(divide(q(-1), q('200000000000000000000')))).toBe('-0.00000000000000000001');
  });

  it('refuses division by zero', () => {
    expect(() => divide(q(1), q(0))).toThrow(RangeError);
  });
});

describe('wire forms', () => {
  it('sums 0.1 ten times to exactly 1, a JSON number 1', () => {
    const sum = Array.from({ length: 10 }, () => q('0.1')).reduce((a, b) => a.plus(b));
    expect(toDecimalString(sum)).toBe('1');
    expect(JSON.stringify({ value: toJsonNumber(sum) })).toBe('{"value":1}');
    // What float arithmetic would have sent:
    expect(Array.from({ length: 10 }, () => 0.1).reduce((a, b) => a + b)).toBe(0.9999999999999999);
  });

  it('writes plain notation without trailing zeros, and 0 for negative zero', () => {
    expect(toDecimalString(q('1.500'))).toBe('1.5');
    expect(toDecimalString(q('1e25'))).toBe('10000000000000000000000000');
    expect(toDecimalString(q('1e-12'))).toBe('0.000000000001');
    expect(toDecimalString(q('-0'))).toBe('0');
  });

  it('keeps the digits of any decimal of up to 15 significant digits in the JSON number', () => {
    for (const text of ['2500', '0.3', '123456789.012345', '-42.125', '0.000001']) {
      expect(JSON.stringify(toJsonNumber(q(text)))).toBe(text === '0.000001' ? '0.000001' : text);
    }
  });

  it('gives the largest finite double beyond the double range', () => {
    expect(toJsonNumber(q('1e400'))).toBe(Number.MAX_VALUE);
    expect(toJsonNumber(q('-1e400'))).toBe(-Number.MAX_VALUE);
  });
});
