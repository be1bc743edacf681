import { describe, expect, it } from 'vitest';
import { canonicalDecimal } from './canonical-decimal.ts';

describe('canonicalDecimal', () => {
  it.each<[string | number, string]>([
    ['12.500', '12.5'],
    ['100.000000', '100'],
    ['0.00015000', '0.00015'],
    ['-0.000', '0'],
    ['1e21', '1000000000000000000000'],
    [0.1, '0.1'],
  ])('%j → %s', (stored, text) => {
    expect(canonicalDecimal(stored)).toBe(text);
  });
});
