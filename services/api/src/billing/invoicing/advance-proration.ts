import { currencyPrecision, ExactDecimal, formatDecimal, zero } from '../money/index.ts';
import { prorate, prorationCoefficient, type Fraction, type Period } from '../period/index.ts';
import { moneyOf, nonNegativeOf } from './decimal-text.ts';

export type AdvanceProrationInput = {
  /** The price's amount per unit. */
  amount: string;
  quantity: string;
  /** The period the ADVANCE charge covers. */
  period: Period;
  /** When the change (plan change, cancellation, quantity change) takes effect. */
  at: Date;
  currency: string;
};

export type UnusedAdvanceCreditInput = AdvanceProrationInput & {
  /** What the line was actually charged for the period (after its proration). */
  billed: string;
  /** Credits already given for the line and period. */
  alreadyCredited: string;
};

export type UnusedAdvanceCredit = {
  /** The credit: the unused share, capped at what was billed less earlier credits. */
  credit: string;
  /** The unused share before the cap. */
  unusedAmount: string;
  coefficient: Fraction;
};

/**
 * `amount × quantity` × FlexPrice's second-based coefficient (end − 1 s − at) ÷ (end − 1 s − start),
 * rounded once to the currency (docs/flexprice-compatibility.md#proration): the charge for the rest
 * of the period. $60 from halfway through a 30-day period → $30.00.
 */
export function proratedAdvanceCharge(input: AdvanceProrationInput): string {
  return formatDecimal(share(input).value);
}

function share(input: AdvanceProrationInput): { value: ExactDecimal; coefficient: Fraction } {
  const full = nonNegativeOf(input.amount, 'amount').times(nonNegativeOf(input.quantity, 'quantity'));
  const coefficient = prorationCoefficient(input.period, input.at);
  return { value: prorate(full, coefficient, currencyPrecision(input.currency)), coefficient };
}

/**
 * The credit for the unused part of a FIXED ADVANCE charge when it ends early (docs/flexprice-compatibility.md#proration):
 * `amount × quantity` × the coefficient, rounded once, but never more than was billed for the line
 * less the credits already given — a discounted or already-credited charge is not refunded twice.
 * $30 → $60 halfway through a 30-day period: credit 15.00, charge 30.00, net 15.00.
 */
export function unusedAdvanceCredit(input: UnusedAdvanceCreditInput): UnusedAdvanceCredit {
  const places = currencyPrecision(input.currency);
  const { value, coefficient } = share(input);
  const left = ExactDecimal.max(moneyOf(input.billed, 'billed', places).minus(moneyOf(input.alreadyCredited, 'alreadyCredited', places)), zero);
  return { credit: formatDecimal(ExactDecimal.min(value, left)), unusedAmount: formatDecimal(value), coefficient };
}
