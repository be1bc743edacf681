import { describe, expect, it } from 'vitest';
import { maxAttempts, nextRetryDelayMs, retryDelaysMs } from './retry-schedule.ts';

describe('the retry schedule', () => {
  it("is Svix's: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h", () => {
    expect(retryDelaysMs).toEqual([0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]);
    expect(maxAttempts).toBe(8);
  });

  it('waits the scheduled time give or take 10% after each failed attempt, and gives up after the 8th', () => {
    expect(nextRetryDelayMs(1, 8, () => 0.5)).toBe(5_000);
    expect(nextRetryDelayMs(1, 8, () => 0)).toBe(4_500);
    expect(nextRetryDelayMs(1, 8, () => 0.999999)).toBe(5_500);
    expect(nextRetryDelayMs(2, 8, () => 0.5)).toBe(300_000);
    expect(nextRetryDelayMs(7, 8, () => 0.5)).toBe(36_000_000);
    expect(nextRetryDelayMs(8, 8, () => 0.5)).toBeNull();
  });

  it('gives a re-delivery (one attempt allowed beyond those made) no further retry', () => {
    expect(nextRetryDelayMs(9, 9, () => 0.5)).toBeNull();
    expect(nextRetryDelayMs(3, 3, () => 0.5)).toBeNull();
  });
});
