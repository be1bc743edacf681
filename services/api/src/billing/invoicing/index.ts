/**
 * Invoice arithmetic for subscriptions: which charges an invoice holds and for which period, usage
 * after included allowances, commitments, coupons, prepaid credits, taxes and totals, statuses,
 * numbers, due dates, payments and the proration of unused ADVANCE charges. Pure: no I/O, no clock
 * — every instant is an argument. Amounts and quantities are decimal strings in and out; every
 * line amount is rounded once, when the line is made, and totals are sums of rounded parts.
 */
export { priceTypes, invoiceCadences, checkLineItem } from './line-item.ts';
export type { PriceType, InvoiceCadence, PriceBillingPeriod, InvoicePrice, SubscriptionLineItem } from './line-item.ts';
export { billingReasons, windowBillingReasons } from './billing-reason.ts';
export type { BillingReason, WindowBillingReason } from './billing-reason.ts';
export { prorationBehaviors, subscriptionEnd, scheduleOf } from './invoicing-subscription.ts';
export type { ProrationBehavior, InvoicingSubscription } from './invoicing-subscription.ts';
export { planInvoiceLines } from './invoice-composition.ts';
export type {
  ChargeKind,
  FixedChargeKind,
  ChargeProration,
  PlannedFixedLine,
  PlannedUsageLine,
  PlannedLine,
  SkippedCharge,
  InvoicePlanInput,
  InvoicePlan,
} from './invoice-composition.ts';
export { isAlreadyBilled } from './already-billed.ts';
export type { BilledCharge } from './already-billed.ts';
export { isLongerPeriod, longerLinePeriod } from './longer-period-line.ts';
export { fixedChargeAmount } from './fixed-charge.ts';
export type { FixedChargeAmount } from './fixed-charge.ts';
export { usageResetPeriods, allowancePlan, allowanceWindows } from './included-allowance.ts';
export type { UsageResetPeriod, MeteredEntitlement, AllowancePlan } from './included-allowance.ts';
export { usageCharge } from './usage-charge.ts';
export type { UsageChargeInput, UsageCharge } from './usage-charge.ts';
export { applyCommitment } from './commitment.ts';
export type { SubscriptionCommitment, CommitmentUsageLine, CommittedCharge, CommitmentTrueUp, CommitmentResult } from './commitment.ts';
export { couponCadences, couponApplies, associationActiveIn, repeatedCouponEndDate } from './coupon-cadence.ts';
export type { CouponCadence, CouponAssociationDates, CouponPeriodUnit, CouponApplicability } from './coupon-cadence.ts';
export { applyInvoiceDiscounts } from './invoice-discounts.ts';
export type { DiscountableLine, LineCoupon, InvoiceCoupon, CouponApplication, DiscountedLine, InvoiceDiscounts, InvoiceDiscountInput } from './invoice-discounts.ts';
export { applyPrepaidCredits } from './prepaid-credits.ts';
export type { CreditableLine, PrepaidCredits } from './prepaid-credits.ts';
export { applyWalletCredits, type CreditWallet, type WalletCredits } from './wallet-credits.ts';
export { walletPayable, type PayableLine } from './wallet-payable.ts';
export { taxRateTypes, invoiceTaxes } from './invoice-taxes.ts';
export type { TaxRateType, TaxRate, AppliedTax, InvoiceTaxes } from './invoice-taxes.ts';
export { invoiceTotals } from './invoice-totals.ts';
export type { TotalsLine, InvoiceTotalsInput, InvoiceTotals } from './invoice-totals.ts';
export { invoiceStatuses, invoiceTypes, computedInvoiceStatus, canVoidInvoice, voidRefund } from './invoice-status.ts';
export type { InvoiceStatus, InvoiceType, VoidRefund } from './invoice-status.ts';
export { paymentStatuses, paymentStatusTransitions, canTransitionPaymentStatus, canDeletePayment } from './payment-status.ts';
export type { PaymentStatus } from './payment-status.ts';
export { reconcileInvoicePayments } from './payment-reconciliation.ts';
export type { InvoicePaymentState } from './payment-reconciliation.ts';
export { invoiceNumberFormats, defaultInvoiceNumberConfig, invoiceNumberDate, invoiceNumber } from './invoice-number.ts';
export type { InvoiceNumberFormat, InvoiceNumberConfig } from './invoice-number.ts';
export { paymentTerms, defaultDueDateDays, paymentTermDays, invoiceDueDate } from './due-date.ts';
export type { PaymentTerms } from './due-date.ts';
export { proratedAdvanceCharge, unusedAdvanceCredit } from './advance-proration.ts';
export type { AdvanceProrationInput, UnusedAdvanceCreditInput, UnusedAdvanceCredit } from './advance-proration.ts';
export { creditNoteTypes, creditNoteTypeFor, maxCreditable, applyCreditNote, reverseAdjustment, checkCreditLines } from './credit-notes.ts';
export type { CreditNoteType, CreditedInvoice, CreditedAmounts, CreditLine } from './credit-notes.ts';
export { quantityProration } from './quantity-proration.ts';
export type { QuantityProrationInput, QuantityProration } from './quantity-proration.ts';
export { netOpeningCredit } from './opening-credit.ts';
export type { OpeningCredit } from './opening-credit.ts';
