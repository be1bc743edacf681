import type { OperationId, OperationRow } from '@tally/contract';
import type { Middleware } from 'koa';
import { AppError } from '../errors/app-error.ts';
import type { ApiKeyAuth } from '../modules/api-keys/index.ts';
import type { SecretType } from '../modules/api-keys/index.ts';

/**
 * What each kind of API key may call. The one place this is decided; `authorize` enforces it
 * after authentication, before the body is read.
 *
 * - `private_key` (`sk_…`): everything.
 * - `integration` (`key_…`): everything but managing API keys (`/secrets/…`): only private keys
 *   create, list and revoke keys.
 * - `publishable_key` (`pk_…`): meant to be shipped to untrusted clients (a browser, a mobile
 *   app), so it may only read the public catalogue — what a pricing page shows — and nothing else.
 *
 * Every operation of the spec is classified below for publishable keys: a new operation fails
 * type-checking (and the permission-matrix test) until someone decides. Decisions:
 *
 * - Allowed: reads (GET, and the read-only POST searches) of plans, prices, price units, addons,
 *   features and entitlements, and the price cost preview (`POST /prices/{id}/cost`, a pure
 *   calculation on a published price: a pricing calculator).
 * - Denied, every write: creating, updating, deleting, cloning, disabling anything.
 * - Denied, customers: names, e-mail and postal addresses are personal data.
 * - Denied, coupons, reads included: a code is a secret of its own, a list would reveal every
 *   code and a look-up by code would let anyone guess codes. Checking a code belongs to the server
 *   that applies it.
 * - Denied, meters: how the product is instrumented (event names, property filters), which no
 *   client needs; a price embeds the meter it bills on where that matters.
 * - Denied, events and usage: ingesting would let a client forge its own usage (bill fraud), and the
 *   reads (`/events/lookup`, `/events/query`, `/events/usage…`) see every customer of the
 *   environment, not one customer's usage.
 * - Denied, environments and API keys: the tenant's set-up, and keys that could do more.
 * - Denied, taxes (rates and associations), reads included: which customer is taxed how is the
 *   seller's business, and an association names its customer; a pricing page shows prices, not taxes.
 * - Denied, settings: the environment's billing set-up (how much bonus a purchase earns).
 * - Denied, test clocks: advancing one bills its customers; reading one tells nothing a client needs.
 * - Denied, wallets and their transactions, reads included: a balance is one customer's money, and a
 *   publishable key sees every customer of the environment; top-ups and debits move money.
 * - Denied, subscriptions, invoices, credit notes and payments, reads included: who pays what is the seller's business, and
 *   a publishable key sees every customer of the environment. A per-customer read (a customer's own
 *   subscriptions and entitlements from a browser) may come with customer-scoped keys; not now.
 */
export const publishableKeyOperations = {
  getHealth: true, // needs no key at all

  listPlans: true,
  queryPlan: true,
  getPlan: true,
  getPlanEntitlements: true,
  createPlan: false,
  updatePlan: false,
  deletePlan: false,
  clonePlan: false,

  listPrices: true,
  queryPrice: true,
  getPrice: true,
  getPriceByLookupKey: true,
  getPriceCost: true,
  createPrice: false,
  createPricesBulk: false,
  updatePrice: false,
  deletePrice: false,

  listPriceUnits: true,
  queryPriceUnit: true,
  getPriceUnit: true,
  getPriceUnitByCode: true,
  createPriceUnit: false,
  updatePriceUnit: false,
  deletePriceUnit: false,

  listAddons: true,
  queryAddon: true,
  getAddon: true,
  getAddonByLookupKey: true,
  getAddonEntitlements: true,
  createAddon: false,
  updateAddon: false,
  deleteAddon: false,

  listFeatures: true,
  queryFeature: true,
  getFeature: true,
  createFeature: false,
  updateFeature: false,
  deleteFeature: false,
  cloneFeature: false,

  listEntitlements: true,
  queryEntitlement: true,
  getEntitlement: true,
  createEntitlement: false,
  createEntitlementsBulk: false,
  updateEntitlement: false,
  deleteEntitlement: false,

  listCoupons: false,
  queryCoupon: false,
  getCoupon: false,
  getCouponByCode: false,
  createCoupon: false,
  updateCoupon: false,
  deleteCoupon: false,

  listMeters: false,
  getMeter: false,
  createMeter: false,
  updateMeter: false,
  deleteMeter: false,
  disableMeter: false,

  listCustomers: false,
  queryCustomer: false,
  getCustomer: false,
  getCustomerByExternalId: false,
  getCustomerByLookupKey: false,
  createCustomer: false,
  updateCustomer: false,
  updateCustomerById: false,
  deleteCustomer: false,
  // A customer's entitlements, usage and subscriptions: per-customer reads that a publishable key, which
  // sees every customer of the environment, must not make (see the subscriptions decision above).
  getCustomerEntitlements: false,
  getCustomerEntitlementsByExternalId: false,
  getCustomerSubscriptionsByExternalId: false,
  getCustomerUsageSummary: false,
  getCustomerUsageSummaryById: false,

  ingestEvent: false,
  ingestEventsBulk: false,
  getEvent: false,
  getEventById: false,
  listRawEvents: false,
  getUsageStatistics: false,
  getUsageByMeter: false,
  getUsageAnalytics: false,

  listEnvironments: false,
  getEnvironment: false,
  createEnvironment: false,
  updateEnvironment: false,

  listApiKeys: false,
  createApiKey: false,
  deleteApiKey: false,

  createTaxRate: false,
  getTaxRates: false,
  getTaxRate: false,
  updateTaxRate: false,
  deleteTaxRate: false,
  createTaxAssociation: false,
  listTaxAssociations: false,
  getTaxAssociation: false,
  updateTaxAssociation: false,
  deleteTaxAssociation: false,
  createSubscription: false,
  listSubscriptions: false,
  querySubscription: false,
  getSubscription: false,
  getSubscriptionV2: false,
  updateSubscription: false,
  activateSubscription: false,
  cancelSubscription: false,
  pauseSubscription: false,
  resumeSubscription: false,
  listSubscriptionPauses: false,
  previewSubscriptionPlanChangeV2: false,
  executeSubscriptionPlanChangeV2: false,
  previewSubscriptionChange: false,
  executeSubscriptionChange: false,
  createSubscriptionLineItem: false,
  updateSubscriptionLineItem: false,
  deleteSubscriptionLineItem: false,
  querySubscriptionLineItems: false,
  addSubscriptionAddon: false,
  removeSubscriptionAddon: false,
  getSubscriptionAddonAssociations: false,
  previewSubscriptionModify: false,
  executeSubscriptionModify: false,
  getSubscriptionSchedules: false,
  listSchedules: false,
  getSchedule: false,
  cancelSchedule: false,
  cancelScheduleByBody: false,
  listSubscriptionSchedules: false,
  listAllSubscriptionSchedules: false,
  getSubscriptionSchedule: false,
  cancelSubscriptionSchedule: false,
  getSubscriptionEntitlements: false,
  getSubscriptionUsage: false,

  createInvoice: false,
  listInvoices: false,
  queryInvoice: false,
  getInvoice: false,
  updateInvoice: false,
  getInvoicePreview: false,
  finalizeInvoice: false,
  voidInvoice: false,
  recalculateInvoiceV2: false,
  updateInvoicePaymentStatus: false,
  getCustomerInvoiceSummary: false,

  createPayment: false,
  listPayments: false,
  getPayment: false,
  updatePayment: false,
  deletePayment: false,
  processPayment: false,

  createCreditNote: false,
  listCreditNotes: false,
  getCreditNote: false,
  processCreditNote: false,
  voidCreditNote: false,

  createWallet: false,
  listWallets: false,
  queryWallet: false,
  getWallet: false,
  updateWallet: false,
  topUpWallet: false,
  debitWallet: false,
  terminateWallet: false,
  modifyWallet: false,
  getWalletTransactions: false,
  queryWalletTransaction: false,
  getWalletBalance: false,
  getWalletBalanceCached: false,
  getWalletsByCustomerId: false,
  getCustomerWallets: false,

  createCreditGrant: false,
  getCreditGrant: false,
  updateCreditGrant: false,
  deleteCreditGrant: false,
  listCreditGrants: false,
  getPlanCreditGrants: false,
  getAddonCreditGrants: false,
  getSubscriptionUpcomingGrants: false,
  getCustomerUpcomingGrants: false,

  // Webhooks: endpoints hold signing secrets and the log holds every announced change; server-side only.
  createWebhookEndpoint: false,
  listWebhookEndpoints: false,
  getWebhookEndpoint: false,
  updateWebhookEndpoint: false,
  deleteWebhookEndpoint: false,
  rotateWebhookEndpointSecret: false,
  testWebhookEndpoint: false,
  listWebhookEvents: false,
  getWebhookEvent: false,
  listWebhookEventDeliveries: false,
  retryWebhookEvent: false,
  retryOutboundWebhook: false,

  // Settings: the environment's billing set-up (bonus slabs); server-side only.
  getSetting: false,
  updateSetting: false,
  deleteSetting: false,

  // Test clocks (Tally extension): they move a development environment's billing through time; server-side only.
  createTestClock: false,
  listTestClocks: false,
  getTestClock: false,
  deleteTestClock: false,
  advanceTestClock: false,
} as const satisfies Record<OperationId, boolean>;

type Operation = Pick<OperationRow, 'operationId' | 'path'>;

/** Creating, listing and revoking API keys: for private keys only. */
export const managesKeys = (op: Operation): boolean => op.path.startsWith('/secrets/');

/** Whether a key of this type may call the operation. */
export function mayCall(keyType: SecretType, op: Operation): boolean {
  switch (keyType) {
    case 'private_key':
      return true;
    case 'integration':
      return !managesKeys(op);
    case 'publishable_key':
      return (publishableKeyOperations as Record<string, boolean>)[op.operationId] === true;
  }
}

function refusal(keyType: SecretType, op: OperationRow): string {
  const call = `${op.operationId} (${op.method.toUpperCase()} ${op.prefix}${op.path})`;
  if (keyType === 'publishable_key') {
    return `A publishable_key may not call ${call}: publishable keys may only read the catalogue (plans, prices, price units, addons, features, entitlements); use a private_key`;
  }
  return `A key of type ${keyType} may not call ${call}: only a private_key manages API keys`;
}

/** 403 `permission_denied` when the authenticated key's type may not call the operation. */
export function authorize(op: OperationRow): Middleware {
  return async (ctx, next) => {
    const { keyType } = ctx.state.auth as ApiKeyAuth;
    if (!mayCall(keyType, op)) {
      throw new AppError('permission_denied', refusal(keyType, op), { key_type: keyType, operation_id: op.operationId });
    }
    await next();
  };
}
