import type { MikroORM } from '@mikro-orm/core';
import type { AuthContext } from './auth-context.ts';
import type { Clock } from './clock.ts';
import { Transactions } from './db/transactions.ts';
import type { Logger } from './logger.ts';
import { AddonService } from './modules/addons/addon.service.ts';
import { ApiKeyService } from './modules/api-keys/api-key.service.ts';
import { CouponService } from './modules/coupons/index.ts';
import { CustomerService } from './modules/customers/customer.service.ts';
import { refuseFeatureWithEntitlements } from './modules/entitlements/entitlement.feature-guard.ts';
import { EntitlementService } from './modules/entitlements/entitlement.service.ts';
import { EnvironmentService } from './modules/environments/environment.service.ts';
import { EventIngestion, writeConcurrencyOf } from './modules/events/event-ingestion.ts';
import { EventQuery } from './modules/events/event-query.ts';
import { RejectedEvents } from './modules/events/event-rejections.ts';
import { EventStore } from './modules/events/event.store.ts';
import { FeatureService } from './modules/features/feature.service.ts';
import { MeterService } from './modules/meters/meter.service.ts';
import { PlanService } from './modules/plans/plan.service.ts';
import { PriceUnitService } from './modules/price-units/price-unit.service.ts';
import { PriceService } from './modules/prices/price.service.ts';
import { UsageService } from './modules/usage/usage.service.ts';
import type { ServiceContext } from './service-context.ts';
import { WebhookDeliveryService, WebhookEndpointService, WebhookEventService, type AddressPolicy } from './modules/webhooks/index.ts';

/** The use-case layer, built once per process. */
export type Services = {
  apiKeys: ApiKeyService;
  customers: CustomerService;
  environments: EnvironmentService;
  meters: MeterService;
  features: FeatureService;
  plans: PlanService;
  addons: AddonService;
  entitlements: EntitlementService;
  eventIngestion: EventIngestion;
  rejectedEvents: RejectedEvents;
  eventQuery: EventQuery;
  usage: UsageService;
  prices: PriceService;
  priceUnits: PriceUnitService;
  coupons: CouponService;
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
  const meters = new MeterService(orm, clock);
  const eventStore = new EventStore(orm);
  const environments = new EnvironmentService(orm, clock);
  const environmentType = async (auth: AuthContext) => (await environments.get(auth, auth.environmentId)).type;
  const webhookEvents = new WebhookEventService(ctx);
  const rejectedEvents = new RejectedEvents({
    meters: (auth) => meters.publishedDefinitions(auth),
    announce: (auth, events) => webhookEvents.announce(auth, events),
    clock,
    windowMs: options.rejectedEventWindowMs,
    onError: (err) => log.warn({ err }, 'could not announce rejected events'),
  });
  return {
    apiKeys: new ApiKeyService(orm, clock, (err) => log.warn({ err }, 'could not record API key use')),
    customers: new CustomerService(orm, clock),
    environments,
    meters,
    features: new FeatureService(orm, clock, meters, [refuseFeatureWithEntitlements]),
    entitlements: new EntitlementService(orm, clock),
    plans: new PlanService(orm, clock),
    addons: new AddonService(orm, clock),
    eventIngestion: new EventIngestion(eventStore, clock, {
      maxConcurrentWrites: writeConcurrencyOf(orm),
      onStored: (auth, events) => rejectedEvents.notice(auth, events),
    }),
    rejectedEvents,
    eventQuery: new EventQuery(eventStore, clock),
    usage: new UsageService(orm, clock),
    prices: new PriceService(orm, clock),
    priceUnits: new PriceUnitService(orm, clock),
    coupons: new CouponService(ctx),
    webhookEndpoints: new WebhookEndpointService(ctx, options.webhookPolicy, environmentType),
    webhookEvents,
    webhookDeliveries: new WebhookDeliveryService(ctx),
  };
}
