import { describe, expect, it } from 'vitest';
import { divide, Quantity, toDecimalString } from './quantity.ts';

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

describe('canonical text', () => {
  it('writes plain notation without trailing zeros, and 0 for negative zero', () => {
    expect(toDecimalString(q('1.500'))).toBe('1.5');
    expect(toDecimalString(q('1e25'))).toBe('10000000000000000000000000');
    expect(toDecimalString(q('1e-12'))).toBe('0.000000000001');
    expect(toDecimalString(q('-0'))).toBe('0');
  });
});
