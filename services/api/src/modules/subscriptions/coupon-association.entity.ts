import { defineEntity, p } from '@mikro-orm/core';
import { environmentRecord, inEnvironment } from '../../db/base-properties.ts';

/**
 * A coupon attached to a subscription (`subscriptionLineItemId` null: to the whole invoice; set: to
 * that line item), from `startDate` until `endDate` (inclusive) when it has one.
 */
export const CouponAssociationSchema = defineEntity(environmentRecord('CouponAssociation', 'coupon_associations', {
  couponId: p.string().length(64),
  subscriptionId: p.string().length(64),
  subscriptionLineItemId: p.string().length(64).nullable(),
  startDate: p.datetime(),
  endDate: p.datetime().nullable(),
  metadata: p.json<Record<string, string>>().default('{}'),
}, { indexes: [inEnvironment('coupon_associations_subscription_idx', ['subscriptionId'])] }));
export class CouponAssociation extends CouponAssociationSchema.class {}
CouponAssociationSchema.setClass(CouponAssociation);
