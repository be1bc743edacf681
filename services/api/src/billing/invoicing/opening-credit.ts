import { ExactDecimal, formatDecimal, zero } from '../money/index.ts';

export type OpeningCredit = {
  /** Each line's amount after the credit, in the same order. */
  amounts: string[];
  /** What each line gave up to the credit, in the same order ("0" for lines it did not reach). */
  taken: string[];
  /** The part of the credit the lines absorbed: never more than their sum. */
  applied: string;
  /** The part left over, which is not carried anywhere. */
  unapplied: string;
};

/**
 * A plan change's credit for the old subscription's unused time, netted against the FIXED lines of
 * the new subscription's opening invoice (docs/flexprice-compatibility.md#proration): each line, in
 * order, gives up as much of its amount as the credit has left, down to 0. Lines are already rounded
 * to the currency, and so is the credit, so no rounding happens here. $60 fixed less a $15 credit →
 * $45; $20 and $10 less $25 → $0 and $5; $10 less $25 → $0 with $15 unapplied.
 */
export function netOpeningCredit(amounts: readonly string[], credit: string): OpeningCredit {
  let remaining = ExactDecimal.max(zero, new ExactDecimal(credit));
  const taken: string[] = [];
  const after = amounts.map((a) => {
    const amount = new ExactDecimal(a);
    const take = amount.gt(0) ? ExactDecimal.min(amount, remaining) : zero;
    remaining = remaining.minus(take);
    taken.push(formatDecimal(take));
    return formatDecimal(amount.minus(take));
  });
  const requested = ExactDecimal.max(zero, new ExactDecimal(credit));
  return { amounts: after, taken, applied: formatDecimal(requested.minus(remaining)), unapplied: formatDecimal(remaining) };
}
