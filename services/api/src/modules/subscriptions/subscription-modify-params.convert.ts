import { invalidFields } from '../../errors/app-error.ts';
import { throwIfProblems, type Problems } from '../../errors/problems.ts';
import type { Schemas } from '../../wire/contract-types.ts';
import { parseDateInput } from '../../wire/date-input.ts';

/** `trial_end_params`: end the trial now, or move its end. */
export type TrialEndChange = { action: 'immediate' } | { action: 'scheduled_date'; newTrialEnd: Date };

/** `coupon_params`: attach a coupon (to the subscription, or one line item), or end an attachment. */
export type CouponChange =
  | { action: 'add'; couponCode: string; subscriptionId: string | null; lineItemId: string | null; startDate: Date | null; endDate: Date | null }
  | { action: 'remove'; associationId: string; endDate: Date | null };

/** `tax_params`: link a tax rate to the subscription, or end a link (each at `effectiveDate`, null: now). */
export type TaxChange = { action: 'add'; taxRateId: string; effectiveDate: Date | null } | { action: 'remove'; associationId: string; effectiveDate: Date | null };

const missing = (field: string, type: string) => invalidFields({ [field]: `is required for type ${type}` });
const present = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';

export function fromTrialEndParams(params: Schemas['SubModifyTrialEndParams'] | undefined): TrialEndChange {
  const errors: Problems = {};
  if (!params) throw missing('trial_end_params', 'trial_end');
  if (params.action === 'immediate') return { action: 'immediate' };
  const newTrialEnd = parseDateInput(params.new_trial_end, 'trial_end_params.new_trial_end', errors);
  if (params.new_trial_end === undefined) errors['trial_end_params.new_trial_end'] = 'is required when action is scheduled_date';
  throwIfProblems(errors);
  return { action: 'scheduled_date', newTrialEnd: newTrialEnd! };
}

export function fromCouponParams(params: Schemas['SubModifyCouponParams'] | undefined): CouponChange {
  const errors: Problems = {};
  if (!params) throw missing('coupon_params', 'coupon');
  const f = (field: string) => `coupon_params.${field}`;
  const startDate = parseDateInput(params.start_date, f('start_date'), errors);
  const endDate = parseDateInput(params.end_date, f('end_date'), errors);
  if (params.action === 'remove') {
    if (!present(params.coupon_association_id)) errors[f('coupon_association_id')] = 'is required when action is remove';
    throwIfProblems(errors);
    return { action: 'remove', associationId: params.coupon_association_id!, endDate };
  }
  if (!present(params.coupon_code)) errors[f('coupon_code')] = 'is required when action is add';
  if (params.subscription_id !== undefined && params.subscription_line_item_id !== undefined) {
    errors[f('subscription_line_item_id')] = 'must not be given with subscription_id: give at most one of them';
  }
  if (startDate && endDate && endDate <= startDate) errors[f('end_date')] = `must be after start_date (${startDate.toISOString()})`;
  throwIfProblems(errors);
  return { action: 'add', couponCode: params.coupon_code!, subscriptionId: params.subscription_id ?? null, lineItemId: params.subscription_line_item_id ?? null, startDate, endDate };
}

export function fromTaxParams(params: Schemas['SubModifyTaxParams'] | undefined): TaxChange {
  const errors: Problems = {};
  if (!params) throw missing('tax_params', 'tax');
  const effectiveDate = parseDateInput(params.effective_date, 'tax_params.effective_date', errors);
  if (params.action === 'remove') {
    if (!present(params.tax_association_id)) errors['tax_params.tax_association_id'] = 'is required when action is remove';
    throwIfProblems(errors);
    return { action: 'remove', associationId: params.tax_association_id!, effectiveDate };
  }
  if (!present(params.tax_rate_id)) errors['tax_params.tax_rate_id'] = 'is required when action is add';
  throwIfProblems(errors);
  return { action: 'add', taxRateId: params.tax_rate_id!, effectiveDate };
}
