import { describe, expect, it } from 'vitest';
import { newId, pooledRandom, ulid } from './ids.ts';

describe('ids', () => {
  it('are <prefix>_<ULID>, sorted in creation order even within one millisecond', () => {
    const ids = Array.from({ length: 2_000 }, () => newId('price'));
    for (const id of ids) expect(id).toMatch(/^price_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ulid()).toHaveLength(26);
  });

  it('draw random numbers in [0, 1) on a 1/256 grid from a pool larger than one refill', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i++) {
      const r = pooledRandom();
      expect(r).toBeGreaterThanOrEqual(0);
      expect(r).toBeLessThan(1);
      expect(Number.isInteger(r * 256)).toBe(true);
      seen.add(r);
    }
    // 10,000 draws over 256 values: every value appears (the chance one is missing is below 1e-15).
    expect(seen.size).toBe(256);
  });
});
