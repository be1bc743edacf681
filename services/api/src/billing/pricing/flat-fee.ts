import type { ExactDecimal } from '../money/index.ts';

/** FLAT_FEE (docs/flexprice-compatibility.md#price-math): `amount` per unit, so the cost is `amount × quantity`, exact. */
export function flatFeeCost(amount: ExactDecimal, quantity: ExactDecimal): ExactDecimal {
  return amount.times(quantity);
}
