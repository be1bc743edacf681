import { currencyPrecision, ExactDecimal, formatDecimal, parseExactDecimal, zero } from '../money/index.ts';
import { PricingError, type PricingProblem } from './errors.ts';
import type { PackageRound, PackageTransform } from './package.ts';

export const billingModels = ['FLAT_FEE', 'PACKAGE', 'TIERED'] as const;
export type BillingModel = (typeof billingModels)[number];
export const tierModes = ['VOLUME', 'SLAB'] as const;
export type TierMode = (typeof tierModes)[number];

/**
 * One tier of a TIERED price, in FlexPrice's wire and storage shape (snake_case, decimal strings):
 * `up_to` is an inclusive integer bound, `null`/absent for the open last tier.
 */
export type PriceTier = { up_to?: number | null; unit_amount: string; flat_amount?: string | null };

/** FlexPrice's `transform_quantity`, wire shape: bundles of `divide_by` units; `round` → `up`. */
export type TransformQuantity = { divide_by: number; round?: PackageRound | null };

/**
 * The fields of a FlexPrice price that decide its cost. Naming follows Tally's entities: top-level
 * fields are camelCase (`billing_model` → `billingModel`, `tier_mode` → `tierMode`,
 * `billing_period_count` → `billingPeriodCount`, `transform_quantity` → `transformQuantity`), while
 * the JSON values keep their wire shape (`tiers[].up_to`, `transform_quantity.divide_by`), as a
 * JSON column stores them. Amounts are decimal strings. Fields the engine ignores for a model
 * (tiers on FLAT_FEE, transform on TIERED) may be present. Problems name these fields in
 * snake_case: `amount`, `tiers[1].unit_amount`, `transform_quantity.divide_by`.
 */
export type PriceDefinition = {
  /** ISO code, any case; decides the rounding precision. */
  currency: string;
  billingModel: BillingModel;
  /** FlexPrice prices a count of 0 as nothing; Tally refuses it. */
  billingPeriodCount: number;
  /** Per unit (FLAT_FEE) or per package (PACKAGE); required for both. */
  amount?: string | null;
  /** Required for TIERED: FlexPrice prices a TIERED price without it as 0; Tally refuses it. */
  tierMode?: TierMode | null;
  tiers?: readonly PriceTier[] | null;
  /** Required for PACKAGE, ignored otherwise. */
  transformQuantity?: TransformQuantity | null;
};

/**
 * A price set in a custom price unit (e.g. credits): FlexPrice's `price_unit`, `price_unit_amount`,
 * `price_unit_tiers` and the unit's `conversion_rate` (fiat per unit, > 0), camelCased like
 * `PriceDefinition`. `currency` is the unit's base currency, the fiat the line is billed in.
 * Problems name `price_unit`, `conversion_rate`, `price_unit_amount` and `price_unit_tiers[i]…`.
 */
export type CustomUnitPriceDefinition = Omit<PriceDefinition, 'amount' | 'tiers'> & {
  priceUnit: string;
  conversionRate: string;
  priceUnitAmount?: string | null;
  priceUnitTiers?: readonly PriceTier[] | null;
};

/**
 * A validated tier, in ascending `up_to` order: it covers the quantities above the previous
 * tier's `upTo` (0 for the first) up to and including its own; `upTo = null` is the open last tier.
 */
export type RatedTier = { upTo: ExactDecimal | null; unitAmount: ExactDecimal; flatAmount: ExactDecimal };

/** A custom-unit price's own side: the same price in the unit, and the unit's value in fiat. */
export type CustomUnit = { priceUnit: string; conversionRate: ExactDecimal; price: RatedPrice };

/**
 * A price read and validated once, ready to be priced for any number of quantities: exact
 * decimals, tiers sorted with their bounds, the package transform, the currency's precision. A
 * custom-unit price carries its fiat amounts (unit amounts × conversion rate, exact) and, in
 * `customUnit`, the same price in the unit.
 */
export type RatedPrice = {
  /** Lower-case ISO code. */
  currency: string;
  /** Decimal places line amounts are rounded to. */
  precision: number;
  billingModel: BillingModel;
  /** FLAT_FEE: per unit; PACKAGE: per package; TIERED: 0. */
  amount: ExactDecimal;
  tierMode: TierMode | null;
  tiers: RatedTier[];
  transform: PackageTransform | null;
  customUnit: CustomUnit | null;
};

/** The one parser's answer: the price, or every reason it cannot be priced. */
export type PriceParse = { ok: true; price: RatedPrice } | { ok: false; problems: PricingProblem[] };

const currencyCode = /^[A-Za-z]{3}$/;

/** Where a definition keeps its amounts: `amount`/`tiers`, or `price_unit_amount`/`price_unit_tiers`. */
type AmountFields = { amount: string; tiers: string };
const fiatFields: AmountFields = { amount: 'amount', tiers: 'tiers' };
const unitFields: AmountFields = { amount: 'price_unit_amount', tiers: 'price_unit_tiers' };

function readAmount(value: unknown, field: string, problems: PricingProblem[]): ExactDecimal {
  const amount = parseExactDecimal(value);
  if (amount === undefined) {
    problems.push({ kind: 'invalid_decimal', field, message: `must be a decimal string (e.g. "0.001"), got ${JSON.stringify(value)}` });
    return zero;
  }
  if (amount.isNegative()) problems.push({ kind: 'invalid_amount', field, message: 'must be greater than or equal to 0' });
  return amount;
}

function readTiers(tiers: readonly PriceTier[] | null | undefined, field: string, problems: PricingProblem[]): RatedTier[] {
  if (!Array.isArray(tiers) || tiers.length === 0) {
    problems.push({ kind: 'invalid_tiers', field, message: 'are required when billing_model is TIERED' });
    return [];
  }
  let boundsValid = true;
  const rated = tiers.map((tier, i): RatedTier => {
    if (typeof tier !== 'object' || tier === null) {
      problems.push({ kind: 'invalid_tiers', field: `${field}[${i}]`, message: 'must be an object {up_to, unit_amount, flat_amount}' });
      boundsValid = false;
      return { upTo: null, unitAmount: zero, flatAmount: zero };
    }
    const upTo = tier.up_to;
    let bound: ExactDecimal | null = null;
    if (upTo !== null && upTo !== undefined) {
      if (typeof upTo !== 'number' || !Number.isSafeInteger(upTo) || upTo < 1) {
        problems.push({ kind: 'invalid_tiers', field: `${field}[${i}].up_to`, message: 'must be a positive integer or null (open last tier)' });
        boundsValid = false;
      } else bound = new ExactDecimal(upTo);
    }
    const flat = tier.flat_amount;
    return {
      upTo: bound,
      unitAmount: readAmount(tier.unit_amount, `${field}[${i}].unit_amount`, problems),
      flatAmount: flat === null || flat === undefined ? zero : readAmount(flat, `${field}[${i}].flat_amount`, problems),
    };
  });
  if (!boundsValid) return rated;
  // FlexPrice sorts tiers by up_to (open tier last) before pricing; so does Tally. A stable sort
  // keeps the stored order when it is already ascending, as every price Tally stores is.
  const sorted = [...rated].sort((a, b) => (a.upTo === null ? (b.upTo === null ? 0 : 1) : b.upTo === null ? -1 : a.upTo.comparedTo(b.upTo)));
  const open = sorted.filter((t) => t.upTo === null).length;
  if (open !== 1) {
    // A bounded last tier leaves larger quantities without a price (FlexPrice's VOLUME would stretch
    // the last tier while its SLAB drops the excess); two open tiers overlap.
    problems.push({ kind: 'invalid_tiers', field, message: `must have exactly one open last tier (up_to null), found ${open}` });
  }
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1].upTo;
    const cur = sorted[i].upTo;
    if (prev !== null && cur !== null && prev.eq(cur)) {
      problems.push({ kind: 'invalid_tiers', field, message: `must have distinct up_to values (${formatDecimal(cur)} appears twice)` });
    }
  }
  return sorted;
}

function readTransform(transform: TransformQuantity | null | undefined, problems: PricingProblem[]): PackageTransform | null {
  if (transform === null || transform === undefined || typeof transform !== 'object') {
    problems.push({ kind: 'invalid_transform_quantity', field: 'transform_quantity', message: 'is required when billing_model is PACKAGE' });
    return null;
  }
  const { divide_by: divideBy, round } = transform;
  let valid = true;
  if (typeof divideBy !== 'number' || !Number.isSafeInteger(divideBy) || divideBy < 1) {
    problems.push({ kind: 'invalid_transform_quantity', field: 'transform_quantity.divide_by', message: 'must be an integer greater than or equal to 1' });
    valid = false;
  }
  // Stored FlexPrice prices may carry `round: ""`: it means the default, up.
  const r: unknown = round;
  if (r !== undefined && r !== null && r !== '' && r !== 'up' && r !== 'down') {
    problems.push({ kind: 'invalid_transform_quantity', field: 'transform_quantity.round', message: 'must be one of up, down' });
    valid = false;
  }
  return valid ? { divideBy, round: r === 'down' ? 'down' : 'up' } : null;
}

/** The price rules, over whichever fields hold the amounts. */
function readAmounts(price: PriceDefinition, fields: AmountFields, problems: PricingProblem[]): RatedPrice {
  const currency = typeof price.currency === 'string' ? price.currency.toLowerCase() : '';
  if (!currencyCode.test(currency)) problems.push({ kind: 'invalid_currency', field: 'currency', message: 'must be a 3-letter currency code' });
  const count = price.billingPeriodCount;
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 1) {
    problems.push({ kind: 'invalid_billing_period_count', field: 'billing_period_count', message: 'must be an integer greater than 0' });
  }
  const rated: RatedPrice = {
    currency,
    precision: currencyPrecision(currency),
    billingModel: price.billingModel,
    amount: zero,
    tierMode: null,
    tiers: [],
    transform: null,
    customUnit: null,
  };
  switch (price.billingModel) {
    case 'FLAT_FEE':
    case 'PACKAGE':
      if (price.amount === null || price.amount === undefined) {
        problems.push({ kind: 'missing_amount', field: fields.amount, message: `is required when billing_model is ${price.billingModel}` });
      } else rated.amount = readAmount(price.amount, fields.amount, problems);
      if (price.billingModel === 'PACKAGE') rated.transform = readTransform(price.transformQuantity, problems);
      break;
    case 'TIERED': {
      const mode = price.tierMode;
      if (mode === null || mode === undefined || (mode as string) === '') {
        problems.push({ kind: 'missing_tier_mode', field: 'tier_mode', message: 'is required when billing_model is TIERED (one of VOLUME, SLAB)' });
      } else if (!tierModes.includes(mode)) {
        problems.push({ kind: 'invalid_tier_mode', field: 'tier_mode', message: 'must be one of VOLUME, SLAB' });
      } else rated.tierMode = mode;
      rated.tiers = readTiers(price.tiers, fields.tiers, problems);
      break;
    }
    default:
      problems.push({ kind: 'invalid_billing_model', field: 'billing_model', message: `must be one of ${billingModels.join(', ')}` });
  }
  return rated;
}

function readConversionRate(value: unknown, problems: PricingProblem[]): ExactDecimal {
  const conversionRate = parseExactDecimal(value);
  if (conversionRate === undefined || !conversionRate.gt(0)) {
    problems.push({ kind: 'invalid_conversion_rate', field: 'conversion_rate', message: 'must be a decimal string greater than 0' });
    return zero;
  }
  return conversionRate;
}

/** The price as written in its unit: `price_unit_amount`/`price_unit_tiers` in the amount/tier slots. */
export function inUnits(price: CustomUnitPriceDefinition): PriceDefinition {
  const { priceUnit: _unit, conversionRate: _rate, priceUnitAmount, priceUnitTiers, ...common } = price;
  return { ...common, amount: priceUnitAmount, tiers: priceUnitTiers };
}

/** Unit prices × conversion rate, exactly: unit prices such as 0.00015 are never rounded, only line amounts are. */
function inFiat(inUnit: RatedPrice, priceUnit: string, conversionRate: ExactDecimal): RatedPrice {
  return {
    ...inUnit,
    amount: inUnit.amount.times(conversionRate),
    tiers: inUnit.tiers.map((t) => ({ upTo: t.upTo, unitAmount: t.unitAmount.times(conversionRate), flatAmount: t.flatAmount.times(conversionRate) })),
    customUnit: { priceUnit, conversionRate, price: inUnit },
  };
}

const isCustomUnit = (price: PriceDefinition | CustomUnitPriceDefinition): price is CustomUnitPriceDefinition => 'priceUnit' in price;

/**
 * The one parser of prices: reads a stored or requested price once into a `RatedPrice`, or
 * answers every reason the engine would refuse it, all at once. A custom-unit price is checked
 * in its unit (problems named `price_unit_amount`, `price_unit_tiers[i]…`) and converted to fiat
 * exactly. Tiers may be listed in any order, as FlexPrice sorts them; Tally's API also requires
 * new prices to list them ascending (`tierListingProblems`), a rule of the request.
 */
export function parsePrice(price: PriceDefinition | CustomUnitPriceDefinition): PriceParse {
  const problems: PricingProblem[] = [];
  if (!isCustomUnit(price)) {
    const rated = readAmounts(price, fiatFields, problems);
    return problems.length > 0 ? { ok: false, problems } : { ok: true, price: rated };
  }
  if (typeof price.priceUnit !== 'string' || price.priceUnit.trim().length !== 3) {
    problems.push({ kind: 'invalid_price_unit', field: 'price_unit', message: 'must be a 3-character price unit code' });
  }
  const conversionRate = readConversionRate(price.conversionRate, problems);
  const inUnit = readAmounts(inUnits(price), unitFields, problems);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, price: inFiat(inUnit, price.priceUnit, conversionRate) };
}

/** `parsePrice` for callers that expect a valid price: throws PricingError naming every problem. */
export function readPrice(price: PriceDefinition | CustomUnitPriceDefinition): RatedPrice {
  const parsed = parsePrice(price);
  if (!parsed.ok) throw new PricingError(parsed.problems);
  return parsed.price;
}

/**
 * Tally's rule for the tiers a request lists (FlexPrice sorts whatever it is given): ascending
 * `up_to`, and only the last tier open. Each problem names the tier (`tiers[1].up_to`); `field`
 * is the list's name. Non-integer bounds are `parsePrice`'s to refuse.
 */
export function tierListingProblems(tiers: readonly PriceTier[], field = 'tiers'): PricingProblem[] {
  const problems: PricingProblem[] = [];
  tiers.forEach((t, i) => {
    const upTo = `${field}[${i}].up_to`;
    if ((t.up_to === null || t.up_to === undefined) && i !== tiers.length - 1) {
      problems.push({ kind: 'invalid_tiers', field: upTo, message: 'is required on every tier but the last (only the last tier may be open)' });
    }
    const prev = i > 0 ? tiers[i - 1].up_to : undefined;
    if (typeof prev === 'number' && typeof t.up_to === 'number' && t.up_to <= prev) {
      problems.push({ kind: 'invalid_tiers', field: upTo, message: `must be greater than the previous tier's up_to (${prev}); tiers are listed in ascending order` });
    }
  });
  return problems;
}
