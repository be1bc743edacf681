import { describe, expect, it } from 'vitest';
import { ExactDecimal, formatDecimal } from '../billing/money/index.ts';
import { toJsonNumber } from './decimal-json-number.ts';

const q = (v: string | number) => new ExactDecimal(v);

describe('toJsonNumber', () => {
  it('sums 0.1 ten times to exactly 1, a JSON number 1', () => {
    const sum = Array.from({ length: 10 }, () => q('0.1')).reduce((a, b) => a.plus(b));
    expect(formatDecimal(sum)).toBe('1');
    expect(JSON.stringify({ value: toJsonNumber(sum) })).toBe('{"value":1}');
    // What float arithmetic would have sent:
    expect(Array.from({ length: 10 }, () => 0.1).reduce((a, b) => a + b)).toBe(0.9999999999999999);
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
