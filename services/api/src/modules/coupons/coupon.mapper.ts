import type { components } from '@tally/contract';
import { formatDecimal } from '../../billing/money/index.ts';
import { ExactDecimal } from '../../billing/money/index.ts';
import type { Coupon } from './coupon.entity.ts';

export type CouponResponse = components['schemas']['CouponResponse'];

/** A stored numeric (read back as a string) in canonical form; FlexPrice sends `"0"` for the unused discount. */
const decimalOut = (value: string | null | undefined): string => (value == null ? '0' : formatDecimal(new ExactDecimal(value)));

/**
 * Entity → wire, as FlexPrice sends a coupon: both discount values (the unused one `"0"`), an empty
 * currency on percentage coupons, `null` for unset limits, window and rules, and no `coupon_code`
 * member when there is none.
 */
export function toApiCoupon(c: Coupon): CouponResponse {
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
    environment_id: c.environmentId,
    tenant_id: c.tenantId,
    status: c.status as CouponResponse['status'],
    created_at: c.createdAt.toISOString(),
    updated_at: c.updatedAt.toISOString(),
    created_by: c.createdBy ?? '',
    updated_by: c.updatedBy ?? '',
  };
}
