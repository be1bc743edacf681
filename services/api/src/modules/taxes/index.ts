/**
 * Taxes, as other modules may use them. The invoices module asks `TaxReader.applicableRates` which
 * rates tax an invoice, computes the taxes with `invoiceTaxes`/`invoiceTotals` (src/billing/invoicing),
 * records them with `recordApplied` and lists them in an invoice's `taxes[]` with `appliedTo` and
 * `toTaxAppliedResponse`. The customers and subscriptions modules give a new customer or subscription
 * its tax set-up with `copyToCustomer` / `copyToSubscription`, in their own unit of work. Subscriptions
 * and invoices register a `TaxEntityChecker` (and test clocks a `TaxEntityClock`) at the composition root.
 * A subscription's `modify` `type: tax` links and unlinks rates with `SubscriptionTaxLinks`.
 */
import type { TaxApplicationService } from './tax-application.service.ts';
import type { TaxAssociationService } from './tax-association.service.ts';

export { TaxRateService } from './tax-rate.service.ts';
export { TaxAssociationService } from './tax-association.service.ts';
export { TaxApplicationService, withAssociations } from './tax-application.service.ts';
export { parseTaxRateOverrides, parseCurrencyCode } from './tax-rate-override.ts';
export { toTaxAppliedResponse } from './tax-applied.convert.ts';
export { toTaxAssociationResponse } from './tax-association.convert.ts';
export { SubscriptionTaxLinks } from './subscription-tax-links.ts';
export { taxApplicationKey } from './tax-application-key.ts';
export type { TaxRateOverride } from './tax-rate-override.ts';
export type { TaxAppliedResponse } from './tax-applied.convert.ts';
export type { ApplicableRatesInput, ApplicableTaxRate, TaxApplication, TaxedInvoice, AppliedTaxView } from './tax-application.service.ts';
export type { TaxEntity, TaxEntityChecker, TaxEntityClock } from './tax-association.service.ts';
export type { TaxRate } from './tax-rate.entity.ts';
export type { TaxApplied } from './tax-applied.entity.ts';
export type { TaxAssociation, TaxEntityType } from './tax-association.entity.ts';

/** What the invoices module reads: the rates that tax an invoice, and the taxes applied to invoices. */
export type TaxReader = Pick<TaxApplicationService, 'applicableRates' | 'appliedTo'>;

/** What the invoices module writes: the record of the taxes applied to an invoice. */
export type TaxRecorder = Pick<TaxApplicationService, 'recordApplied'>;

/** What the customers and subscriptions modules call when they create one: its tax set-up. */
export type TaxInheritance = Pick<TaxAssociationService, 'copyToCustomer' | 'copyToSubscription'>;
