import { PricingError, pricingError, type PricingProblem } from './errors.ts';
import { flatFeeCost } from './flat-fee.ts';
import { formatDecimal, MoneyDecimal, parseDecimalText, roundToCurrency, zero } from './money.ts';
import { packageCost, type PackageRound, type PackageTransform } from './package.ts';
import { tieredCost, tierModes, type RatedTier, type TierBreakdown, type TierMode } from './tiered.ts';

export const billingModels = ['FLAT_FEE', 'PACKAGE', 'TIERED'] as const;
export type BillingModel = (typeof billingModels)[number];
export type { TierMode, TierBreakdown, PackageRound };

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
 * JSON column stores them — so a Price entity can be passed as is. Amounts are decimal strings.
 * Fields the engine ignores for a model (tiers on FLAT_FEE, transform on TIERED) may be present.
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
  /** Required for PACKAGE, ignored otherwise (§3.2). */
  transformQuantity?: TransformQuantity | null;
};

export type PackageBreakdown = { divideBy: number; round: PackageRound; packages: string };

/**
 * The cost of a price for a quantity. `amount` is the line amount, rounded once to the currency's
 * precision (half away from zero); `exactAmount` is the same cost before that rounding, and the
 * breakdown's amounts are exact too, so they add up to `exactAmount`.
 */
export type PriceCost = {
  currency: string;
  billingModel: BillingModel;
  tierMode: TierMode | null;
  quantity: string;
  amount: string;
  exactAmount: string;
  /** TIERED: each tier reached (VOLUME: the one tier; SLAB: every tier that priced units). */
  tiers: TierBreakdown[];
  /** PACKAGE: how many bundles were billed. */
  packages: PackageBreakdown | null;
};

/** A price read and validated once, ready to be priced for any number of quantities. */
export type RatedPrice = {
  currency: string;
  billingModel: BillingModel;
  amount: MoneyDecimal;
  tierMode: TierMode | null;
  tiers: RatedTier[];
  transform: PackageTransform | null;
};

/** The exact (unrounded) cost of a rated price for a validated quantity. */
export type ExactCharge = { cost: MoneyDecimal; tiers: TierBreakdown[]; packages: PackageBreakdown | null };

const currencyCode = /^[A-Za-z]{3}$/;

function readAmount(value: unknown, field: string, problems: PricingProblem[]): MoneyDecimal {
  const amount = parseDecimalText(value);
  if (amount === undefined) {
    problems.push({ kind: 'invalid_decimal', field, message: `must be a decimal string (e.g. "0.001"), got ${JSON.stringify(value)}` });
    return zero;
  }
  if (amount.isNegative()) problems.push({ kind: 'invalid_amount', field, message: 'must be greater than or equal to 0' });
  return amount;
}

function readTiers(tiers: readonly PriceTier[] | null | undefined, problems: PricingProblem[]): RatedTier[] {
  if (!Array.isArray(tiers) || tiers.length === 0) {
    problems.push({ kind: 'invalid_tiers', field: 'tiers', message: 'are required when billing_model is TIERED' });
    return [];
  }
  let boundsValid = true;
  const rated = tiers.map((tier, i): RatedTier => {
    if (typeof tier !== 'object' || tier === null) {
      problems.push({ kind: 'invalid_tiers', field: `tiers[${i}]`, message: 'must be an object {up_to, unit_amount, flat_amount}' });
      boundsValid = false;
      return { upTo: null, unitAmount: zero, flatAmount: zero };
    }
    const upTo = tier.up_to;
    let bound: MoneyDecimal | null = null;
    if (upTo !== null && upTo !== undefined) {
      if (typeof upTo !== 'number' || !Number.isSafeInteger(upTo) || upTo < 1) {
        problems.push({ kind: 'invalid_tiers', field: `tiers[${i}].up_to`, message: 'must be a positive integer or null (open last tier)' });
        boundsValid = false;
      } else bound = new MoneyDecimal(upTo);
    }
    const flat = tier.flat_amount;
    return {
      upTo: bound,
      unitAmount: readAmount(tier.unit_amount, `tiers[${i}].unit_amount`, problems),
      flatAmount: flat === null || flat === undefined ? zero : readAmount(flat, `tiers[${i}].flat_amount`, problems),
    };
  });
  if (!boundsValid) return rated;
  // FlexPrice sorts tiers by up_to (open tier last) before pricing; so does Tally. A stable sort
  // keeps the stored order when it is already ascending, the normal case.
  const sorted = [...rated].sort((a, b) => (a.upTo === null ? (b.upTo === null ? 0 : 1) : b.upTo === null ? -1 : a.upTo.comparedTo(b.upTo)));
  const open = sorted.filter((t) => t.upTo === null).length;
  if (open !== 1) {
    // A bounded last tier leaves larger quantities without a price (FlexPrice's VOLUME would stretch
    // the last tier while its SLAB drops the excess); two open tiers overlap.
    problems.push({ kind: 'invalid_tiers', field: 'tiers', message: `must have exactly one open last tier (up_to null), found ${open}` });
  }
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1].upTo;
    const cur = sorted[i].upTo;
    if (prev !== null && cur !== null && prev.eq(cur)) {
      problems.push({ kind: 'invalid_tiers', field: 'tiers', message: `must have distinct up_to values (${formatDecimal(cur)} appears twice)` });
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

function inspectPrice(price: PriceDefinition): { problems: PricingProblem[]; rated: RatedPrice } {
  const problems: PricingProblem[] = [];
  const currency = typeof price.currency === 'string' ? price.currency.toLowerCase() : '';
  if (!currencyCode.test(currency)) problems.push({ kind: 'invalid_currency', field: 'currency', message: 'must be a 3-letter currency code' });
  const count = price.billingPeriodCount;
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 1) {
    problems.push({ kind: 'invalid_billing_period_count', field: 'billing_period_count', message: 'must be an integer greater than 0' });
  }
  const rated: RatedPrice = { currency, billingModel: price.billingModel, amount: zero, tierMode: null, tiers: [], transform: null };
  switch (price.billingModel) {
    case 'FLAT_FEE':
    case 'PACKAGE':
      if (price.amount === null || price.amount === undefined) {
        problems.push({ kind: 'missing_amount', field: 'amount', message: `is required when billing_model is ${price.billingModel}` });
      } else rated.amount = readAmount(price.amount, 'amount', problems);
      if (price.billingModel === 'PACKAGE') rated.transform = readTransform(price.transformQuantity, problems);
      break;
    case 'TIERED': {
      const mode = price.tierMode;
      if (mode === null || mode === undefined || (mode as string) === '') {
        problems.push({ kind: 'missing_tier_mode', field: 'tier_mode', message: 'is required when billing_model is TIERED (one of VOLUME, SLAB)' });
      } else if (!tierModes.includes(mode)) {
        problems.push({ kind: 'invalid_tier_mode', field: 'tier_mode', message: 'must be one of VOLUME, SLAB' });
      } else rated.tierMode = mode;
      rated.tiers = readTiers(price.tiers, problems);
      break;
    }
    default:
      problems.push({ kind: 'invalid_billing_model', field: 'billing_model', message: `must be one of ${billingModels.join(', ')}` });
  }
  return { problems, rated };
}

/**
 * Every reason the engine would refuse this price, all at once (empty when it can be priced).
 * Price creation can run it to answer 400 before storing a price the engine would not bill.
 */
export function priceDefinitionProblems(price: PriceDefinition): PricingProblem[] {
  return inspectPrice(price).problems;
}

/** Validates a price once (throws PricingError naming every problem) for repeated pricing. */
export function readPrice(price: PriceDefinition): RatedPrice {
  const { problems, rated } = inspectPrice(price);
  if (problems.length > 0) throw new PricingError(problems);
  return rated;
}

/** A quantity: a decimal string ≥ 0, fractional allowed. Negative usage is the caller's to clamp. */
export function readQuantity(quantity: string, field = 'quantity'): MoneyDecimal {
  const q = parseDecimalText(quantity);
  if (q === undefined) throw pricingError('invalid_quantity', field, `must be a decimal string (e.g. "1.5"), got ${JSON.stringify(quantity)}`);
  if (q.isNegative()) throw pricingError('invalid_quantity', field, 'must be greater than or equal to 0');
  return q;
}

/** The exact cost of a validated price for a validated quantity: the dispatch over models. */
export function rate(price: RatedPrice, quantity: MoneyDecimal): ExactCharge {
  // §3.2: quantity 0 costs 0 under every model, tier flat amounts included.
  if (quantity.isZero()) return { cost: zero, tiers: [], packages: price.transform ? { divideBy: price.transform.divideBy, round: price.transform.round, packages: '0' } : null };
  switch (price.billingModel) {
    case 'FLAT_FEE':
      return { cost: flatFeeCost(price.amount, quantity), tiers: [], packages: null };
    case 'PACKAGE': {
      const transform = price.transform as PackageTransform;
      const { packages, cost } = packageCost(price.amount, quantity, transform);
      return { cost, tiers: [], packages: { divideBy: transform.divideBy, round: transform.round, packages: formatDecimal(packages) } };
    }
    case 'TIERED': {
      const { cost, tiers } = tieredCost(price.tierMode as TierMode, price.tiers, quantity);
      return { cost, tiers, packages: null };
    }
  }
}

/** Assembles the public result: the line amount is rounded here, once. */
export function toPriceCost(price: RatedPrice, quantity: MoneyDecimal, charge: ExactCharge): PriceCost {
  return {
    currency: price.currency,
    billingModel: price.billingModel,
    tierMode: price.billingModel === 'TIERED' ? price.tierMode : null,
    quantity: formatDecimal(quantity),
    amount: formatDecimal(roundToCurrency(charge.cost, price.currency)),
    exactAmount: formatDecimal(charge.cost),
    tiers: charge.tiers,
    packages: charge.packages,
  };
}

/**
 * The cost of `price` for `quantity` units (§3.2): exact decimal arithmetic, one rounding to the
 * currency's precision at the end. Throws PricingError for a price or quantity it cannot price.
 *
 *   priceCost({ currency: 'usd', billingModel: 'FLAT_FEE', billingPeriodCount: 1, amount: '0.002' }, '12345')
 *     → { amount: '24.69', exactAmount: '24.69', … }
 */
export function priceCost(price: PriceDefinition, quantity: string): PriceCost {
  const problems: PricingProblem[] = [];
  let q: MoneyDecimal | undefined;
  try {
    q = readQuantity(quantity);
  } catch (e) {
    if (!(e instanceof PricingError)) throw e;
    problems.push(...e.problems);
  }
  const inspected = inspectPrice(price);
  problems.push(...inspected.problems);
  if (problems.length > 0 || q === undefined) throw new PricingError(problems);
  return toPriceCost(inspected.rated, q, rate(inspected.rated, q));
}
