import { PricingError, pricingError, type PricingProblem } from './errors.ts';
import { currencyPrecision, divideRounded, formatDecimal, parseDecimalText, readDecimal, type MoneyDecimal } from './money.ts';
import {
  priceDefinitionProblems,
  rate,
  readPrice,
  readQuantity,
  toPriceCost,
  type PriceCost,
  type PriceDefinition,
  type PriceTier,
  type TierBreakdown,
} from './price-cost.ts';

/**
 * A price set in a custom price unit (§2.4, e.g. credits): FlexPrice's `price_unit`,
 * `price_unit_amount`, `price_unit_tiers` and the unit's `conversion_rate` (fiat per unit, > 0),
 * camelCased like `PriceDefinition`. `currency` is the unit's base currency, the fiat the line is
 * billed in.
 */
export type CustomUnitPriceDefinition = Omit<PriceDefinition, 'amount' | 'tiers'> & {
  priceUnit: string;
  conversionRate: string;
  priceUnitAmount?: string | null;
  priceUnitTiers?: readonly PriceTier[] | null;
};

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

/** The price as written in its unit: `price_unit_amount`/`price_unit_tiers` in the amount/tier slots. */
function inUnits(price: CustomUnitPriceDefinition): PriceDefinition {
  const { priceUnit: _unit, conversionRate: _rate, priceUnitAmount, priceUnitTiers, ...common } = price;
  return { ...common, amount: priceUnitAmount, tiers: priceUnitTiers };
}

/** Unit-price problems name the unit fields (`price_unit_amount`, `price_unit_tiers[0].unit_amount`). */
function renamed(problem: PricingProblem): PricingProblem {
  const field = problem.field === 'amount' ? 'price_unit_amount' : problem.field.replace(/^tiers/, 'price_unit_tiers');
  return { ...problem, field };
}

/** Every reason the engine would refuse this custom-unit price, all at once. */
export function customUnitPriceProblems(price: CustomUnitPriceDefinition): PricingProblem[] {
  const problems: PricingProblem[] = [];
  if (typeof price.priceUnit !== 'string' || price.priceUnit.trim().length !== 3) {
    problems.push({ kind: 'invalid_price_unit', field: 'price_unit', message: 'must be a 3-character price unit code' });
  }
  const conversionRate = parseDecimalText(price.conversionRate);
  if (conversionRate === undefined || !conversionRate.gt(0)) {
    problems.push({ kind: 'invalid_conversion_rate', field: 'conversion_rate', message: 'must be a decimal string greater than 0' });
  }
  problems.push(...priceDefinitionProblems(inUnits(price)).map(renamed));
  return problems;
}

function readConversionRate(value: string): MoneyDecimal {
  const conversionRate = parseDecimalText(value);
  if (conversionRate === undefined || !conversionRate.gt(0)) {
    throw pricingError('invalid_conversion_rate', 'conversion_rate', 'must be a decimal string greater than 0');
  }
  return conversionRate;
}

/** `price_unit_amount × conversion_rate`, exact: a unit price's fiat value, never rounded (§2.4). */
export function fiatAmountOf(priceUnitAmount: string, conversionRate: string): string {
  return formatDecimal(readDecimal(priceUnitAmount, 'price_unit_amount').times(readConversionRate(conversionRate)));
}

/**
 * The fiat price FlexPrice stores at creation (§2.4): `amount` and every tier's `unit_amount` and
 * `flat_amount` multiplied by the conversion rate, exactly — unit prices such as 0.00015 must not
 * be rounded, only line amounts are. Billing the result is billing the custom-unit price.
 */
export function toFiatPrice(price: CustomUnitPriceDefinition): PriceDefinition {
  const problems = customUnitPriceProblems(price);
  if (problems.length > 0) throw new PricingError(problems);
  const conversionRate = readConversionRate(price.conversionRate);
  const fiat = (amount: string): string => formatDecimal(readDecimal(amount, 'amount').times(conversionRate));
  const { amount, tiers, ...common } = inUnits(price);
  return {
    ...common,
    amount: amount === null || amount === undefined ? amount : fiat(amount),
    tiers: tiers?.map((tier) => ({
      ...tier,
      unit_amount: fiat(tier.unit_amount),
      ...(tier.flat_amount === null || tier.flat_amount === undefined ? {} : { flat_amount: fiat(tier.flat_amount) }),
    })),
  };
}

/**
 * The cost of a custom-unit price for `quantity`, in both money: the unit cost, exact, and the fiat
 * line amount, `unit cost × conversion_rate` rounded once to the base currency's precision.
 * 1,000 calls at 0.5 credits per call, 1 credit = $0.015: 500 credits → $7.5.
 */
export function customUnitCost(price: CustomUnitPriceDefinition, quantity: string): CustomUnitCost {
  const fiatPrice = readPrice(toFiatPrice(price));
  const unitPrice = readPrice(inUnits(price));
  const q = readQuantity(quantity);
  const inUnit = rate(unitPrice, q);
  return {
    ...toPriceCost(fiatPrice, q, rate(fiatPrice, q)),
    priceUnit: price.priceUnit,
    conversionRate: formatDecimal(readConversionRate(price.conversionRate)),
    priceUnitAmount: formatDecimal(inUnit.cost),
    priceUnitTiers: inUnit.tiers,
  };
}

/**
 * The `price_unit_amount` FlexPrice writes on an invoice line billed from a custom-unit price
 * (§3.2): the line's fiat amount ÷ conversion rate, rounded to the base currency's precision
 * (price units inherit their base currency's precision), half away from zero.
 */
export function lineItemPriceUnitAmount(fiatAmount: string, conversionRate: string, currency: string): string {
  return formatDecimal(divideRounded(readDecimal(fiatAmount, 'amount'), readConversionRate(conversionRate), currencyPrecision(currency)));
}
