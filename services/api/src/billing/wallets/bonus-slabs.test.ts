import { describe, expect, it } from 'vitest';
import { ExactDecimal } from '../money/index.ts';
import { bonusForPurchase, type BonusSlab } from './bonus-slabs.ts';

const now = new Date('2026-01-31T10:00:00Z');
const slabs: BonusSlab[] = [
  { threshold: '1000', bonus: { type: 'percentage', value: '12.5' }, expiry: { duration: 1, unit: 'MONTH' } },
  { threshold: '100', bonus: { type: 'flat', value: '5' }, expiry: null },
  { threshold: '0', bonus: { type: 'flat', value: '0.5' }, expiry: { duration: 2, unit: 'WEEK' } },
];
const earned = (credits: string, list = slabs) => {
  const bonus = bonusForPurchase(list, new ExactDecimal(credits), now);
  return bonus && { credits: bonus.credits.toFixed(), expiryDate: bonus.expiryDate?.toISOString() ?? null };
};

describe('bonusForPurchase', () => {
  it('gives the highest bracket the purchase reaches: 12.5% of 1,234.56 credits = 154.32 credits, expiring a month later (clamped to 28 Feb)', () => {
    expect(earned('1234.56')).toEqual({ credits: '154.32', expiryDate: '2026-02-28T10:00:00.000Z' });
  });

  it('keeps every decimal of a percentage bonus: 12.5% of 1,000.01 = 125.00125', () => {
    expect(earned('1000.01')).toEqual({ credits: '125.00125', expiryDate: '2026-02-28T10:00:00.000Z' });
  });

  it('reads a threshold as "at least": exactly 1,000 earns the percentage, 999.99 the flat 5 that never expires', () => {
    expect(earned('1000')?.credits).toBe('125');
    expect(earned('999.99')).toEqual({ credits: '5', expiryDate: null });
  });

  it('gives the lowest bracket to any purchase above it, with its expiry in weeks', () => {
    expect(earned('0.01')).toEqual({ credits: '0.5', expiryDate: '2026-02-14T10:00:00.000Z' });
  });

  it('gives nothing below every threshold, or with no slabs', () => {
    expect(earned('99', slabs.slice(0, 2))).toBeNull();
    expect(earned('5000', [])).toBeNull();
  });
});
