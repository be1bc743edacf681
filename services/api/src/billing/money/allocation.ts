import { ExactDecimal, zero } from './exact-decimal.ts';

/**
 * Largest-remainder allocation: `total` split into parts proportional to `weights`, each with at
 * most `places` decimals (a currency's precision), the parts summing to exactly `total`.
 *
 * In minor units (10^-places), part i's exact share is total × wᵢ / Σw. Every part first gets its
 * share rounded towards zero; the minor units still missing (fewer than there are parts) go one
 * each to the parts whose shares lost the most, ties to the earlier part. So each part is within
 * one minor unit of its exact share, a weight of 0 gets 0, and the same input always splits the
 * same way. A negative total is split as its magnitude, then negated.
 *
 *   allocate($100, [1, 1, 1], 2) → 33.34, 33.33, 33.33
 *
 * Refuses (RangeError) a total finer than `places`, a negative weight, no weights, and a non-zero
 * total over weights that are all 0.
 */
export function allocate(total: ExactDecimal, weights: readonly ExactDecimal[], places: number): ExactDecimal[] {
  if (!Number.isSafeInteger(places) || places < 0) throw new RangeError(`places must be a whole number ≥ 0, got ${places}`);
  if (total.decimalPlaces() > places) throw new RangeError(`total ${total.toFixed()} has more than ${places} decimal places`);
  if (weights.length === 0) throw new RangeError('nothing to allocate to: no weights');
  if (weights.some((w) => w.isNegative())) throw new RangeError('weights must be ≥ 0');
  const minorUnit = new ExactDecimal(10).pow(places);
  const units = total.abs().times(minorUnit);
  // Whole-number weights, so every share is a fraction of integers and compared exactly.
  const weightScale = new ExactDecimal(10).pow(Math.max(...weights.map((w) => w.decimalPlaces())));
  const scaled = weights.map((w) => w.times(weightScale));
  const weightSum = scaled.reduce((sum, w) => sum.plus(w), zero);
  if (weightSum.isZero()) {
    if (units.isZero()) return weights.map(() => zero);
    throw new RangeError('cannot allocate a non-zero total over weights that are all 0');
  }
  const shares = scaled.map((w, index) => {
    const exact = units.times(w);
    const whole = exact.divToInt(weightSum);
    return { index, whole, remainder: exact.minus(whole.times(weightSum)) };
  });
  let missing = units.minus(shares.reduce((sum, s) => sum.plus(s.whole), zero)).toNumber();
  const byRemainder = [...shares].sort((a, b) => b.remainder.comparedTo(a.remainder) || a.index - b.index);
  const parts = shares.map((s) => s.whole);
  for (const s of byRemainder) {
    if (missing === 0) break;
    parts[s.index] = parts[s.index].plus(1);
    missing--;
  }
  return parts.map((p) => {
    const part = p.div(minorUnit);
    return total.isNegative() && !part.isZero() ? part.negated() : part;
  });
}
