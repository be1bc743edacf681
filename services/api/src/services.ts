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
import { SubscriptionTaxLinks, TaxApplicationService, TaxAssociationService, TaxRateService, type TaxEntity } from './modules/taxes/index.ts';
import type { Tx } from './db/transactions.ts';
import { UsageService } from './modules/usage/index.ts';
import type { ServiceContext } from './service-context.ts';
import { InvoiceCreditNotes, InvoiceFinalizationWork, InvoiceService, OneOffInvoices, customerInvoiceSummary, invoiceCreditPurchase } from './modules/invoices/index.ts';
import { CreditNoteService } from './modules/credit-notes/index.ts';
import { CustomerUsage, EntitlementReads, SubscriptionUsage, UsageAnalyticsReads, SubscriptionDueWork, SubscriptionReads, SubscriptionRepo, SubscriptionService, SubscriptionCancellations, SubscriptionSchedules, SubscriptionPauses, SubscriptionPlanChanges, SubscriptionReplacements, SubscriptionReplacement, PlanChangeWork, SubscriptionLineItems, SubscriptionLineItemService, SubscriptionModifications, SubscriptionAddons, AddonModifications, ProrationSettlement, subscriptionReader, hasUncancelledSubscription } from './modules/subscriptions/index.ts';
import { invoiceTaxPorts } from './invoice-tax-ports.ts';
import { PaymentService, paymentReader } from './modules/payments/index.ts';
import { SettingsReader, SettingsService } from './modules/settings/index.ts';
import { WalletAlerts, autoTopUpInvoicing, WalletExpiryWork, WalletInvoiceCredits, WalletOngoingWork, WalletPayments, WalletRealTime, WalletService, hasActiveWallet } from './modules/wallets/index.ts';
import { walletBillingPorts } from './wallet-billing-ports.ts';
import { CreditGrantDueWork, CreditGrantService } from './modules/credit-grants/index.ts';
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
  subscriptions: SubscriptionService;
  subscriptionCancellations: SubscriptionCancellations;
  /** Line items after a subscription's creation, and its typed modifications (quantity changes). */
  subscriptionLineItems: SubscriptionLineItemService;
  subscriptionModifications: SubscriptionModifications;
  /** Addons attached to subscriptions and removed, by their routes or by modify `type: addon`. */
  subscriptionAddons: SubscriptionAddons;
  addonModifications: AddonModifications;
  subscriptionSchedules: SubscriptionSchedules;
  subscriptionPauses: SubscriptionPauses;
  subscriptionPlanChanges: SubscriptionPlanChanges;
  /** v1 plan changes: the subscription replaced by a new one. */
  subscriptionReplacements: SubscriptionReplacements;
  /** Entitlements of a subscription or customer, and a customer's usage against them. */
  entitlementReads: EntitlementReads;
  customerUsage: CustomerUsage;
  subscriptionUsage: SubscriptionUsage;
  usageAnalytics: UsageAnalyticsReads;
  invoices: InvoiceService;
  oneOffInvoices: OneOffInvoices;
  payments: PaymentService;
  wallets: WalletService;
  /** The environment's settings (`/settings/{key}`). */
  settings: SettingsService;
  /** Real-time ("ongoing") balances of wallets. */
  walletRealTime: WalletRealTime;
  creditGrants: CreditGrantService;
  creditNotes: CreditNoteService;
  invoiceSummary: (auth: AuthContext, customerId: string) => ReturnType<typeof customerInvoiceSummary>;
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
  /** How long after its period ends the bill run finalizes a period-end draft. */
  invoiceFinalizationDelayMs?: number;
  /** How often the periodic balance check looks at a wallet with alerts or the automatic top-up on (1 hour by default). */
  walletBalanceCheckMs?: number;
};

const defaultOptions: ServiceOptions = { webhookPolicy: { allowPrivate: false }, rejectedEventWindowMs: 600_000, advanceWaitMs: 10_000, onError: () => undefined };

export function createServices(orm: MikroORM, clock: Clock, log: Logger, options: ServiceOptions = defaultOptions): Services {
  const ctx: ServiceContext = { db: new Transactions(orm), clock };
  const testClockReader = new TestClockReader(ctx);
  // Associations to subscriptions and invoices name ones that exist (late-bound: built below), and
  // are dated at their customer's time (a test clock's, when the customer is on one).
  const customerOf = async (tx: Tx, auth: AuthContext, entity: TaxEntity): Promise<string | undefined> => {
    if (entity.entityType === 'customer') return entity.entityId;
    if (entity.entityType === 'subscription') return (await subscriptionReader.get(tx, auth, entity.entityId))?.customerId;
    if (entity.entityType === 'invoice') return (await invoices.repo.get(tx, auth, entity.entityId))?.customerId;
    return undefined;
  };
  const taxAssociations = new TaxAssociationService(ctx, {
    customers: customerReader,
    entityCheckers: [
      { entityType: 'subscription', exists: async (tx, auth, id) => (await subscriptionReader.get(tx, auth, id)) !== null },
      { entityType: 'invoice', exists: async (tx, auth, id) => (await invoices.repo.get(tx, auth, id)) !== null },
    ],
    entityClock: async (tx, auth, entity) => {
      const customerId = await customerOf(tx, auth, entity);
      return customerId ? ((await testClockReader.clockOf(tx, auth, customerId))?.frozenTime ?? null) : null;
    },
  });
  const customers = new CustomerService(ctx, {
    testClocks: testClockReader,
    // A new customer gets the tenant's auto-applied tax associations, in the same transaction.
    // (dated at the customer's time: its test clock's, when it is on one).
    afterCreate: [async (tx, auth, customer) => taxAssociations.copyToCustomer(tx, auth, customer.id, { at: await testClockReader.nowFor(tx, auth, customer) })],
    deletionGuards: [
      async (tx, auth, c) => ((await hasUncancelledSubscription(tx, auth, c.id)) ? 'The customer has subscriptions that are not cancelled: cancel them before deleting the customer' : null),
      async (tx, auth, c) => ((await hasActiveWallet(tx, auth, c.id)) ? 'The customer has active wallets: terminate them before deleting the customer' : null),
    ],
  });
  const dueWork = new DueWorkRunner();
  // A subscription's plan grants are copied onto it, and what is due applied, in the unit of work that starts it (created, or a draft activated); a plan's clone copies them.
  const creditGrants = new CreditGrantService(ctx, {
    plans: planReader,
    addons: addonReader,
    subscriptions: subscriptionReader,
    customers: customerReader,
    time: testClockReader,
    // Late-bound: the wallets service is built below.
    deposit: (tx, auth, deposit) => wallets.deposit(tx, auth, deposit),
  });
  const meters = new MeterService(ctx);
  const entitlements = new EntitlementService(ctx, { features: featureReader, meters: meterReader, plans: planReader, addons: addonReader, subscriptions: subscriptionReader });
  const prices = new PriceService(ctx, { plans: planReader, addons: addonReader, meters: meterReader, priceUnits: priceUnitReader, subscriptions: subscriptionReader });
  // Plans and addons are built before subscriptions, whose deletion guards they run: the guards are late-bound.
  let subscriptions: SubscriptionService | undefined;
  const plans = new PlanService(ctx, {
    cloneSteps: [prices.copyToClonedPlan, entitlements.copyToClonedPlan, creditGrants.copyToClonedPlan],
    deletionGuards: [(tx, auth, plan) => subscriptions!.refuseLivePlan(tx, auth, plan)],
  });
  const events = new EventRepo(orm);
  // A development environment with http webhook endpoints or test clocks cannot become a production one.
  const environments: EnvironmentService = new EnvironmentService(ctx, {
    productionGuards: [(tx, scope) => webhookEndpoints.refuseHttpInProduction(tx, scope), testClockReader.refuseClocksInProduction],
  });
  const environmentType = async (auth: AuthContext): Promise<'development' | 'production'> => (await environments.get(auth, auth.environmentId)).type;
  const webhookEndpoints: WebhookEndpointService = new WebhookEndpointService(ctx, options.webhookPolicy, environmentType);
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
  const taxApplications = new TaxApplicationService(ctx);
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
    ...invoiceTaxPorts(taxApplications),
    time: testClockReader,
    // A paid invoice activates an incomplete subscription, and completes a purchase of wallet credits it was for (late-bound: wallets below).
    paidHooks: [(tx, auth, invoice, at) => subscriptions!.activateOnPayment(tx, auth, invoice, at), (tx, auth, invoice, at) => wallets.purchases.invoicePaid(tx, auth, invoice, at)],
    voidHooks: [(tx, auth, invoice, at) => wallets.purchases.invoiceVoided(tx, auth, invoice, at)],
    paymentRecords: paymentReader,
    finalizationDelayMs: options.invoiceFinalizationDelayMs ?? 0,
    // Late-bound: the wallets are built below. PRE_PAID wallets pay usage at finalization; a voided invoice's funded value is refunded into one.
    prepaidCredits: {
      prepaidFor: (tx, auth, customerId, currency, at) => walletInvoiceCredits.prepaidFor(tx, auth, customerId, currency, at),
      payInvoice: (tx, auth, walletId, p) => walletInvoiceCredits.payInvoice(tx, auth, walletId, p),
    },
    voidRefunds: {
      refund: (tx, auth, r) =>
        wallets.deposit(tx, auth, {
          customerId: r.customerId,
          currency: r.currency,
          reason: 'INVOICE_VOID_REFUND',
          amount: r.amount,
          idempotencyKey: r.idempotencyKey,
          at: r.at,
          referenceType: 'INVOICE',
          referenceId: r.invoiceId,
          description: 'refund of a voided invoice',
        }),
    },
  });
  subscriptions = new SubscriptionService(ctx, subscriptionRepo, {
    time: testClockReader,
    // A new subscription's tax_rate_overrides become its tax associations; without any, it gets the customer's.
    afterCreate: [
      (tx, auth, sub, at) =>
        taxAssociations.copyToSubscription(tx, auth, sub.customerId, sub.id, {
          overrides: sub.taxRateOverrides.length ? sub.taxRateOverrides.map((o) => ({ ...o, priority: o.priority ?? 0 })) : null,
          currency: sub.currency,
          at,
        }),
    ],
    afterStart: [creditGrants.startSubscription],
    // Late-bound: the addons use case is built below.
    attachAddons: (tx, auth, sub, addons, now) => subscriptionAddons.attachAtCreation(tx, auth, sub, addons, now),
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
  const oneOffInvoices: OneOffInvoices = new OneOffInvoices(ctx, invoices, { customers: customerReader, coupons: couponReader, time: testClockReader });
  // Every ledger change evaluates the credit-balance alerts and may top the wallet up (late-bound: the alerts call back into the wallets).
  const walletAlerts: WalletAlerts = new WalletAlerts({
    topUp: (tx, auth, wallet, credits, key, at) => wallets.autoTopUpIn(tx, auth, wallet, credits, key, at),
    invoicing: autoTopUpInvoicing({ purchaseInvoiced: (tx, auth, walletId, input) => wallets.purchaseInvoiced(tx, auth, walletId, input) }),
  });
  const settingsReader = new SettingsReader();
  // A purchase of credits is invoiced ONE_OFF in the purchase's unit of work.
  const wallets: WalletService = new WalletService(ctx, {
    customers: customerReader,
    time: testClockReader,
    purchaseInvoices: async (tx, auth, p) => invoiceCreditPurchase(tx, auth, oneOffInvoices, p),
    afterLedger: walletAlerts.afterLedger,
    // A purchase without an explicit bonus earns the environment's bonus slabs (settings).
    bonusSlabs: async (tx, auth) => {
      const config = await settingsReader.bonusCreditsTopup(tx, auth);
      return config.enabled ? config.slabs : [];
    },
  });
  const walletInvoiceCredits = new WalletInvoiceCredits(wallets);
  const walletBilling = walletBillingPorts({ subscriptions: subscriptionRepo, invoices, features: featureReader });
  const walletRealTime = new WalletRealTime(ctx, { wallets, billing: walletBilling, time: testClockReader, customers: customerReader });
  const subscriptionCancellations = new SubscriptionCancellations(ctx, { repo: subscriptionRepo, reads, invoices, time: testClockReader, wallets });
  // Plan changes: at once (the request) or at the period end (the bill run); the credit grants follow the plan.
  const planSwapFaces = {
    repo: subscriptionRepo,
    plans: planReader,
    prices,
    priceReader,
    meters: meterReader,
    coupons,
    invoices,
    oneOffInvoices,
    wallets,
    afterPlanChange: [creditGrants.changeSubscriptionPlan],
    // A dropped addon's credit grant copies end, as at its removal.
    afterAddonDropped: [creditGrants.removeAddon],
  };
  const subscriptionPlanChanges = new SubscriptionPlanChanges(ctx, { ...planSwapFaces, reads, time: testClockReader });
  const replacementFaces = { repo: subscriptionRepo, plans: planReader, prices, invoices, reads, time: testClockReader, subscriptions, cancellations: subscriptionCancellations };
  const subscriptionReplacements = new SubscriptionReplacements(ctx, replacementFaces);
  const settlement = new ProrationSettlement(invoices, wallets);
  const lineItemMaker = new SubscriptionLineItems(subscriptionRepo, { prices, priceReader, meters: meterReader, coupons });
  const subscriptionLineItems = new SubscriptionLineItemService(ctx, {
    repo: subscriptionRepo,
    lineItems: lineItemMaker,
    prices,
    priceReader,
    time: testClockReader,
    settlement,
  });
  // An attached addon's credit grants are copied onto the subscription; a removal ends the copies.
  const subscriptionAddons = new SubscriptionAddons(ctx, {
    repo: subscriptionRepo,
    lineItems: lineItemMaker,
    prices,
    addons: addonReader,
    time: testClockReader,
    settlement,
    afterAttach: [creditGrants.attachAddon],
    afterRemove: [creditGrants.removeAddon],
  });
  const subscriptionModifications = new SubscriptionModifications(ctx, {
    repo: subscriptionRepo,
    reads,
    priceReader,
    time: testClockReader,
    settlement,
    invoices,
    coupons,
    taxLinks: new SubscriptionTaxLinks(),
  });
  // Built last: its deletion hooks end what other modules attach to a clock's customers.
  const testClocks = new TestClockService(ctx, {
    reader: testClockReader,
    dueWork: (scope, to, hooks) => dueWork.advance(scope, to, hooks),
    deleteCustomers: (tx, auth, testClockId) => customers.deleteOnTestClock(tx, auth, testClockId),
    // The clock's customers' subscriptions end at the clock's time, before the customers are deleted.
    deletionHooks: [async (tx, auth, clock) => void (await subscriptions!.cancelOnTestClock(tx, auth, clock.id, clock.frozenTime))],
    advanceWaitMs: options.advanceWaitMs,
    onError: options.onError,
  });
  const onDueError = (err: unknown, item: string) => log.error({ err, item }, 'bill run: an item failed; it is retried on the next run');
  const dueFaces = { repo: subscriptionRepo, reads, invoices, onError: onDueError };
  // In the order due work runs at one instant (docs/development/due-work.md): scheduled plan changes, trial ends, renewals,
  // scheduled cancellations, pause starts and ends, finalizations.
  dueWork.register(new PlanChangeWork(ctx, planSwapFaces, onDueError, new SubscriptionReplacement(replacementFaces)));
  dueWork.register(new SubscriptionDueWork('trialEnd', ctx, dueFaces));
  dueWork.register(new SubscriptionDueWork('renewal', ctx, dueFaces));
  dueWork.register(new SubscriptionDueWork('cancellation', ctx, dueFaces));
  dueWork.register(new SubscriptionDueWork('pauseStart', ctx, dueFaces));
  dueWork.register(new SubscriptionDueWork('pauseEnd', ctx, dueFaces));
  dueWork.register(new InvoiceFinalizationWork(ctx, invoices, onDueError));
  dueWork.register(new CreditGrantDueWork(ctx, { applier: creditGrants.applier, subscriptions: subscriptionReader, onError: onDueError }));
  // After the instant's billing: credits expire (once their invoices no longer defer it), then the wallets' balance check.
  dueWork.register(new WalletExpiryWork(ctx, { wallets, onError: onDueError }));
  dueWork.register(new WalletOngoingWork(ctx, { realTime: walletRealTime, alerts: walletAlerts, features: walletBilling.alertFeatures, intervalMs: options.walletBalanceCheckMs ?? 3_600_000, onError: onDueError }));
  const entitlementReads = new EntitlementReads(ctx, subscriptionRepo, { customers: customerReader, plans: planReader, addons: addonReader, features: featureReader, entitlements });
  const customerUsage = new CustomerUsage(ctx, subscriptionRepo, entitlementReads, { usage: (tx, auth, requests) => usage.meterUsages(tx, auth, requests), time: testClockReader });
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
    addons: new AddonService(ctx, [(tx, auth, addon) => subscriptions!.refuseUsedAddon(tx, auth, addon)]),
    catalog,
    eventIngestion: new EventIngestion(events, clock, {
      maxConcurrentWrites: events.writeConcurrency,
      onStored: (auth, events) => rejectedEvents.notice(auth, events),
      clockTimes: (auth, externalIds) => testClockReader.clockTimesOf(auth, externalIds),
    }),
    rejectedEvents,
    eventQuery: new EventQuery(events, clock),
    usage,
    prices,
    priceUnits: new PriceUnitService(ctx, [prices.refuseUsedPriceUnit]),
    coupons,
    taxRates: new TaxRateService(ctx),
    taxAssociations,
    taxApplications,
    webhookEndpoints,
    webhookEvents,
    webhookDeliveries: new WebhookDeliveryService(ctx),
    testClocks,
    testClockReader,
    dueWork,
    subscriptions,
    entitlementReads,
    customerUsage,
    subscriptionUsage: new SubscriptionUsage(ctx, { invoices, prices, priceReader }),
    subscriptionCancellations,
    subscriptionLineItems,
    subscriptionModifications,
    subscriptionAddons,
    addonModifications: new AddonModifications(ctx, { addons: subscriptionAddons, repo: subscriptionRepo, reads, time: testClockReader }),
    subscriptionSchedules: new SubscriptionSchedules(ctx, subscriptionRepo, testClockReader),
    subscriptionPauses: new SubscriptionPauses(ctx, subscriptionRepo, testClockReader),
    subscriptionPlanChanges,
    subscriptionReplacements,
    usageAnalytics: new UsageAnalyticsReads(ctx, subscriptionRepo, {
      customers: customerReader,
      features: featureReader,
      meters: meterReader,
      prices,
      priceReader,
      time: testClockReader,
      usage: (tx, auth, requests) => usage.meterUsages(tx, auth, requests),
    }),
    invoices,
    oneOffInvoices,
    payments: new PaymentService(ctx, {
      locked: (tx, auth, id) => invoices.repo.locked(tx, auth, id),
      getMany: (tx, auth, ids) => invoices.repo.getMany(tx, auth, ids),
      applyPayments: (tx, auth, invoiceId, amounts, at) => invoices.applyPayments(tx, auth, invoiceId, amounts, at),
      nowFor: (tx, auth, customerId) => testClockReader.nowFor(tx, auth, customerId),
      // CREDITS payments debit a POST_PAID wallet, restricted by its allowed_price_types to the invoice's lines of those types.
      linesOf: (tx, auth, invoiceId) => invoices.repo.linesOf(tx, auth, [invoiceId]),
      wallets: new WalletPayments(wallets),
    }),
    wallets,
    settings: new SettingsService(ctx),
    walletRealTime,
    creditGrants,
    creditNotes: new CreditNoteService(ctx, { invoices, invoiceCredits: new InvoiceCreditNotes(), wallets, time: testClockReader }),
    invoiceSummary: (auth, customerId) => customerInvoiceSummary(ctx, invoices.repo, { customers: customerReader, subscriptions: reads, time: testClockReader }, auth, customerId),
  };
  // The billing modules' due work registers here, in the order it must run at one instant
  // (docs/development/due-work.md); then any the caller adds (tests' fakes).
  for (const work of options.dueWork?.(services) ?? []) dueWork.register(work);
  return services;
}
