import { nextBillingDate, type BillingPeriodUnit, type Period } from '../period/index.ts';

/** FlexPrice's coupon `cadence`. */
export const couponCadences = ['once', 'repeated', 'forever'] as const;
export type CouponCadence = (typeof couponCadences)[number];

/** A coupon association's dates: from `startDate`, until `endDate` (inclusive) when it has one. */
export type CouponAssociationDates = { startDate: Date; endDate?: Date | null };

/** The subscription's billing period, which a repeated coupon's duration counts in. */
export type CouponPeriodUnit = { unit: BillingPeriodUnit; count: number; timezone: string };

export type CouponApplicability = {
  cadence: CouponCadence;
  /** repeated: how many billing periods it lasts. */
  durationInPeriods?: number | null;
  association: CouponAssociationDates;
  /** The invoice's period_start/period_end. */
  invoicePeriod: Period;
  /** How many of the subscription's invoices this association has discounted already. */
  priorApplications: number;
  /** repeated without an end date: the subscription's period, to find the end from the duration. */
  subscriptionPeriod?: CouponPeriodUnit;
};

const oneSecond = 1_000;

/**
 * When a repeated coupon stops: its start advanced by `durationInPeriods` of the subscription's
 * billing periods, less one second (3 monthly periods from Jan 1 → Mar 31 23:59:59), so it
 * discounts the invoices whose periods start before then.
 */
export function repeatedCouponEndDate(startDate: Date, durationInPeriods: number, period: CouponPeriodUnit): Date {
  if (!Number.isSafeInteger(durationInPeriods) || durationInPeriods < 1) throw new RangeError('duration_in_periods must be a whole number ≥ 1');
  const end = nextBillingDate(startDate, startDate, period.unit, period.count * durationInPeriods, period.timezone);
  return new Date(end.getTime() - oneSecond);
}

/** True when the association is active during the invoice period: it starts by the period's end and has not ended before its start. */
export function associationActiveIn(association: CouponAssociationDates, invoicePeriod: Period): boolean {
  return association.startDate <= invoicePeriod.end && (!association.endDate || association.endDate >= invoicePeriod.start);
}

/**
 * Whether a coupon association discounts an invoice, by the coupon's cadence as FlexPrice documents
 * it (docs/flexprice-compatibility.md#coupon-discounts): `once` the first invoice of the association
 * only; `repeated` the invoices of its first `duration_in_periods` billing periods (until its end
 * date); `forever` every invoice while the association is active. The coupon's redemption limits and
 * redeem window decide whether an association may be made, never whether an existing one applies.
 */
export function couponApplies(input: CouponApplicability): boolean {
  const { cadence, association, invoicePeriod } = input;
  if (!Number.isSafeInteger(input.priorApplications) || input.priorApplications < 0) throw new RangeError('priorApplications must be a whole number ≥ 0');
  switch (cadence) {
    case 'once':
      return input.priorApplications === 0 && associationActiveIn(association, invoicePeriod);
    case 'forever':
      return associationActiveIn(association, invoicePeriod);
    case 'repeated': {
      if (association.endDate) return associationActiveIn(association, invoicePeriod);
      if (!input.durationInPeriods || !input.subscriptionPeriod) throw new RangeError('a repeated coupon needs an end date, or duration_in_periods and the subscription’s period');
      const endDate = repeatedCouponEndDate(association.startDate, input.durationInPeriods, input.subscriptionPeriod);
      return associationActiveIn({ startDate: association.startDate, endDate }, invoicePeriod);
    }
  }
}
