import type { MikroORM } from '@mikro-orm/core';
import type { Clock } from './clock.ts';
import { Transactions } from './db/transactions.ts';
import type { Logger } from './logger.ts';
import { AddonService, addonReader } from './modules/addons/index.ts';
import { ApiKeyService } from './modules/api-keys/index.ts';
import { CouponService } from './modules/coupons/index.ts';
import { CustomerService } from './modules/customers/customer.service.ts';
import { CatalogService } from './modules/catalog/index.ts';
import { EntitlementService } from './modules/entitlements/index.ts';
import { EnvironmentReader, EnvironmentService } from './modules/environments/index.ts';
import { EventIngestion, writeConcurrencyOf } from './modules/events/event-ingestion.ts';
import { EventQuery } from './modules/events/event-query.ts';
import { EventStore } from './modules/events/event.store.ts';
import { FeatureService, featureReader } from './modules/features/index.ts';
import { HealthService } from './modules/health/index.ts';
import { IdempotencyService } from './modules/idempotency/index.ts';
import { MeterService, meterReader } from './modules/meters/index.ts';
import { PlanService, planReader } from './modules/plans/index.ts';
import { PriceUnitService, priceUnitReader } from './modules/price-units/index.ts';
import { PriceService } from './modules/prices/index.ts';
import { UsageService } from './modules/usage/usage.service.ts';
import type { ServiceContext } from './service-context.ts';

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
  eventQuery: EventQuery;
  usage: UsageService;
  prices: PriceService;
  priceUnits: PriceUnitService;
  coupons: CouponService;
};

export function createServices(orm: MikroORM, clock: Clock, log: Logger): Services {
  const ctx: ServiceContext = { db: new Transactions(orm), clock };
  const meters = new MeterService(ctx);
  const entitlements = new EntitlementService(ctx, { features: featureReader, meters: meterReader, plans: planReader, addons: addonReader });
  const prices = new PriceService(ctx, { plans: planReader, addons: addonReader, meters: meterReader, priceUnits: priceUnitReader });
  const plans = new PlanService(ctx, { cloneSteps: [prices.copyToClonedPlan, entitlements.copyToClonedPlan] });
  const eventStore = new EventStore(orm);
  return {
    health: new HealthService(ctx),
    idempotency: new IdempotencyService(ctx),
    apiKeys: new ApiKeyService(ctx, new EnvironmentReader(), (err) => log.warn({ err }, 'could not record API key use')),
    customers: new CustomerService(orm, clock),
    environments: new EnvironmentService(ctx),
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
    eventIngestion: new EventIngestion(eventStore, clock, { maxConcurrentWrites: writeConcurrencyOf(orm) }),
    eventQuery: new EventQuery(eventStore, clock),
    usage: new UsageService(orm, clock),
    prices,
    priceUnits: new PriceUnitService(ctx, [prices.refuseUsedPriceUnit]),
    coupons: new CouponService(ctx),
  };
}
