/**
 * A half-open stretch of time [start, end): it holds `start` and every instant up to, not
 * including, `end`. Billing periods, usage windows and line-item activity are all half-open, so
 * consecutive periods share a boundary without sharing an instant. `start = end` is empty.
 */
export type Period = { readonly start: Date; readonly end: Date };

/** A period; refuses (RangeError) one that ends before it starts. */
export function period(start: Date, end: Date): Period {
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) throw new RangeError('a period needs two valid instants');
  if (end < start) throw new RangeError(`a period cannot end (${end.toISOString()}) before it starts (${start.toISOString()})`);
  return { start, end };
}

/** True when `at` lies in the period: start ≤ at < end. */
export function contains(p: Period, at: Date): boolean {
  return p.start.getTime() <= at.getTime() && at.getTime() < p.end.getTime();
}

/** True when the periods share at least one instant (touching at a boundary is not overlapping; an empty period overlaps nothing). */
export function overlaps(a: Period, b: Period): boolean {
  return a.start < b.end && b.start < a.end && !isEmpty(a) && !isEmpty(b);
}

/** The instants both periods hold, or undefined when they hold none in common. */
export function intersection(a: Period, b: Period): Period | undefined {
  if (!overlaps(a, b)) return undefined;
  return { start: a.start > b.start ? a.start : b.start, end: a.end < b.end ? a.end : b.end };
}

/** Length in milliseconds (the precision of a Date). */
export function durationMs(p: Period): number {
  return p.end.getTime() - p.start.getTime();
}

export function isEmpty(p: Period): boolean {
  return durationMs(p) === 0;
}
