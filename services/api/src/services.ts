import type { MikroORM } from '@mikro-orm/core';
import type { AuthContext } from './auth-context.ts';
import type { Clock } from './clock.ts';
import { Transactions } from './db/transactions.ts';
import type { Logger } from './logger.ts';
import { AddonService, addonReader } from './modules/addons/index.ts';
import { ApiKeyService } from './modules/api-keys/index.ts';
import { CouponService, couponReader } from './modules/coupons/index.ts';
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
import { PriceService, priceReader } from './modules/prices/index.ts';
import { UsageService } from './modules/usage/index.ts';
import type { ServiceContext } from './service-context.ts';
import { InvoiceFinalizationWork, InvoiceService, OneOffInvoices, customerInvoiceSummary, noTaxes, type TaxRates } from './modules/invoices/index.ts';
import { SubscriptionDueWork, SubscriptionReads, SubscriptionRepo, SubscriptionService, subscriptionReader } from './modules/subscriptions/index.ts';
import type { DueWork } from './jobs/due-work.ts';
import { PaymentService, paymentReader } from './modules/payments/index.ts';
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
  webhookEndpoints: WebhookEndpointService;
  webhookEvents: WebhookEventService;
  webhookDeliveries: WebhookDeliveryService;
  subscriptions: SubscriptionService;
  invoices: InvoiceService;
  oneOffInvoices: OneOffInvoices;
  payments: PaymentService;
  invoiceSummary: (auth: AuthContext, customerId: string) => ReturnType<typeof customerInvoiceSummary>;
  /** The bill run's handlers, in the order they run at one instant: trial ends, renewals, scheduled cancellations, finalizations. */
  dueWork: DueWork[];
};

/**
 * Where webhooks may be delivered (see modules/webhooks/url-safety.ts), and how often an event
 * name that no meter counts is announced (`event.rejected`).
 */
export type ServiceOptions = {
  webhookPolicy: AddressPolicy;
  rejectedEventWindowMs: number;
  /** How long after its period ends the bill run finalizes a period-end draft. */
  invoiceFinalizationDelayMs?: number;
  /** The taxes port; none until the taxes module is wired. */
  taxes?: TaxRates;
};

export function createServices(orm: MikroORM, clock: Clock, log: Logger, options: ServiceOptions = { webhookPolicy: { allowPrivate: false }, rejectedEventWindowMs: 600_000 }): Services {
  const ctx: ServiceContext = { db: new Transactions(orm), clock };
  const meters = new MeterService(ctx);
  const entitlements = new EntitlementService(ctx, { features: featureReader, meters: meterReader, plans: planReader, addons: addonReader, subscriptions: subscriptionReader });
  const prices = new PriceService(ctx, { plans: planReader, addons: addonReader, meters: meterReader, priceUnits: priceUnitReader, subscriptions: subscriptionReader });
  // Plans and addons are built before subscriptions, whose deletion guards they run: the guards are late-bound.
  let subscriptions: SubscriptionService | undefined;
  const plans = new PlanService(ctx, {
    cloneSteps: [prices.copyToClonedPlan, entitlements.copyToClonedPlan],
    deletionGuards: [(tx, auth, plan) => subscriptions!.refuseLivePlan(tx, auth, plan)],
  });
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
  const catalog = new CatalogService(ctx, { plans: planReader, addons: addonReader, planService: plans, prices, entitlements });
  const coupons = new CouponService(ctx);
  const usage = new UsageService(ctx, { customers: customerReader, meters: meterReader });
  const subscriptionRepo = new SubscriptionRepo();
  const reads = new SubscriptionReads(
    subscriptionRepo,
    { customers: customerReader, plans: planReader, prices, priceReader, entitlements, coupons: couponReader, catalog, meters: meterReader },
    clock,
  );
  const invoices = new InvoiceService(ctx, {
    customers: customerReader,
    coupons: couponReader,
    usage,
    subscriptions: reads,
    taxes: options.taxes ?? noTaxes,
    paidHooks: [(tx, auth, invoice, at) => subscriptions!.activateOnPayment(tx, auth, invoice, at)],
    paymentRecords: paymentReader,
    finalizationDelayMs: options.invoiceFinalizationDelayMs ?? 0,
  });
  subscriptions = new SubscriptionService(ctx, subscriptionRepo, {
    customers: customerReader,
    plans: planReader,
    prices,
    priceReader,
    meters: meterReader,
    coupons,
    entitlements,
    invoices,
    reads,
  });
  const onDueError = (err: unknown, item: string) => log.error({ err, item }, 'bill run: an item failed; it is retried on the next run');
  const dueFaces = { repo: subscriptionRepo, reads, invoices, onError: onDueError };
  return {
    health: new HealthService(ctx),
    idempotency: new IdempotencyService(ctx),
    apiKeys: new ApiKeyService(ctx, new EnvironmentReader(), (err) => log.warn({ err }, 'could not record API key use')),
    customers: new CustomerService(ctx),
    environments,
    meters,
    features: new FeatureService(ctx, { meters, meterReader, deletionGuards: [entitlements.refuseGrantedFeature] }),
    entitlements,
    plans,
    addons: new AddonService(ctx, [(tx, auth, addon) => subscriptions!.refuseUsedAddon(tx, auth, addon)]),
    catalog,
    eventIngestion: new EventIngestion(events, clock, {
      maxConcurrentWrites: events.writeConcurrency,
      onStored: (auth, events) => rejectedEvents.notice(auth, events),
    }),
    rejectedEvents,
    eventQuery: new EventQuery(events, clock),
    usage,
    prices,
    priceUnits: new PriceUnitService(ctx, [prices.refuseUsedPriceUnit]),
    coupons,
    webhookEndpoints: new WebhookEndpointService(ctx, options.webhookPolicy, environmentType),
    webhookEvents,
    webhookDeliveries: new WebhookDeliveryService(ctx),
    subscriptions,
    invoices,
    oneOffInvoices: new OneOffInvoices(ctx, invoices, { customers: customerReader, coupons: couponReader }),
    payments: new PaymentService(ctx, {
      locked: (tx, auth, id) => invoices.repo.locked(tx, auth, id),
      getMany: (tx, auth, ids) => invoices.repo.getMany(tx, auth, ids),
      applyPayments: (tx, auth, invoiceId, amounts, at) => invoices.applyPayments(tx, auth, invoiceId, amounts, at),
    }),
    invoiceSummary: (auth, customerId) => customerInvoiceSummary(ctx, invoices.repo, { customers: customerReader, subscriptions: reads }, auth, customerId),
    dueWork: [
      new SubscriptionDueWork('trialEnd', ctx, dueFaces),
      new SubscriptionDueWork('renewal', ctx, dueFaces),
      new SubscriptionDueWork('cancellation', ctx, dueFaces),
      new InvoiceFinalizationWork(ctx, invoices, onDueError),
    ],
  };
}
