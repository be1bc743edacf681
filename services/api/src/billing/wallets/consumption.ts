import { ExactDecimal, divideRounded, zero } from '../money/index.ts';

/** A credit transaction's unconsumed part, as consumption sees it. */
export type AvailableCredit = {
  id: string;
  creditsAvailable: ExactDecimal;
  creditAmount: ExactDecimal;
  priority: number | null;
  expiryDate: Date | null;
  createdAt: Date;
};

/** How much of one credit a debit takes. */
export type Take = { id: string; credits: ExactDecimal };

/** Whether a credit may pay at `at`: one that expires is spendable up to and including its expiry instant. */
export const isUnexpired = (credit: Pick<AvailableCredit, 'expiryDate'>, at: Date): boolean =>
  credit.expiryDate === null || credit.expiryDate.getTime() >= at.getTime();

const nullsLast = (a: number | null, b: number | null): number => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a - b);

/**
 * FlexPrice's consumption order: priority ascending (none last), then the soonest expiry (none last),
 * then the larger credit first; the older, then the smaller id, break remaining ties so the order is total.
 */
export function byConsumptionOrder(a: AvailableCredit, b: AvailableCredit): number {
  return (
    nullsLast(a.priority, b.priority) ||
    nullsLast(a.expiryDate?.getTime() ?? null, b.expiryDate?.getTime() ?? null) ||
    b.creditAmount.comparedTo(a.creditAmount) ||
    a.createdAt.getTime() - b.createdAt.getTime() ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/**
 * Which credits pay `wanted` credits, in consumption order: each is taken whole or in part until
 * `wanted` is met; `shortfall` is what they could not cover (zero when they could). Credits with
 * nothing available are skipped. Pure: the caller decides whether a shortfall is allowed.
 */
export function planConsumption(credits: readonly AvailableCredit[], wanted: ExactDecimal): { takes: Take[]; shortfall: ExactDecimal } {
  let left = wanted;
  const takes: Take[] = [];
  for (const credit of [...credits].sort(byConsumptionOrder)) {
    if (left.lte(zero)) break;
    if (credit.creditsAvailable.lte(zero)) continue;
    const credits = ExactDecimal.min(left, credit.creditsAvailable);
    takes.push({ id: credit.id, credits });
    left = left.minus(credits);
  }
  return { takes, shortfall: ExactDecimal.max(left, zero) };
}

/** Places a quotient keeps when it does not terminate sooner (the wire's limit on fraction digits). */
export const quotientPlaces = 20;

/** The credits a currency `amount` buys at `topupConversionRate` (amount ÷ rate): exact when the quotient has at most 20 decimals. */
export const creditsForAmount = (amount: ExactDecimal, topupConversionRate: ExactDecimal): ExactDecimal => divideRounded(amount, topupConversionRate, quotientPlaces);

/** The currency value of `credits` at `rate` (credits × rate), exact. */
export const valueOfCredits = (credits: ExactDecimal, rate: ExactDecimal): ExactDecimal => credits.times(rate);
