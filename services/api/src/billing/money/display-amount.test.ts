import { describe, expect, it } from 'vitest';
import { displayAmount } from './display-amount.ts';

describe('displayAmount', () => {
  it.each([
    ['usd', '12.5', '$12.5'],
    ['EUR', '3', '€3'],
    ['gbp', '0.5', '£0.5'],
    ['jpy', '100', '¥100'],
    ['inr', '9', '₹9'],
    ['chf', '12.5', 'CHF 12.5'],
  ])('%s %s → %s', (currency, amount, expected) => {
    expect(displayAmount(currency, amount)).toBe(expected);
  });
});
