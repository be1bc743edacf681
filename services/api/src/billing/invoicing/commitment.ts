import { currencyPrecision, divideRounded, ExactDecimal, formatDecimal, roundToPlaces, zero } from '../money/index.ts';
import { decimalOf, moneyOf, nonNegativeOf } from './decimal-text.ts';

/** A subscription's commitment: `commitment_amount`, `overage_factor`, `enable_true_up`. */
export type SubscriptionCommitment = { commitmentAmount: string | null; overageFactor: string | null; enableTrueUp: boolean };

/** A usage line as priced (after its allowance): its rounded amount at list price and its billable quantity. */
export type CommitmentUsageLine = { id: string; amount: string; quantity: string };

/**
 * One part of a usage line under a commitment: the part consumed against the commitment at list
 * price, or the overage beyond it at list price × the overage factor (FlexPrice names that line
 * "<display name> (Overage)" and marks it `is_overage`).
 */
export type CommittedCharge = {
  sourceLineId: string;
  isOverage: boolean;
  amount: string;
  quantity: string;
  /** Overage: the list-price amount the factor multiplied. */
  listAmount: string;
};

/** The true-up line: the commitment not used (FlexPrice's "<plan name> True Up", a FIXED line of quantity 1). */
export type CommitmentTrueUp = { amount: string; commitmentAmount: string; commitmentUtilized: string };

export type CommitmentResult = {
  /** False when the subscription has no commitment (amount ≤ 0, or factor ≤ 1): the lines stand as they were. */
  applies: boolean;
  charges: CommittedCharge[];
  commitmentUtilized: string;
  overageAmount: string;
  trueUp: CommitmentTrueUp | null;
};

/** Digits kept by a quantity split in proportion (not money). */
const quantityScale = 20;

/**
 * A subscription-level commitment over the period's usage lines, in order
 * (docs/flexprice-compatibility.md#commitments): usage is consumed against the commitment C at
 * list price; what lies beyond C is charged at list price × F as a separate overage line, rounded
 * once per line; with true-up enabled and no overage, a true-up line adds C − utilised. It applies
 * when C > 0 and F > 1. C = $100, F = 1.5: usage of $140 → $100 + $60 overage = $160; usage of $70
 * with true-up → $70 + $30.
 *
 * A line split between the two keeps its quantity in proportion to the amounts (14,000 calls for
 * $140 → 10,000 at list price, 4,000 in overage). Fixed charges are not subject to the commitment.
 */
export function applyCommitment(commitment: SubscriptionCommitment, lines: readonly CommitmentUsageLine[], currency: string): CommitmentResult {
  const places = currencyPrecision(currency);
  const c = commitment.commitmentAmount === null ? zero : moneyOf(commitment.commitmentAmount, 'commitment_amount', places);
  const factor = commitment.overageFactor === null ? zero : decimalOf(commitment.overageFactor, 'overage_factor');
  const read = lines.map((l, i) => ({ id: l.id, amount: moneyOf(l.amount, `lines[${i}].amount`, places), quantity: nonNegativeOf(l.quantity, `lines[${i}].quantity`) }));
  if (!c.gt(0) || !factor.gt(1)) {
    return {
      applies: false,
      charges: read.map((l) => ({ sourceLineId: l.id, isOverage: false, amount: formatDecimal(l.amount), quantity: formatDecimal(l.quantity), listAmount: formatDecimal(l.amount) })),
      commitmentUtilized: '0',
      overageAmount: '0',
      trueUp: null,
    };
  }
  let remaining = c;
  let overageTotal = zero;
  const charges: CommittedCharge[] = [];
  for (const line of read) {
    const covered = ExactDecimal.min(line.amount, remaining);
    const beyond = line.amount.minus(covered);
    remaining = remaining.minus(covered);
    const overQuantity = beyond.isZero() ? zero : divideRounded(line.quantity.times(beyond), line.amount, quantityScale);
    if (!covered.isZero() || beyond.isZero()) {
      charges.push({ sourceLineId: line.id, isOverage: false, amount: formatDecimal(covered), quantity: formatDecimal(line.quantity.minus(overQuantity)), listAmount: formatDecimal(covered) });
    }
    if (!beyond.isZero()) {
      const overage = roundToPlaces(beyond.times(factor), places);
      overageTotal = overageTotal.plus(overage);
      charges.push({ sourceLineId: line.id, isOverage: true, amount: formatDecimal(overage), quantity: formatDecimal(overQuantity), listAmount: formatDecimal(beyond) });
    }
  }
  const utilized = c.minus(remaining);
  const hasOverage = charges.some((ch) => ch.isOverage);
  const trueUp =
    commitment.enableTrueUp && !hasOverage && remaining.gt(0)
      ? { amount: formatDecimal(remaining), commitmentAmount: formatDecimal(c), commitmentUtilized: formatDecimal(utilized) }
      : null;
  return { applies: true, charges, commitmentUtilized: formatDecimal(utilized), overageAmount: formatDecimal(overageTotal), trueUp };
}
