import type { ExactDecimal } from '../money/index.ts';

/** FLAT_FEE (§3.2): `amount` per unit, so the cost is `amount × quantity`, exact. */
export function flatFeeCost(amount: ExactDecimal, quantity: ExactDecimal): ExactDecimal {
  return amount.times(quantity);
}
