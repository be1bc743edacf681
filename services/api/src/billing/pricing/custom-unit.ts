import { currencyPrecision, divideRounded, formatDecimal, parseExactDecimal, type ExactDecimal } from '../money/index.ts';
import { pricingError } from './errors.ts';
import { readDecimal } from './decimal-field.ts';
import { rate, readQuantity, toPriceCost, type PriceCost } from './price-cost.ts';
import { inUnits, type CustomUnitPriceDefinition, type PriceDefinition, type RatedPrice } from './rated-price.ts';
import type { TierBreakdown } from './tiered.ts';

/**
 * The fiat cost (every `PriceCost` field: `amount` rounded once, `exactAmount`, fiat `tiers`) plus
 * the same cost in the price unit, exact: `exactAmount = priceUnitAmount × conversionRate`.
 */
export type CustomUnitCost = PriceCost & {
  priceUnit: string;
  conversionRate: string;
  priceUnitAmount: string;
  priceUnitTiers: TierBreakdown[];
};

function readConversionRate(value: string): ExactDecimal {
  const conversionRate = parseExactDecimal(value);
  if (conversionRate === undefined || !conversionRate.gt(0)) {
    throw pricingError('invalid_conversion_rate', 'conversion_rate', 'must be a decimal string greater than 0');
  }
  return conversionRate;
}

/** `price_unit_amount × conversion_rate`, exact: a unit price's fiat value, never rounded. */
export function fiatAmountOf(priceUnitAmount: string, conversionRate: string): string {
  return formatDecimal(readDecimal(priceUnitAmount, 'price_unit_amount').times(readConversionRate(conversionRate)));
}

/**
 * The fiat price FlexPrice stores at creation, in the stored shape: `amount` and every tier's
 * `unit_amount` and `flat_amount` multiplied by the conversion rate, exactly — unit prices such as
 * 0.00015 must not be rounded, only line amounts are. A conversion only: check the price with
 * `parsePrice` first (this refuses only what it cannot multiply).
 */
export function toFiatPrice(price: CustomUnitPriceDefinition): PriceDefinition {
  const conversionRate = readConversionRate(price.conversionRate);
  const fiat = (amount: string, field: string): string => formatDecimal(readDecimal(amount, field).times(conversionRate));
  const { amount, tiers, ...common } = inUnits(price);
  return {
    ...common,
    amount: amount === null || amount === undefined ? amount : fiat(amount, 'price_unit_amount'),
    tiers: tiers?.map((tier, i) => ({
      ...tier,
      unit_amount: fiat(tier.unit_amount, `price_unit_tiers[${i}].unit_amount`),
      ...(tier.flat_amount === null || tier.flat_amount === undefined ? {} : { flat_amount: fiat(tier.flat_amount, `price_unit_tiers[${i}].flat_amount`) }),
    })),
  };
}

/**
 * The cost of a custom-unit price for `quantity`, in both money: the unit cost, exact, and the fiat
 * line amount, `unit cost × conversion_rate` rounded once to the base currency's precision.
 * 1,000 calls at 0.5 credits per call, 1 credit = $0.015: 500 credits → $7.5.
 */
export function customUnitCost(price: RatedPrice, quantity: string): CustomUnitCost {
  const unit = price.customUnit;
  if (unit === null) throw new TypeError('customUnitCost needs a price set in a custom unit');
  const q = readQuantity(quantity);
  const inUnit = rate(unit.price, q);
  return {
    ...toPriceCost(price, q, rate(price, q)),
    priceUnit: unit.priceUnit,
    conversionRate: formatDecimal(unit.conversionRate),
    priceUnitAmount: formatDecimal(inUnit.cost),
    priceUnitTiers: inUnit.tiers,
  };
}

/**
 * The `price_unit_amount` FlexPrice writes on an invoice line billed from a custom-unit price: the
 * line's fiat amount ÷ conversion rate, rounded to the base currency's precision (price units
 * inherit their base currency's precision), half away from zero.
 */
export function lineItemPriceUnitAmount(fiatAmount: string, conversionRate: string, currency: string): string {
  return formatDecimal(divideRounded(readDecimal(fiatAmount, 'amount'), readConversionRate(conversionRate), currencyPrecision(currency)));
}
