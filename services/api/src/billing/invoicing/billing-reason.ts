/** FlexPrice's `billing_reason` values, as the wire spells them. */
export const billingReasons = [
  'SUBSCRIPTION_CREATE',
  'SUBSCRIPTION_CYCLE',
  'SUBSCRIPTION_UPDATE',
  'SUBSCRIPTION_TRIAL_END',
  'SUBSCRIPTION_TRIAL_START',
  'PRORATION',
  'MANUAL',
  'AUTO_INVOICE_THRESHOLD',
  'WALLET_AUTO_TOPUP',
] as const;
export type BillingReason = (typeof billingReasons)[number];

/**
 * The subscription invoices composed from a billing window (docs/flexprice-compatibility.md#invoices):
 * the opening invoice, the period-end invoice, the two trial invoices, and the final invoice of an
 * immediate cancellation (PRORATION: the current period up to the cancellation).
 */
export const windowBillingReasons = ['SUBSCRIPTION_CREATE', 'SUBSCRIPTION_CYCLE', 'SUBSCRIPTION_TRIAL_START', 'SUBSCRIPTION_TRIAL_END', 'PRORATION'] as const;
export type WindowBillingReason = (typeof windowBillingReasons)[number];
