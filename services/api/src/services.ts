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
import { TestClockReader, TestClockService } from './modules/test-clocks/index.ts';
import { DueWorkRunner, type DueWork } from './jobs/due-work.ts';

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
  testClocks: TestClockService;
  /** Time for a customer (`nowFor`, `clockOf`): what billing use cases read instead of the wall clock. */
  testClockReader: TestClockReader;
  /** The due-work handlers (renewals, trial ends, …) the billing worker and test clocks run. */
  dueWork: DueWorkRunner;
};

/**
 * Where webhooks may be delivered (see modules/webhooks/url-safety.ts), and how often an event
 * name that no meter counts is announced (`event.rejected`).
 */
export type ServiceOptions = {
  webhookPolicy: AddressPolicy;
  rejectedEventWindowMs: number;
  /** How long a test clock's advance request waits for its due work before answering `advancing`. */
  advanceWaitMs: number;
  /** Due-work handlers to register after the built-in ones, given the services (tests register fakes here). */
  dueWork?: (services: Services) => DueWork[];
  /** Background failures (a test clock's advance). */
  onError: (err: unknown, what: string) => void;
};

const defaultOptions: ServiceOptions = { webhookPolicy: { allowPrivate: false }, rejectedEventWindowMs: 600_000, advanceWaitMs: 10_000, onError: () => undefined };

export function createServices(orm: MikroORM, clock: Clock, log: Logger, options: ServiceOptions = defaultOptions): Services {
  const ctx: ServiceContext = { db: new Transactions(orm), clock };
  const testClockReader = new TestClockReader(ctx);
  // Subscriptions and invoices register a TaxEntityChecker here; a test-clock customer's "now" is its clock's.
  const taxAssociations = new TaxAssociationService(ctx, {
    customers: customerReader,
    entityClock: async (tx, auth, entity) =>
      entity.entityType === 'customer' ? ((await testClockReader.clockOf(tx, auth, entity.entityId))?.frozenTime ?? null) : null,
  });
  const customers = new CustomerService(ctx, {
    testClocks: testClockReader,
    // A new customer gets the tenant's auto-applied tax associations, in the same transaction.
    afterCreate: [(tx, auth, customer) => taxAssociations.copyToCustomer(tx, auth, customer.id)],
  });
  const dueWork = new DueWorkRunner();
  const meters = new MeterService(ctx);
  const entitlements = new EntitlementService(ctx, { features: featureReader, meters: meterReader, plans: planReader, addons: addonReader });
  const prices = new PriceService(ctx, { plans: planReader, addons: addonReader, meters: meterReader, priceUnits: priceUnitReader });
  const plans = new PlanService(ctx, { cloneSteps: [prices.copyToClonedPlan, entitlements.copyToClonedPlan] });
  const events = new EventRepo(orm);
  const environments = new EnvironmentService(ctx);
  const environmentType = async (auth: AuthContext) => (await environments.get(auth, auth.environmentId)).type;
  const webhookEvents = new WebhookEventService(ctx);
  const rejectedEvents = new RejectedEvents({
    meters: (auth) => meters.publishedDefinitions(auth),
    announce: (auth, events) => webhookEvents.announce(auth, events),
    clock,
    windowMs: options.rejectedEventWindowMs,
    onError: (err) => log.warn({ err }, 'could not announce rejected events'),
  });
  // Built last: its deletion hooks end what other modules attach to a clock's customers.
  const testClocks = new TestClockService(ctx, {
    reader: testClockReader,
    dueWork: (scope, to, hooks) => dueWork.advance(scope, to, hooks),
    deleteCustomers: (tx, auth, testClockId) => customers.deleteOnTestClock(tx, auth, testClockId),
    deletionHooks: [],
    advanceWaitMs: options.advanceWaitMs,
    onError: options.onError,
  });
  const services: Services = {
    health: new HealthService(ctx),
    idempotency: new IdempotencyService(ctx),
    apiKeys: new ApiKeyService(ctx, new EnvironmentReader(), (err) => log.warn({ err }, 'could not record API key use')),
    customers,
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
      clockTimes: (auth, externalIds) => testClockReader.clockTimesOf(auth, externalIds),
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
    testClocks,
    testClockReader,
    dueWork,
  };
  // The billing modules' due work registers here, in the order it must run at one instant
  // (docs/development/due-work.md); then any the caller adds (tests' fakes).
  for (const work of options.dueWork?.(services) ?? []) dueWork.register(work);
  return services;
}
