import { overlaps, type Period } from '../period/index.ts';

/**
 * A charge already on one of the subscription's DRAFT or FINALIZED invoices: the price it billed
 * and the line's period_start/period_end.
 */
export type BilledCharge = { priceId: string; period: Period };

/** True when both periods have the same start and end (two empty periods at one instant included). */
export const samePeriod = (a: Period, b: Period): boolean => a.start.getTime() === b.start.getTime() && a.end.getTime() === b.end.getTime();

/**
 * True when a charge for `priceId` over `period` was billed already: the same price over the same
 * period or one that overlaps it (docs/flexprice-compatibility.md#invoices). The exact match
 * catches one-time charges, whose period is the single instant they were billed at.
 */
export function isAlreadyBilled(priceId: string, period: Period, billed: readonly BilledCharge[]): boolean {
  return billed.some((b) => b.priceId === priceId && (samePeriod(b.period, period) || overlaps(b.period, period)));
}
