import type { components } from '@tally/contract';
import type { QueryParams } from '../../wire/contract-types.ts';
import { ExactDecimal, formatDecimal } from '../../billing/money/index.ts';
import type { CouponType } from '../../billing/pricing/index.ts';
import { throwIfProblems, type Problems } from '../../errors/problems.ts';
import { listQueryOf, type ListQuery } from '../../listing/list-query.ts';
import { parseDateInput } from '../../wire/date-input.ts';
import { compareDecimals, parseDecimal } from '../../wire/decimal-input.ts';
import { recordFields } from '../../wire/record-fields.ts';
import type { Coupon, CouponCadence } from './coupon.entity.ts';
import { couponSearchFields } from './coupon.search.ts';

type CreateRequest = components['schemas']['CreateCouponRequest'];
type UpdateRequest = components['schemas']['UpdateCouponRequest'];
type SearchRequest = components['schemas']['CouponFilter'];
export type CouponResponse = components['schemas']['CouponResponse'];

type Errors = Problems;

/** FlexPrice's cap on `max_redemptions` (its `MaxCouponRedemptionsLimit`). */
export const maxRedemptionsLimit = 1_000_000;
const maxPercentage = '100';

/** A coupon to create, validated: exactly one discount value, the one its type uses. */
export type NewCoupon = {
  name: string;
  type: CouponType;
  cadence: CouponCadence;
  amountOff: string | null;
  percentageOff: string | null;
  currency: string | null;
  durationInPeriods: number | null;
  maxRedemptions: number | null;
  redeemAfter: Date | null;
  redeemBefore: Date | null;
  couponCode: string | null;
  rules: Record<string, unknown> | null;
  metadata: Record<string, string>;
};

/** Changes to a coupon: `undefined` leaves a field as it is. */
export type CouponChanges = { name?: string; metadata?: Record<string, string> };

/** How codes are stored and compared: trimmed, lower case; an empty code is no code. */
export function normalizeCouponCode(code: string | undefined | null): string | null {
  const normalized = (code ?? '').trim().toLowerCase();
  return normalized === '' ? null : normalized;
}


function parseDiscount(body: CreateRequest, errors: Errors): { amountOff: string | null; percentageOff: string | null } {
  let amountOff: string | null = null;
  let percentageOff: string | null = null;
  if (body.type === 'fixed') {
    if (body.percentage_off !== undefined) errors.percentage_off = 'is only for a percentage coupon; a fixed coupon takes amount_off';
    if (body.amount_off === undefined) errors.amount_off = 'is required for a fixed coupon';
    else {
      const parsed = parseDecimal(body.amount_off, { positive: true });
      if ('problem' in parsed) errors.amount_off = parsed.problem;
      else amountOff = parsed.value;
    }
  } else {
    if (body.amount_off !== undefined) errors.amount_off = 'is only for a fixed coupon; a percentage coupon takes percentage_off';
    if (body.percentage_off === undefined) errors.percentage_off = 'is required for a percentage coupon';
    else {
      const parsed = parseDecimal(body.percentage_off, { positive: true });
      if ('problem' in parsed) errors.percentage_off = parsed.problem;
      else if (compareDecimals(parsed.value, maxPercentage) > 0) errors.percentage_off = `must be at most ${maxPercentage}`;
      else percentageOff = parsed.value;
    }
  }
  return { amountOff, percentageOff };
}

/**
 * A fixed coupon's currency: three letters, kept lower-case. A percentage coupon applies in any
 * currency, so FlexPrice drops whatever currency it is given, and so does Tally.
 */
function parseCurrency(body: CreateRequest, errors: Errors): string | null {
  if (body.type !== 'fixed') return null;
  if (body.currency === undefined || body.currency === '') {
    errors.currency = 'is required for a fixed coupon (the three-letter currency of amount_off)';
    return null;
  }
  if (!/^[A-Za-z]{3}$/.test(body.currency)) {
    errors.currency = `must be a three-letter ISO currency code (e.g. "usd"), got '${body.currency}'`;
    return null;
  }
  return body.currency.toLowerCase();
}

function parseDuration(body: CreateRequest, errors: Errors): number | null {
  if (body.cadence === 'repeated') {
    if (body.duration_in_periods === undefined) errors.duration_in_periods = 'is required for a repeated coupon';
    return body.duration_in_periods ?? null;
  }
  if (body.duration_in_periods !== undefined) {
    errors.duration_in_periods = `is only for a repeated coupon, not a ${body.cadence} one`;
  }
  return null;
}

export function fromCreateCouponRequest(body: CreateRequest): NewCoupon {
  const errors: Errors = {};
  if (body.name.trim() === '') errors.name = 'must not be blank';
  const { amountOff, percentageOff } = parseDiscount(body, errors);
  const currency = parseCurrency(body, errors);
  const durationInPeriods = parseDuration(body, errors);
  const maxRedemptions = body.max_redemptions ?? null;
  if (maxRedemptions !== null && (maxRedemptions < 1 || maxRedemptions > maxRedemptionsLimit)) {
    errors.max_redemptions = `must be between 1 and ${maxRedemptionsLimit}`;
  }
  const redeemAfter = parseDateInput(body.redeem_after, 'redeem_after', errors);
  const redeemBefore = parseDateInput(body.redeem_before, 'redeem_before', errors);
  if (redeemAfter && redeemBefore && redeemAfter > redeemBefore) errors.redeem_before = 'must not be before redeem_after';
  throwIfProblems(errors);
  return {
    name: body.name,
    type: body.type,
    cadence: body.cadence,
    amountOff,
    percentageOff,
    currency,
    durationInPeriods,
    maxRedemptions,
    redeemAfter,
    redeemBefore,
    couponCode: normalizeCouponCode(body.coupon_code),
    rules: body.rules ?? null,
    metadata: body.metadata ?? {},
  };
}

export function fromUpdateCouponRequest(body: UpdateRequest): CouponChanges {
  throwIfProblems(body.name !== undefined && body.name.trim() === '' ? { name: 'must not be blank' } : {});
  return { name: body.name, metadata: body.metadata };
}

/** A list or search of coupons, as the GET list and the search body both express it. */
export type CouponQuery = ListQuery & { couponIds?: string[]; couponCodes?: string[] };

export function fromCouponListRequest(input: QueryParams<'listCoupons'> | SearchRequest | undefined): CouponQuery {
  return { ...listQueryOf(input, couponSearchFields, 'coupon'), couponIds: input?.coupon_ids, couponCodes: input?.coupon_codes };
}

/** A stored numeric (read back as a string) in canonical form; FlexPrice sends `"0"` for the unused discount. */
const decimalOut = (value: string | null | undefined): string => (value == null ? '0' : formatDecimal(new ExactDecimal(value)));

/**
 * Entity → wire, as FlexPrice sends a coupon: both discount values (the unused one `"0"`), an empty
 * currency on percentage coupons, `null` for unset limits, window and rules, and no `coupon_code`
 * member when there is none.
 */
export function toCouponResponse(c: Coupon): CouponResponse {
  return {
    id: c.id,
    name: c.name,
    ...(c.couponCode ? { coupon_code: c.couponCode } : {}),
    type: c.type,
    cadence: c.cadence,
    amount_off: decimalOut(c.amountOff),
    percentage_off: decimalOut(c.percentageOff),
    currency: c.currency ?? '',
    duration_in_periods: c.durationInPeriods ?? null,
    max_redemptions: c.maxRedemptions ?? null,
    total_redemptions: c.totalRedemptions,
    redeem_after: c.redeemAfter ? c.redeemAfter.toISOString() : null,
    redeem_before: c.redeemBefore ? c.redeemBefore.toISOString() : null,
    rules: c.rules ?? null,
    metadata: c.metadata ?? {},
    ...recordFields(c),
  };
}
