/**
 * Money: Tally's one exact decimal, currency precision and rounding (half away from zero, once per
 * line), largest-remainder allocation and display amounts. Pure: no I/O.
 */
export { ExactDecimal, zero, decimalText, parseExactDecimal, formatDecimal, divideRounded } from './exact-decimal.ts';
export { currencyPrecision, defaultCurrencyPrecision, roundToPlaces, roundToCurrency, fitsCurrency } from './currency.ts';
export { allocate } from './allocation.ts';
export { displayAmount } from './display-amount.ts';
