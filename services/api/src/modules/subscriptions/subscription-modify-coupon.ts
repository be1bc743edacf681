import type { AuthContext } from '../../auth-context.ts';
import { associationActiveIn, repeatedCouponEndDate } from '../../billing/invoicing/index.ts';
import type { Tx } from '../../db/transactions.ts';
import { AppError, invalidFields, notFound } from '../../errors/app-error.ts';
import { newId } from '../../ids.ts';
import { newRecord, touch } from '../../records.ts';
import type { CouponService } from '../coupons/index.ts';
import { record } from '../webhooks/index.ts';
import type { CouponChange } from './subscription-modify-params.convert.ts';
import type { ModifyOutcome } from './subscription-modify.convert.ts';
import type { Subscription } from './subscription.entity.ts';
import type { SubscriptionRepo } from './subscription.repo.ts';
import { subscriptionEvent } from './subscription.webhook.ts';

export type CouponModifyFaces = { repo: SubscriptionRepo; coupons: CouponService };

const f = (field: string) => `coupon_params.${field}`;

/**
 * `type: coupon`, as FlexPrice's. `add` attaches the coupon to the whole subscription, or to one of its
 * line items, from `start_date` (default now) — redeemed as at subscription creation (published, inside
 * its redeem window now, under `max_redemptions`, a fixed coupon in the subscription's currency; counted)
 * and refused while the same coupon is attached and in effect at that start. A repeated coupon without
 * `end_date` ends after its `duration_in_periods`, as at creation. `remove` ends an attachment at
 * `end_date` (default now): it must have started by then and not have ended. An association discounts
 * the invoices whose period it overlaps (its end date inclusive). Announced by `subscription.updated`.
 */
export async function modifyCoupon(tx: Tx, auth: AuthContext, sub: Subscription, change: CouponChange, now: Date, faces: CouponModifyFaces): Promise<ModifyOutcome> {
  if (change.action === 'add') await add(tx, auth, sub, change, now, faces);
  else await remove(tx, auth, sub, change, now, faces);
  sub.version += 1;
  touch(sub, auth, now);
  await record(tx, auth, subscriptionEvent('subscription.updated', sub, now));
  return {};
}

async function add(tx: Tx, auth: AuthContext, sub: Subscription, change: Extract<CouponChange, { action: 'add' }>, now: Date, faces: CouponModifyFaces): Promise<void> {
  if (sub.subscriptionStatus === 'cancelled') throw new AppError('invalid_operation', `subscription ${sub.id} is cancelled: no coupon can be attached to it`, { type: 'coupon' });
  if (change.subscriptionId !== null && change.subscriptionId !== sub.id) throw invalidFields({ [f('subscription_id')]: `must be the subscription being modified (${sub.id})` });
  const startDate = change.startDate ?? now;
  if (change.endDate && change.endDate <= startDate) throw invalidFields({ [f('end_date')]: `must be after the association's start (${startDate.toISOString()})` });
  if (change.lineItemId !== null) {
    const item = (await faces.repo.lineItemsOf(tx, auth, [sub.id])).find((l) => l.id === change.lineItemId);
    if (!item) throw invalidFields({ [f('subscription_line_item_id')]: `must name a line item of subscription ${sub.id}` });
    if (item.endDate && item.endDate <= startDate) throw invalidFields({ [f('subscription_line_item_id')]: `names a line item that ends at ${item.endDate.toISOString()}, before the coupon would start` });
  }
  const coupon = await faces.coupons.redeem(tx, auth, change.couponCode, { currency: sub.currency, at: now, field: f('coupon_code') });
  const attached = (await faces.repo.associationsOf(tx, auth, [sub.id])).find((a) => a.couponId === coupon.id && associationActiveIn(a, { start: startDate, end: startDate }));
  if (attached) {
    throw new AppError('invalid_operation', `coupon ${coupon.id} is already attached to subscription ${sub.id} at ${startDate.toISOString()} (coupon association ${attached.id}); remove it first or give another start_date`, {
      [f('coupon_code')]: change.couponCode,
    });
  }
  const endDate =
    change.endDate ??
    (coupon.cadence === 'repeated' && coupon.durationInPeriods
      ? repeatedCouponEndDate(startDate, coupon.durationInPeriods, { unit: sub.billingPeriod, count: sub.billingPeriodCount, timezone: sub.timezone })
      : null);
  faces.repo.addAssociation(tx, {
    id: newId('couponAssociation'),
    couponId: coupon.id,
    subscriptionId: sub.id,
    subscriptionLineItemId: change.lineItemId,
    startDate,
    endDate,
    metadata: {},
    ...newRecord(auth, now),
  });
}

async function remove(tx: Tx, auth: AuthContext, sub: Subscription, change: Extract<CouponChange, { action: 'remove' }>, now: Date, faces: CouponModifyFaces): Promise<void> {
  const a = (await faces.repo.associationsOf(tx, auth, [sub.id])).find((x) => x.id === change.associationId);
  if (!a) throw notFound('Coupon association', f('coupon_association_id'), change.associationId);
  const at = change.endDate ?? now;
  if (a.endDate && a.endDate <= at) throw new AppError('invalid_operation', `coupon association ${a.id} has already ended (${a.endDate.toISOString()})`, { [f('coupon_association_id')]: a.id });
  if (at < a.startDate) throw invalidFields({ [f('end_date')]: `must not be before the association's start (${a.startDate.toISOString()}): it has not started` });
  a.endDate = at;
  touch(a, auth, now);
}
