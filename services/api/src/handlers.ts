import type { Handlers } from '@tally/contract';
import { addonHandlers } from './modules/addons/addon.handlers.ts';
import { apiKeyHandlers } from './modules/api-keys/api-key.handlers.ts';
import { couponHandlers } from './modules/coupons/coupon.handlers.ts';
import { customerHandlers } from './modules/customers/customer.handlers.ts';
import { entitlementHandlers } from './modules/entitlements/entitlement.handlers.ts';
import { environmentHandlers } from './modules/environments/environment.handlers.ts';
import { eventHandlers } from './modules/events/event.handlers.ts';
import { featureHandlers } from './modules/features/feature.handlers.ts';
import { healthHandlers } from './modules/health/health.handlers.ts';
import { meterHandlers } from './modules/meters/meter.handlers.ts';
import { planHandlers } from './modules/plans/plan.handlers.ts';
import { priceUnitHandlers } from './modules/price-units/price-unit.handlers.ts';
import { priceHandlers } from './modules/prices/price.handlers.ts';
import { taxHandlers } from './modules/taxes/tax.handlers.ts';
import { usageHandlers } from './modules/usage/usage.handlers.ts';
import { webhookHandlers } from './modules/webhooks/webhook.handlers.ts';
import { testClockHandlers } from './modules/test-clocks/test-clock.handlers.ts';
import { subscriptionHandlers } from './modules/subscriptions/subscription.handlers.ts';
import { lineItemHandlers } from './modules/subscriptions/line-item.handlers.ts';
import { replacementHandlers } from './modules/subscriptions/subscription-change-v1.handlers.ts';
import { subscriptionAddonHandlers } from './modules/subscriptions/subscription-addon.handlers.ts';
import { runtimeReadHandlers } from './modules/subscriptions/runtime-reads.handlers.ts';
import { invoiceHandlers } from './modules/invoices/invoice.handlers.ts';
import { paymentHandlers } from './modules/payments/payment.handlers.ts';
import { settingHandlers } from './modules/settings/settings.handlers.ts';
import { walletHandlers } from './modules/wallets/wallet.handlers.ts';
import { creditGrantHandlers } from './modules/credit-grants/credit-grant.handlers.ts';
import { creditNoteHandlers } from './modules/credit-notes/credit-note.handlers.ts';
import type { RequestContext } from './request-context.ts';
import type { Services } from './services.ts';

/** Every operation of the spec; a missing one fails type-checking here. */
export function createHandlers(services: Services): Handlers<RequestContext> {
  return {
    ...healthHandlers(services.health),
    ...customerHandlers(services.customers),
    ...environmentHandlers(services.environments),
    ...apiKeyHandlers(services.apiKeys),
    ...meterHandlers(services.meters),
    ...featureHandlers(services.features),
    ...planHandlers(services.plans, services.catalog),
    ...addonHandlers(services.addons, services.catalog),
    ...entitlementHandlers(services.entitlements),
    ...eventHandlers(services.eventIngestion, services.eventQuery),
    ...usageHandlers(services.usage),
    ...priceHandlers(services.prices),
    ...priceUnitHandlers(services.priceUnits),
    ...couponHandlers(services.coupons),
    ...taxHandlers(services.taxRates, services.taxAssociations),
    ...webhookHandlers(services.webhookEndpoints, services.webhookEvents),
    ...testClockHandlers(services.testClocks),
    ...subscriptionHandlers(services.subscriptions, { cancellations: services.subscriptionCancellations, schedules: services.subscriptionSchedules, pauses: services.subscriptionPauses, planChanges: services.subscriptionPlanChanges }),
    ...lineItemHandlers(services.subscriptionLineItems, services.subscriptionModifications, services.addonModifications),
    ...replacementHandlers(services.subscriptionReplacements),
    ...subscriptionAddonHandlers(services.subscriptionAddons),
    ...runtimeReadHandlers(services),
    ...invoiceHandlers(services.invoices, services.oneOffInvoices, services.invoiceSummary),
    ...paymentHandlers(services.payments),
    ...walletHandlers(services.wallets, services.walletRealTime),
    ...settingHandlers(services.settings),
    ...creditGrantHandlers(services.creditGrants),
    ...creditNoteHandlers(services.creditNotes),
  } satisfies Handlers<RequestContext>;
}
