import { ExactDecimal, zero } from '../money/index.ts';

/** The price types a wallet may pay (its `config.allowed_price_types`). */
export type AllowedPriceTypes = readonly ('ALL' | 'USAGE' | 'FIXED')[];

/** One FINALIZED invoice the customer has not fully paid, in the wallet's currency. */
export type UnpaidInvoice = { usageCharges: ExactDecimal; amountPaid: ExactDecimal; amountRemaining: ExactDecimal };

/** The parts of a wallet's real-time balance, in its currency. */
export type OngoingBalance = { currentPeriodUsage: ExactDecimal; unpaidInvoicesAmount: ExactDecimal; realTimeBalance: ExactDecimal };

const paysUsage = (allowed: AllowedPriceTypes) => allowed.length === 0 || allowed.includes('ALL') || allowed.includes('USAGE');
const paysAll = (allowed: AllowedPriceTypes) => allowed.includes('ALL') || allowed.includes('FIXED');

/**
 * What the customer's unpaid invoices hold against the wallet: the whole unpaid amount of each when
 * the wallet pays every price type (`ALL` or `FIXED`), otherwise each invoice's usage charges less
 * what was paid on it, never below zero.
 */
export function unpaidAgainstWallet(invoices: readonly UnpaidInvoice[], allowed: AllowedPriceTypes): ExactDecimal {
  return invoices.reduce((sum, i) => {
    const part = paysAll(allowed) ? i.amountRemaining : ExactDecimal.max(i.usageCharges.minus(i.amountPaid), zero);
    return sum.plus(part);
  }, zero);
}

/**
 * FlexPrice's real-time ("ongoing") balance of an active PRE_PAID wallet: its balance less the usage
 * of the customer's current periods (counted when the wallet pays usage) and less what unpaid
 * invoices hold; `currentPeriodUsage` is reported with the unpaid part included. Exact, unrounded.
 */
export function ongoingBalance(balance: ExactDecimal, periodUsage: ExactDecimal, invoices: readonly UnpaidInvoice[], allowed: AllowedPriceTypes): OngoingBalance {
  const unpaid = unpaidAgainstWallet(invoices, allowed);
  const usage = paysUsage(allowed) ? periodUsage : zero;
  const currentPeriodUsage = usage.plus(unpaid);
  return { currentPeriodUsage, unpaidInvoicesAmount: unpaid, realTimeBalance: balance.minus(currentPeriodUsage) };
}
