import { currencyPrecision, ExactDecimal, formatDecimal, roundToPlaces, zero } from '../money/index.ts';
import { decimalOf, moneyOf, nonNegativeOf } from './decimal-text.ts';

/** FlexPrice's `tax_rate_type`. */
export const taxRateTypes = ['percentage', 'fixed'] as const;
export type TaxRateType = (typeof taxRateTypes)[number];

/** A tax rate applied to an invoice: `percentage_value` (0–100) or `fixed_value`. */
export type TaxRate = { id: string; taxRateType: TaxRateType; percentageValue?: string | null; fixedValue?: string | null };

/** FlexPrice's tax application: one per rate. */
export type AppliedTax = { taxRateId: string; taxableAmount: string; taxAmount: string };

export type InvoiceTaxes = { taxableAmount: string; taxes: AppliedTax[]; totalTax: string };

function taxOn(base: ExactDecimal, rate: TaxRate, places: number): ExactDecimal {
  if (rate.taxRateType === 'percentage') {
    const p = decimalOf(rate.percentageValue ?? '', `tax rate ${rate.id} percentage_value`);
    if (p.isNegative() || p.gt(100)) throw new RangeError(`tax rate ${rate.id}: percentage_value must be between 0 and 100`);
    return roundToPlaces(base.times(p).div(100), places);
  }
  if (rate.taxRateType === 'fixed') return roundToPlaces(nonNegativeOf(rate.fixedValue ?? '', `tax rate ${rate.id} fixed_value`), places);
  throw new RangeError(`tax rate ${rate.id}: tax_rate_type must be one of ${taxRateTypes.join(', ')}`);
}

/**
 * The taxes on an invoice (docs/flexprice-compatibility.md#taxes): every rate applies to the same
 * taxable amount, none to another's tax (no compounding); a percentage is base × p ÷ 100, a fixed
 * rate its value; each is rounded to the currency, half away from zero. 8.25% of $70 → $5.78.
 */
export function invoiceTaxes(taxableAmount: string, rates: readonly TaxRate[], currency: string): InvoiceTaxes {
  const places = currencyPrecision(currency);
  const base = moneyOf(taxableAmount, 'taxableAmount', places);
  let total = zero;
  const taxes = rates.map((rate): AppliedTax => {
    const tax = taxOn(base, rate, places);
    total = total.plus(tax);
    return { taxRateId: rate.id, taxableAmount: formatDecimal(base), taxAmount: formatDecimal(tax) };
  });
  return { taxableAmount: formatDecimal(base), taxes, totalTax: formatDecimal(total) };
}
