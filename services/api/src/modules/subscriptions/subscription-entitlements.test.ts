import { describe, expect, it } from 'vitest';
import { aggregateMeteredEntitlements } from './subscription-entitlements.ts';

describe('aggregateMeteredEntitlements', () => {
  it('sums limits per meter; any unlimited source makes it unlimited; the most common reset wins', () => {
    const result = aggregateMeteredEntitlements([
      { meterId: 'meter_a', usageLimit: '1000', usageResetPeriod: 'MONTHLY' },
      { meterId: 'meter_a', usageLimit: '500', usageResetPeriod: 'DAILY' },
      { meterId: 'meter_a', usageLimit: '250', usageResetPeriod: 'DAILY' },
      { meterId: 'meter_b', usageLimit: '10', usageResetPeriod: 'MONTHLY' },
      { meterId: 'meter_b', usageLimit: null, usageResetPeriod: 'MONTHLY' },
    ]);
    expect(result).toEqual(
      new Map([
        ['meter_a', { usageLimit: '1750', usageResetPeriod: 'DAILY' }], // 1,000 + 500 + 250; DAILY twice
        ['meter_b', { usageLimit: null, usageResetPeriod: 'MONTHLY' }],
      ]),
    );
  });
});
