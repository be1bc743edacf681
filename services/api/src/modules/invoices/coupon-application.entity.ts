import { defineEntity, p } from '@mikro-orm/core';
import { environmentRecord, inEnvironment } from '../../db/base-properties.ts';
import type { CouponType } from '../../billing/pricing/index.ts';

/** What one coupon took off one invoice (`invoiceLineItemId` null) or one of its lines; counted to decide a `once` coupon's next invoice. */
export const CouponApplicationSchema = defineEntity(environmentRecord('CouponApplication', 'coupon_applications', {
  couponId: p.string().length(64),
  couponAssociationId: p.string().length(64).nullable(),
  invoiceId: p.string().length(64),
  invoiceLineItemId: p.string().length(64).nullable(),
  subscriptionId: p.string().length(64).nullable(),
  appliedAt: p.datetime(),
  originalPrice: p.decimal('string').columnType('numeric'),
  finalPrice: p.decimal('string').columnType('numeric'),
  discountedAmount: p.decimal('string').columnType('numeric'),
  discountType: p.string().length(20).$type<CouponType>(),
  discountPercentage: p.decimal('string').columnType('numeric').nullable(),
  currency: p.string().length(3),
  couponSnapshot: p.json<Record<string, unknown>>().default('{}'),
  metadata: p.json<Record<string, string>>().default('{}'),
}, { indexes: [inEnvironment('coupon_applications_invoice_idx', ['invoiceId']), inEnvironment('coupon_applications_association_idx', ['couponAssociationId'])] }));
export class CouponApplication extends CouponApplicationSchema.class {}
CouponApplicationSchema.setClass(CouponApplication);
