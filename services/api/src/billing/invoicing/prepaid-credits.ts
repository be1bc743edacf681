import { currencyPrecision, ExactDecimal, formatDecimal, zero } from '../money/index.ts';
import { moneyOf, nonNegativeOf } from './decimal-text.ts';
import type { PriceType } from './line-item.ts';

/** An invoice line after its discounts, as prepaid credits see it. */
export type CreditableLine = { id: string; priceType: PriceType; amountAfterDiscounts: string };

export type PrepaidCredits = {
  /** Per line, in order: `prepaid_credits_applied`. */
  lines: { id: string; prepaidCreditsApplied: string }[];
  /** `total_prepaid_credits_applied`. */
  totalPrepaidCreditsApplied: string;
};

/**
 * Prepaid credits at finalization (docs/flexprice-compatibility.md#invoices): they pay USAGE lines
 * only, each up to what the line has left after its discounts, in line order, until `available` (the
 * value of the customer's PRE_PAID wallets, in the invoice currency) runs out. What is applied is
 * whole minor units: a fraction of a cent in a wallet is never spent. A draft's computation passes
 * "0"; finalization applies the wallets through applyWalletCredits (one call per wallet).
 */
export function applyPrepaidCredits(lines: readonly CreditableLine[], available: string, currency: string): PrepaidCredits {
  const places = currencyPrecision(currency);
  let left = nonNegativeOf(available, 'available').toDecimalPlaces(places, ExactDecimal.ROUND_DOWN);
  let total = zero;
  const applied = lines.map((line, i) => {
    const due = moneyOf(line.amountAfterDiscounts, `lines[${i}].amountAfterDiscounts`, places);
    const take = line.priceType === 'USAGE' ? ExactDecimal.min(due, left) : zero;
    left = left.minus(take);
    total = total.plus(take);
    return { id: line.id, prepaidCreditsApplied: formatDecimal(take) };
  });
  return { lines: applied, totalPrepaidCreditsApplied: formatDecimal(total) };
}
