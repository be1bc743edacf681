/** Invoices, as other modules and the composition root use them. */
export { InvoiceService, type InvoiceServiceFaces, type PaymentRecords } from './invoice.service.ts';
export { OneOffInvoices } from './one-off-invoices.ts';
export { invoiceCreditPurchase, type CreditPurchase } from './credit-purchase-invoices.ts';
export type { InvoiceVoidHook } from './invoice-void-refund.ts';
export { InvoiceCreditNotes } from './invoice-credit-notes.ts';
export { customerInvoiceSummary } from './invoice-summary.ts';
export { InvoiceFinalizationWork, systemActor } from './invoice-finalization.work.ts';
export { toInvoiceResponse, type InvoiceResponse, type InvoiceView } from './invoice.convert.ts';
export type { Invoice } from './invoice.entity.ts';
export type { InvoiceLineItem } from './invoice-line-item.entity.ts';
export {
  noTaxes,
  type AppliedInvoiceTax,
  type ApplicableTaxRate,
  type BillableCoupon,
  type BillableLine,
  type BillableSubscription,
  type CustomerTime,
  type InvoicePaidHook,
  type InvoiceTaxResponse,
  type SubscriptionBillingRequest,
  type SubscriptionSource,
  type TaxApplications,
  type TaxRateOverrideInput,
  type TaxRates,
} from './billable-subscription.ts';
export { billProrationCharges, type ProrationCharge, type ProrationInvoiceRequest } from './proration-invoices.ts';
