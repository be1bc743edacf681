/**
 * Why the engine refuses to price something. A closed set: each names a rule of FlexPrice's price,
 * price-unit and coupon model, including the two places where FlexPrice silently prices to 0
 * instead (`missing_tier_mode`, `invalid_billing_period_count`).
 */
export const pricingErrorKinds = [
  'invalid_decimal',
  'invalid_currency',
  'invalid_quantity',
  'invalid_billing_model',
  'invalid_billing_period_count',
  'missing_amount',
  'invalid_amount',
  'missing_tier_mode',
  'invalid_tier_mode',
  'invalid_tiers',
  'invalid_transform_quantity',
  'invalid_price_unit',
  'invalid_conversion_rate',
  'invalid_coupon',
  'currency_mismatch',
] as const;
export type PricingErrorKind = (typeof pricingErrorKinds)[number];

/** One broken rule, naming the field of the engine's input (snake_case, with indexes: `tiers[2].up_to`). */
export type PricingProblem = { kind: PricingErrorKind; field: string; message: string };

/**
 * A price, quantity or coupon the engine will not compute. A plain domain error: it knows nothing
 * of HTTP. When one escapes a request, the error mapper answers 400 `validation_error` naming every
 * problem's field; `problems` keeps the machine-readable kinds for callers that branch on them.
 */
export class PricingError extends Error {
  readonly problems: readonly PricingProblem[];
  constructor(problems: readonly PricingProblem[]) {
    if (problems.length === 0) throw new RangeError('PricingError needs at least one problem');
    super(problems.map((p) => `${p.field} ${p.message}`).join('; '));
    this.name = 'PricingError';
    this.problems = problems;
  }

  /** The first problem's kind: enough for callers that only care about one rule. */
  get kind(): PricingErrorKind {
    return this.problems[0].kind;
  }

  get field(): string {
    return this.problems[0].field;
  }
}

export const pricingError = (kind: PricingErrorKind, field: string, message: string): PricingError =>
  new PricingError([{ kind, field, message }]);
