import { defineEntity, p } from '@mikro-orm/core';
import { environmentRecord, inEnvironment } from '../../db/base-properties.ts';
import type { CouponType } from '../../billing/pricing/index.ts';

export const couponCadences = ['once', 'repeated', 'forever'] as const;
export type CouponCadence = (typeof couponCadences)[number];

/**
 * A discount: `amountOff` in `currency` (fixed) or `percentageOff` (percentage), applied once, for
 * `durationInPeriods` periods, or forever. `couponCode` is stored trimmed and lower-cased.
 */
export const CouponSchema = defineEntity(environmentRecord('Coupon', 'coupons', {
  name: p.string().length(255),
  couponCode: p.string().length(255).nullable(),
  type: p.string().length(20).$type<CouponType>(),
  cadence: p.string().length(20).$type<CouponCadence>(),
  amountOff: p.decimal('string').columnType('numeric').nullable(),
  percentageOff: p.decimal('string').columnType('numeric').nullable(),
  currency: p.string().length(3).nullable(),
  durationInPeriods: p.integer().nullable(),
  maxRedemptions: p.integer().nullable(),
  totalRedemptions: p.integer().default(0),
  redeemAfter: p.datetime().nullable(),
  redeemBefore: p.datetime().nullable(),
  rules: p.json<Record<string, unknown>>().nullable(),
  metadata: p.json<Record<string, string>>().default('{}'),
}, { uniques: [inEnvironment('coupons_live_code_uq', ['couponCode'], "status = 'published' and coupon_code is not null")] }));
export class Coupon extends CouponSchema.class {}
CouponSchema.setClass(Coupon);
