import type { MoneyDecimal } from './money.ts';

/** FLAT_FEE (§3.2): `amount` per unit, so the cost is `amount × quantity`, exact. */
export function flatFeeCost(amount: MoneyDecimal, quantity: MoneyDecimal): MoneyDecimal {
  return amount.times(quantity);
}
