/**
 * When to try again: Svix's schedule — immediately, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and
 * 10 h after each failure (8 attempts over about 28 hours) — each wait stretched or shrunk by up to
 * 10% at random, so the retries of many deliveries that failed together do not arrive together.
 */
const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;

/** The wait before attempt n + 1 (index n); the first attempt is immediate. */
export const retryDelaysMs = [0, 5 * second, 5 * minute, 30 * minute, 2 * hour, 5 * hour, 10 * hour, 10 * hour] as const;

/** Attempts a delivery gets before it is marked failed. */
export const maxAttempts = retryDelaysMs.length;

/** Spread of the random jitter around each wait: ±10%. */
export const jitterShare = 0.1;

/**
 * The wait before the next attempt after `attemptsMade` attempts (all failed) out of `allowed`, or
 * null when none is left. `random` is in [0, 1).
 */
export function nextRetryDelayMs(attemptsMade: number, allowed: number, random: () => number): number | null {
  if (attemptsMade >= allowed || attemptsMade >= retryDelaysMs.length) return null;
  const base = retryDelaysMs[attemptsMade]!;
  return Math.round(base * (1 - jitterShare + 2 * jitterShare * random()));
}
