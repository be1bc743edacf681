import { divide, Quantity, zero } from './quantity.ts';

/**
 * WEIGHTED_SUM: each event's value is an increment of a level (GB reserved, seats added) that holds
 * from the event to the end of the period, so it counts in proportion to the time it was in force:
 *
 *   value = Σ v × (end − t) ÷ (end − start)        (seconds, exact to the microsecond)
 *
 * 100 GB at day 0 and 40 GB at day 15 of a 30-day period: 100 × 30/30 + 40 × 15/30 = 120 GB-months.
 * Weights are relative to the whole requested period, so per-window results add up to the value.
 * Under reset_usage NEVER, increments made before `start` were in force for the whole period:
 * they count with weight 1.
 */

/** Seconds from `at` to `end`, the numerator of an event's weight. */
export function secondsRemaining(at: number, end: number): Quantity {
  return new Quantity(end - at).div(1000);
}

export function periodSeconds(start: number, end: number): Quantity {
  return new Quantity(end - start).div(1000);
}

/**
 * The weighted value from its two exact parts: `history` (Σ v of increments before the period,
 * weight 1) and `weighted` (Σ v × seconds remaining of those inside it). One division, rounded
 * once. An empty period (start = end) has no inside part.
 */
export function weightedValue(history: Quantity, weighted: Quantity, period: Quantity): Quantity {
  if (period.isZero()) return history;
  return history.plus(weighted.isZero() ? zero : divide(weighted, period));
}
