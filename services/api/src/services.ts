import type { MikroORM } from '@mikro-orm/core';
import type { AuthContext } from './auth-context.ts';
import type { Clock } from './clock.ts';
import { Transactions } from './db/transactions.ts';
import type { Logger } from './logger.ts';
import { AddonService, addonReader } from './modules/addons/index.ts';
import { ApiKeyService } from './modules/api-keys/index.ts';
import { CouponService } from './modules/coupons/index.ts';
import { CustomerService, customerReader } from './modules/customers/index.ts';
import { CatalogService } from './modules/catalog/index.ts';
import { EntitlementService } from './modules/entitlements/index.ts';
import { EnvironmentReader, EnvironmentService } from './modules/environments/index.ts';
import { EventIngestion, EventQuery, EventRepo, RejectedEvents } from './modules/events/index.ts';
import { FeatureService, featureReader } from './modules/features/index.ts';
import { HealthService } from './modules/health/index.ts';
import { IdempotencyService } from './modules/idempotency/index.ts';
import { MeterService, meterReader } from './modules/meters/index.ts';
import { PlanService, planReader } from './modules/plans/index.ts';
import { PriceUnitService, priceUnitReader } from './modules/price-units/index.ts';
import { PriceService } from './modules/prices/index.ts';
import { TaxApplicationService, TaxAssociationService, TaxRateService } from './modules/taxes/index.ts';
import { UsageService } from './modules/usage/index.ts';
import type { ServiceContext } from './service-context.ts';
import { WebhookDeliveryService, WebhookEndpointService, WebhookEventService, type AddressPolicy } from './modules/webhooks/index.ts';

/** The use-case layer, built once per process. */
export type Services = {
  health: HealthService;
  idempotency: IdempotencyService;
  apiKeys: ApiKeyService;
  customers: CustomerService;
  environments: EnvironmentService;
  meters: MeterService;
  features: FeatureService;
  plans: PlanService;
  addons: AddonService;
  catalog: CatalogService;
  entitlements: EntitlementService;
  eventIngestion: EventIngestion;
  rejectedEvents: RejectedEvents;
  eventQuery: EventQuery;
  usage: UsageService;
  prices: PriceService;
  priceUnits: PriceUnitService;
  coupons: CouponService;
  taxRates: TaxRateService;
  taxAssociations: TaxAssociationService;
  taxApplications: TaxApplicationService;
  webhookEndpoints: WebhookEndpointService;
  webhookEvents: WebhookEventService;
  webhookDeliveries: WebhookDeliveryService;
};

/**
 * Where webhooks may be delivered (see modules/webhooks/url-safety.ts), and how often an event
 * name that no meter counts is announced (`event.rejected`).
 */
export type ServiceOptions = { webhookPolicy: AddressPolicy; rejectedEventWindowMs: number };

export function createServices(orm: MikroORM, clock: Clock, log: Logger, options: ServiceOptions = { webhookPolicy: { allowPrivate: false }, rejectedEventWindowMs: 600_000 }): Services {
  const ctx: ServiceContext = { db: new Transactions(orm), clock };
  const meters = new MeterService(ctx);
  const entitlements = new EntitlementService(ctx, { features: featureReader, meters: meterReader, plans: planReader, addons: addonReader });
  const prices = new PriceService(ctx, { plans: planReader, addons: addonReader, meters: meterReader, priceUnits: priceUnitReader });
  const plans = new PlanService(ctx, { cloneSteps: [prices.copyToClonedPlan, entitlements.copyToClonedPlan] });
  const events = new EventRepo(orm);
  const environments = new EnvironmentService(ctx);
  const environmentType = async (auth: AuthContext) => (await environments.get(auth, auth.environmentId)).type;
  const webhookEvents = new WebhookEventService(ctx);
  // Subscriptions and invoices register a TaxEntityChecker here, test clocks a TaxEntityClock.
  const taxAssociations = new TaxAssociationService(ctx, { customers: customerReader });
  const rejectedEvents = new RejectedEvents({
    meters: (auth) => meters.publishedDefinitions(auth),
    announce: (auth, events) => webhookEvents.announce(auth, events),
    clock,
    windowMs: options.rejectedEventWindowMs,
    onError: (err) => log.warn({ err }, 'could not announce rejected events'),
  });
  return {
    health: new HealthService(ctx),
    idempotency: new IdempotencyService(ctx),
    apiKeys: new ApiKeyService(ctx, new EnvironmentReader(), (err) => log.warn({ err }, 'could not record API key use')),
    // A new customer gets the tenant's auto-applied tax associations, in the same transaction.
    customers: new CustomerService(ctx, { afterCreate: [(tx, auth, customer) => taxAssociations.copyToCustomer(tx, auth, customer.id)] }),
    environments,
    meters,
    features: new FeatureService(ctx, { meters, meterReader, deletionGuards: [entitlements.refuseGrantedFeature] }),
    entitlements,
    plans,
    addons: new AddonService(ctx),
    catalog: new CatalogService(ctx, {
      plans: planReader,
      addons: addonReader,
      planService: plans,
      prices,
      entitlements,
    }),
    eventIngestion: new EventIngestion(events, clock, {
      maxConcurrentWrites: events.writeConcurrency,
      onStored: (auth, events) => rejectedEvents.notice(auth, events),
    }),
    rejectedEvents,
    eventQuery: new EventQuery(events, clock),
    usage: new UsageService(ctx, { customers: customerReader, meters: meterReader }),
    prices,
    priceUnits: new PriceUnitService(ctx, [prices.refuseUsedPriceUnit]),
    coupons: new CouponService(ctx),
    taxRates: new TaxRateService(ctx),
    taxAssociations,
    taxApplications: new TaxApplicationService(ctx),
    webhookEndpoints: new WebhookEndpointService(ctx, options.webhookPolicy, environmentType),
    webhookEvents,
    webhookDeliveries: new WebhookDeliveryService(ctx),
  };
}
