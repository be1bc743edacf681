import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Router from '@koa/router';
import Koa, { type Middleware } from 'koa';
import { HttpMethodEnum, koaBody } from 'koa-body';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  RequestValidationError,
  ResponseContractError,
  mountOperations,
  operationTable,
  type Handlers,
  type OperationId,
} from '../src/index.ts';

const API_KEY = 'sk_test_key';

/** What the fake handlers receive as their context: built by `options.context` after authentication. */
type TestContext = { principal: string | undefined };

type Call = { operationId: OperationId; path: unknown; query: unknown; body: unknown; context: TestContext };

/** A running app around `mountOperations`, with everything the tests observe. */
type TestApp = {
  url: string;
  calls: Call[];
  /** Paths the `authenticate` middleware ran for. */
  authenticated: string[];
  /** Errors other than RequestValidationError that reached the error middleware. */
  errors: unknown[];
  /** Per-test replacement of a handler's return value. */
  replies: Map<OperationId, unknown>;
  close: () => Promise<void>;
};

const timestamp = '2026-01-15T10:30:00Z';
const customer = {
  id: 'cust_01',
  external_id: 'acme-001',
  name: 'Acme Inc.',
  timezone: 'UTC',
  metadata: { plan_tier: 'enterprise' },
  environment_id: 'env_01',
  tenant_id: 'tenant_01',
  status: 'published',
  created_at: timestamp,
  updated_at: timestamp,
};
const environment = { id: 'env_01', name: 'Production', type: 'production', created_at: timestamp, updated_at: timestamp };
const secret = {
  id: 'secret_01',
  name: 'Backend server',
  type: 'private_key',
  provider: 'flexprice',
  display_id: 'sk_01***XZ',
  status: 'published',
  created_at: timestamp,
  updated_at: timestamp,
};
const pagination = { total: 1, limit: 50, offset: 50 };
const meter = {
  id: 'meter_01',
  name: 'Tokens',
  tenant_id: 'tenant_01',
  environment_id: 'env_01',
  event_name: 'llm.completion',
  aggregation: { type: 'SUM', field: 'tokens' },
  filters: [{ key: 'model', values: ['gpt-4o', 'o1-mini'] }],
  reset_usage: 'BILLING_PERIOD',
  status: 'published',
  created_at: timestamp,
  updated_at: timestamp,
};
const feature = {
  id: 'feat_01',
  name: 'LLM tokens',
  lookup_key: 'llm_tokens',
  description: 'Tokens used by LLM completions',
  meter_id: 'meter_01',
  metadata: { region: 'us' },
  type: 'metered',
  unit_singular: 'token',
  unit_plural: 'tokens',
  reporting_unit: { unit_singular: 'thousand tokens', unit_plural: 'thousand tokens', conversion_rate: '0.001' },
  environment_id: 'env_01',
  tenant_id: 'tenant_01',
  status: 'published',
  created_at: timestamp,
  updated_at: timestamp,
};
const entitlement = {
  id: 'ent_01',
  entity_type: 'PLAN',
  entity_id: 'plan_01',
  plan_id: 'plan_01',
  feature_id: 'feat_01',
  feature_type: 'metered',
  is_enabled: true,
  usage_limit: 1000,
  usage_reset_period: 'MONTHLY',
  is_soft_limit: false,
  static_value: '',
  display_order: 0,
  aggregation_mode: 'additive',
  environment_id: 'env_01',
  tenant_id: 'tenant_01',
  status: 'published',
  created_at: timestamp,
  updated_at: timestamp,
};
const event = {
  id: 'event123',
  external_customer_id: 'customer456',
  customer_id: 'cust_01',
  event_name: 'api_request',
  timestamp,
  properties: { request_size: 100, response_status: 200 },
  source: 'api',
  environment_id: 'env_01',
};
const usage = {
  event_name: 'api_request',
  type: 'SUM',
  value: 100,
  value_decimal: '100',
  results: [{ window_size: timestamp, value: 100, value_decimal: '100' }],
};

const coupon = {
  id: 'coupon_01',
  name: 'Spring sale',
  coupon_code: 'spring25',
  type: 'percentage',
  cadence: 'repeated',
  amount_off: '0',
  percentage_off: '25',
  currency: '',
  duration_in_periods: 3,
  max_redemptions: 100,
  total_redemptions: 0,
  redeem_after: '2026-03-01T00:00:00Z',
  redeem_before: '2026-06-01T00:00:00Z',
  rules: null,
  metadata: { campaign: 'spring' },
  environment_id: 'env_01',
  tenant_id: 'tenant_01',
  status: 'published',
  created_at: timestamp,
  updated_at: timestamp,
  created_by: 'secret_01',
  updated_by: 'secret_01',
};

const taxRate = {
  id: 'taxrate_01',
  name: 'US Sales Tax',
  code: 'TAX_US_CA',
  tax_rate_status: 'ACTIVE',
  tax_rate_type: 'percentage',
  scope: 'INTERNAL',
  percentage_value: '8.25',
  fixed_value: '0',
  metadata: {},
  environment_id: 'env_01',
  tenant_id: 'tenant_01',
  status: 'published',
  created_at: timestamp,
  updated_at: timestamp,
  created_by: 'secret_01',
  updated_by: 'secret_01',
};
const taxAssociation = {
  id: 'ta_01',
  tax_rate_id: 'taxrate_01',
  entity_type: 'customer',
  entity_id: 'cust_01',
  priority: 0,
  auto_apply: true,
  currency: 'usd',
  start_date: timestamp,
  metadata: {},
  environment_id: 'env_01',
  tenant_id: 'tenant_01',
  status: 'published',
  created_at: timestamp,
  updated_at: timestamp,
  created_by: 'secret_01',
  updated_by: 'secret_01',
};

const entitlementSource = {
  subscription_id: 'subs_01',
  entity_type: 'plan',
  entity_id: 'plan_01',
  entity_name: 'Pro',
  quantity: 1,
  entitlement_id: 'ent_01',
  is_enabled: true,
  usage_limit: 1000,
  usage_reset_period: 'MONTHLY',
  static_value: '',
};
const aggregatedFeature = {
  feature,
  entitlement: { is_enabled: true, usage_limit: 1000, is_soft_limit: false, usage_reset_period: 'MONTHLY', static_values: [] },
  sources: [entitlementSource],
};

type Exchange = {
  /** Values for the path template's parameters. */
  path?: Record<string, string>;
  /** Raw query string, without `?`. */
  query?: string;
  body?: unknown;
  /** What the fake handler returns: a body valid against the operation's success schema. */
  reply: unknown;
};

/** One valid request and reply per operation of the spec; the test below proves the list is complete. */
const priceUnit = {
  id: 'price_unit_01',
  name: 'Credits',
  code: 'crd',
  symbol: 'C',
  base_currency: 'usd',
  conversion_rate: '0.01',
  metadata: {},
  environment_id: 'env_01',
  tenant_id: 'tenant_01',
  status: 'published',
  created_at: timestamp,
  updated_at: timestamp,
};
const price = {
  id: 'price_01',
  amount: '0',
  display_amount: '$0',
  currency: 'usd',
  price_unit_type: 'FIAT',
  type: 'USAGE',
  billing_period: 'MONTHLY',
  billing_period_count: 1,
  billing_model: 'TIERED',
  billing_cadence: 'RECURRING',
  invoice_cadence: 'ARREAR',
  trial_period_days: 0,
  tier_mode: 'SLAB',
  tiers: [{ up_to: 1000, unit_amount: '0.1' }, { up_to: 5000, unit_amount: '0.08', flat_amount: '10' }, { unit_amount: '0.05' }],
  meter_id: 'meter_01',
  lookup_key: 'api_calls_tiered',
  description: '',
  display_name: 'Tokens',
  metadata: {},
  environment_id: 'env_01',
  entity_type: 'PLAN',
  entity_id: 'plan_01',
  parent_price_id: '',
  group_id: '',
  start_date: timestamp,
  tenant_id: 'tenant_01',
  status: 'published',
  created_at: timestamp,
  updated_at: timestamp,
};
const plan = {
  id: 'plan_01',
  name: 'Pro',
  lookup_key: 'pro_monthly',
  description: 'For growing teams',
  display_order: 2,
  metadata: { tier: 'pro' },
  environment_id: 'env_01',
  tenant_id: 'tenant_01',
  status: 'published',
  created_at: timestamp,
  updated_at: timestamp,
};
const addon = {
  id: 'addon_01',
  name: 'Extra storage',
  lookup_key: 'extra_storage',
  description: '',
  metadata: { category: 'storage', gb: 100 },
  environment_id: 'env_01',
  tenant_id: 'tenant_01',
  status: 'published',
  created_at: timestamp,
  updated_at: timestamp,
};
const webhookEndpoint = {
  id: 'whep_01',
  url: 'https://hooks.example.com/tally',
  description: 'Backend',
  event_types: ['customer.created'],
  disabled: false,
  disabled_reason: null,
  disabled_at: null,
  metadata: {},
  previous_secret_expires_at: null,
  environment_id: 'env_01',
  tenant_id: 'tenant_01',
  status: 'published',
  created_at: '2025-01-01T00:00:00.000Z',
  updated_at: '2025-01-01T00:00:00.000Z',
  created_by: 'secret_01',
  updated_by: 'secret_01',
};
const systemEvent = {
  id: 'sys_event_01',
  event_type: 'customer.created',
  entity_type: 'customer',
  entity_id: 'cust_01',
  payload: { event_type: 'customer.created', customer: { id: 'cust_01', name: 'Acme' } },
  environment_id: 'env_01',
  tenant_id: 'tenant_01',
  created_at: '2025-01-01T00:00:00.000Z',
};
const delivery = {
  event_id: 'sys_event_01',
  endpoint_id: 'whep_01',
  endpoint_url: 'https://hooks.example.com/tally',
  state: 'succeeded',
  attempt_count: 1,
  next_attempt_at: null,
  last_status_code: 200,
  last_error: null,
  succeeded_at: '2025-01-01T00:00:01.000Z',
  created_at: '2025-01-01T00:00:00.000Z',
  updated_at: '2025-01-01T00:00:01.000Z',
  attempts: [{ attempt: 1, started_at: '2025-01-01T00:00:00.500Z', duration_ms: 12, status_code: 200, response_body: 'ok', error: null }],
};

const testClock = {
  id: 'clock_01',
  name: 'Renewals',
  frozen_time: '2025-01-01T00:00:00.000Z',
  status: 'ready',
  status_details: {},
  environment_id: 'env_01',
  tenant_id: 'tenant_01',
  created_at: timestamp,
  updated_at: timestamp,
  created_by: 'secret_01',
  updated_by: 'secret_01',
};
const subscriptionLineItem = {
  id: 'subs_li_01',
  subscription_id: 'subs_01',
  customer_id: 'cust_01',
  entity_id: 'plan_01',
  entity_type: 'plan',
  plan_display_name: 'Pro',
  price_id: 'price_01',
  price_type: 'USAGE',
  meter_id: 'meter_01',
  meter_display_name: 'Tokens',
  display_name: 'Tokens',
  quantity: '0',
  currency: 'usd',
  billing_period: 'MONTHLY',
  billing_period_count: 1,
  invoice_cadence: 'ARREAR',
  start_date: '2026-01-01T00:00:00Z',
  metadata: {},
  environment_id: 'env_01',
  tenant_id: 'tenant_01',
  status: 'published',
  created_at: timestamp,
  updated_at: timestamp,
  created_by: 'secret_01',
  updated_by: 'secret_01',
};
const subscription = {
  id: 'subs_01',
  lookup_key: 'acme-pro',
  customer_id: 'cust_01',
  plan_id: 'plan_01',
  subscription_status: 'active',
  currency: 'usd',
  billing_anchor: '2026-01-01T00:00:00Z',
  billing_cycle: 'anniversary',
  start_date: '2026-01-01T00:00:00Z',
  current_period_start: '2026-01-01T00:00:00Z',
  current_period_end: '2026-02-01T00:00:00Z',
  cancel_at: null,
  cancel_at_period_end: false,
  trial_start: null,
  trial_end: null,
  billing_cadence: 'RECURRING',
  billing_period: 'MONTHLY',
  billing_period_count: 1,
  version: 1,
  metadata: { source: 'signup' },
  environment_id: 'env_01',
  pause_status: 'none',
  payment_behavior: 'default_active',
  collection_method: 'charge_automatically',
  timezone: 'UTC',
  proration_behavior: 'none',
  enable_true_up: false,
  payment_terms: '30 NET',
  subscription_type: 'standalone',
  tenant_id: 'tenant_01',
  status: 'published',
  created_at: timestamp,
  updated_at: timestamp,
  created_by: 'secret_01',
  updated_by: 'secret_01',
};
const invoiceLineItem = {
  id: 'inv_li_01',
  invoice_id: 'inv_01',
  customer_id: 'cust_01',
  subscription_id: 'subs_01',
  entity_id: 'plan_01',
  entity_type: 'plan',
  price_id: 'price_01',
  price_type: 'FIXED',
  display_name: 'Pro',
  amount: '49',
  quantity: '1',
  currency: 'usd',
  period_start: '2026-01-01T00:00:00Z',
  period_end: '2026-02-01T00:00:00Z',
  metadata: {},
  environment_id: 'env_01',
  prepaid_credits_applied: '0',
  line_item_discount: '0',
  invoice_level_discount: '0',
  subscription_line_item_id: 'subs_li_01',
  tenant_id: 'tenant_01',
  status: 'published',
  created_at: timestamp,
  updated_at: timestamp,
  created_by: 'secret_01',
  updated_by: 'secret_01',
};
const addonAssociation = {
  id: 'addon_assoc_01',
  entity_id: 'subs_01',
  entity_type: 'subscription',
  addon_id: 'addon_01',
  start_date: timestamp,
  addon_status: 'active',
  metadata: {},
  environment_id: 'env_01',
  tenant_id: 'tenant_01',
  status: 'published',
  created_at: timestamp,
  updated_at: timestamp,
  created_by: 'user_01',
  updated_by: 'user_01',
};

const invoice = {
  id: 'inv_01',
  customer_id: 'cust_01',
  subscription_id: 'subs_01',
  invoice_type: 'SUBSCRIPTION',
  invoice_status: 'FINALIZED',
  payment_status: 'PENDING',
  currency: 'usd',
  amount_due: '49',
  amount_paid: '0',
  amount_remaining: '49',
  subtotal: '49',
  total: '49',
  total_discount: '0',
  total_tax: '0',
  total_prepaid_credits_applied: '0',
  adjustment_amount: '0',
  refunded_amount: '0',
  invoice_number: 'INV-0001',
  idempotency_key: null,
  billing_sequence: 1,
  due_date: '2026-01-31T00:00:00Z',
  finalized_at: '2026-01-01T00:00:00Z',
  issue_date: '2026-01-01T00:00:00Z',
  billing_period: 'MONTHLY',
  period_start: '2026-01-01T00:00:00Z',
  period_end: '2026-02-01T00:00:00Z',
  billing_reason: 'SUBSCRIPTION_CREATE',
  metadata: {},
  version: 1,
  environment_id: 'env_01',
  is_manually_edited: false,
  tenant_id: 'tenant_01',
  status: 'published',
  created_at: timestamp,
  updated_at: timestamp,
  created_by: 'secret_01',
  updated_by: 'secret_01',
};

const planChange = {
  subscription,
  from_plan: { id: 'plan_01', name: 'Basic' },
  to_plan: { id: 'plan_02', name: 'Pro' },
  change_type: 'upgrade',
  effective_at: timestamp,
  is_scheduled: false,
  changed_resources: {
    invoices: [{ id: 'inv_01', action: 'created', status: 'issued', invoice }],
    line_items: [{ id: 'subs_line_01', subscription_id: 'subs_01', price_id: 'price_01', quantity: '1', start_date: timestamp, end_date: timestamp, change_action: 'ended' }],
    subscriptions: [{ id: 'subs_01', action: 'updated', status: 'active', current_period_end: timestamp }],
  },
  entity_changes: [],
  warnings: [],
  metadata: {},
};
const changeBody = { target_plan_id: 'plan_02', proration_behavior: 'create_prorations', billing_cadence: 'RECURRING', billing_period: 'MONTHLY', billing_cycle: 'anniversary' };
const prorationDetails = {
  credit_amount: '15',
  credit_description: 'Credit for unused time on plan plan_01',
  charge_amount: '0',
  charge_description: 'Charge for plan change from 2025-04-16',
  net_amount: '-15',
  proration_date: timestamp,
  current_period_start: timestamp,
  current_period_end: timestamp,
  days_used: 15,
  days_remaining: 15,
  currency: 'usd',
};
const subscriptionSummary = { id: 'subs_01', status: 'cancelled', plan_id: 'plan_01', current_period_start: timestamp, current_period_end: timestamp, billing_anchor: timestamp, created_at: timestamp, archived_at: timestamp };
const payment = {
  id: 'pay_01',
  idempotency_key: 'pay-inv_01-1',
  destination_type: 'INVOICE',
  destination_id: 'inv_01',
  payment_method_type: 'OFFLINE',
  amount: '49',
  currency: 'usd',
  payment_status: 'PENDING',
  track_attempts: false,
  metadata: {},
  invoice_number: 'INV-0001',
  save_card_and_make_default: false,
  attempts: [],
  environment_id: 'env_01',
  tenant_id: 'tenant_01',
  status: 'published',
  created_at: timestamp,
  updated_at: timestamp,
  created_by: 'secret_01',
  updated_by: 'secret_01',
};
const walletRecord = { environment_id: 'env_01', tenant_id: 'tenant_01', status: 'published', created_at: timestamp, updated_at: timestamp, created_by: 'secret_01', updated_by: 'secret_01' };
const wallet = {
  id: 'wallet_01',
  customer_id: 'cust_01',
  name: 'Prepaid Wallet - USD',
  currency: 'usd',
  wallet_type: 'PRE_PAID',
  wallet_status: 'active',
  credit_balance: '200',
  balance: '100',
  conversion_rate: '0.5',
  topup_conversion_rate: '0.5',
  config: { allowed_price_types: ['USAGE'] },
  alert_state: 'ok',
  credits_available_breakdown: { purchased: '0', free: '200' },
  metadata: {},
  ...walletRecord,
};
const creditGrant = {
  id: 'cg_01',
  name: 'Monthly credits',
  scope: 'PLAN',
  plan_id: 'plan_01',
  credits: '1000',
  cadence: 'RECURRING',
  period: 'MONTHLY',
  period_count: 1,
  expiration_type: 'BILLING_CYCLE',
  priority: 1,
  metadata: {},
  ...walletRecord,
};
const creditGrantApplication = {
  id: 'cga_01',
  credit_grant_id: 'cg_02',
  subscription_id: 'subs_01',
  scheduled_for: timestamp,
  period_start: timestamp,
  period_end: timestamp,
  application_status: 'pending',
  application_reason: 'recurring_credit_grant',
  subscription_status_at_application: 'active',
  credits: '1000',
  retry_count: 0,
  idempotency_key: 'cga_01',
  metadata: {},
  ...walletRecord,
};
const unpaged = { total: 1, limit: 0, offset: 0 };
const walletBalance = { ...wallet, real_time_balance: '100', real_time_credit_balance: '200', current_period_usage: '0', unpaid_invoices_amount: '0', balance_updated_at: timestamp, is_cached_fallback: false };
const walletTransaction = {
  id: 'wtxn_01',
  wallet_id: 'wallet_01',
  customer_id: 'cust_01',
  type: 'credit',
  amount: '100',
  credit_amount: '200',
  credit_balance_before: '0',
  credit_balance_after: '200',
  credits_available: '200',
  transaction_status: 'completed',
  transaction_reason: 'FREE_CREDIT_GRANT',
  currency: 'usd',
  topup_conversion_rate: '0.5',
  metadata: {},
  ...walletRecord,
};

const creditNote = {
  id: 'cn_01',
  credit_note_number: 'CN-00001',
  invoice_id: 'inv_01',
  customer_id: 'cust_01',
  credit_note_status: 'FINALIZED',
  credit_note_type: 'REFUND',
  reason: 'BILLING_ERROR',
  memo: 'overcharged',
  currency: 'usd',
  total_amount: '30',
  idempotency_key: 'credit_note-0123456789abcdef',
  line_items: [{ id: 'cn_line_01', credit_note_id: 'cn_01', invoice_line_item_id: 'inv_line_01', display_name: 'Platform fee', amount: '30', currency: 'usd', metadata: {}, ...walletRecord }],
  finalized_at: timestamp,
  metadata: {},
  ...walletRecord,
};
const schedule = {
  id: 'sched_01',
  subscription_id: 'subs_01',
  schedule_type: 'cancellation',
  status: 'pending',
  scheduled_at: '2026-02-01T00:00:00Z',
  configuration: { cancellation_type: 'end_of_period', reason: '', original_cancel_at: null },
  can_be_cancelled: true,
  days_until_execution: 17,
  metadata: {},
  created_at: timestamp,
  updated_at: timestamp,
};
const pause = {
  id: 'pause_01',
  subscription_id: 'subs_01',
  pause_status: 'active',
  pause_mode: 'immediate',
  resume_mode: 'auto',
  pause_start: timestamp,
  pause_end: '2026-01-25T10:30:00Z',
  original_period_start: '2026-01-01T00:00:00Z',
  original_period_end: '2026-02-01T00:00:00Z',
  metadata: {},
  ...walletRecord,
};
const schedules = { schedules: [schedule], count: 1 };
const cancelledSchedule = { status: 'cancelled', message: 'Schedule cancelled successfully' };
const exchanges = {
  createWebhookEndpoint: { body: { url: 'https://hooks.example.com/tally', event_types: ['customer.created'] }, reply: { ...webhookEndpoint, secret: 'whsec_abc' } },
  listWebhookEndpoints: { query: 'limit=10', reply: { items: [webhookEndpoint], pagination } },
  getWebhookEndpoint: { path: { id: 'whep_01' }, reply: webhookEndpoint },
  updateWebhookEndpoint: { path: { id: 'whep_01' }, body: { disabled: true }, reply: { ...webhookEndpoint, disabled: true, disabled_at: '2025-01-02T00:00:00.000Z' } },
  deleteWebhookEndpoint: { path: { id: 'whep_01' }, reply: { message: 'Webhook endpoint deleted successfully' } },
  rotateWebhookEndpointSecret: { path: { id: 'whep_01' }, reply: { ...webhookEndpoint, secret: 'whsec_new', previous_secret_expires_at: '2025-01-02T00:00:00.000Z' } },
  testWebhookEndpoint: { path: { id: 'whep_01' }, reply: { ...systemEvent, event_type: 'webhook_endpoint.test', entity_type: 'webhook_endpoint', entity_id: 'whep_01' } },
  listWebhookEvents: { query: 'event_type=customer.created&entity_id=cust_01', reply: { items: [systemEvent], pagination } },
  getWebhookEvent: { path: { id: 'sys_event_01' }, reply: systemEvent },
  listWebhookEventDeliveries: { path: { id: 'sys_event_01' }, reply: { items: [delivery] } },
  retryWebhookEvent: { path: { id: 'sys_event_01' }, body: { endpoint_id: 'whep_01' }, reply: { items: [{ ...delivery, state: 'pending' }] } },
  retryOutboundWebhook: { body: { system_event_id: 'sys_event_01' }, reply: { success: true, message: 'Webhook delivery scheduled for the system event', system_event_id: 'sys_event_01' } },
  createPriceUnit: { body: { name: 'Credits', code: 'crd', symbol: 'C', base_currency: 'usd', conversion_rate: '0.01' }, reply: priceUnit },
  listPriceUnits: { query: 'status=published&limit=10&sort=code&order=asc', reply: { items: [priceUnit], pagination } },
  queryPriceUnit: { body: { limit: 20, price_unit_ids: ['price_unit_01'] }, reply: { items: [priceUnit], pagination } },
  getPriceUnit: { path: { id: 'price_unit_01' }, reply: priceUnit },
  getPriceUnitByCode: { path: { code: 'crd' }, reply: priceUnit },
  updatePriceUnit: { path: { id: 'price_unit_01' }, body: { name: 'Credits v2' }, reply: { ...priceUnit, name: 'Credits v2' } },
  deletePriceUnit: { path: { id: 'price_unit_01' }, reply: { message: 'Price unit deleted successfully' } },
  createPrice: {
    body: {
      entity_type: 'PLAN',
      entity_id: 'plan_01',
      type: 'USAGE',
      meter_id: 'meter_01',
      currency: 'usd',
      billing_period: 'MONTHLY',
      billing_period_count: 1,
      billing_model: 'TIERED',
      tier_mode: 'SLAB',
      invoice_cadence: 'ARREAR',
      tiers: [{ up_to: 1000, unit_amount: '0.10' }, { up_to: 5000, unit_amount: '0.08', flat_amount: '10' }, { unit_amount: '0.05' }],
      lookup_key: 'api_calls_tiered',
    },
    reply: { ...price, meter },
  },
  createPricesBulk: {
    body: {
      items: [
        {
          entity_type: 'PLAN',
          entity_id: 'plan_01',
          type: 'FIXED',
          currency: 'usd',
          amount: 49,
          billing_period: 'MONTHLY',
          billing_period_count: 1,
          billing_model: 'FLAT_FEE',
          invoice_cadence: 'ADVANCE',
        },
      ],
    },
    reply: { items: [price] },
  },
  listPrices: { query: 'plan_ids=plan_01&expand=meters&allow_expired_prices=true', reply: { items: [{ ...price, meter }], pagination } },
  queryPrice: { body: { plan_ids: ['plan_01'], sort: 'amount', order: 'asc', expand: 'meters' }, reply: { items: [price], pagination } },
  getPrice: { path: { id: 'price_01' }, reply: price },
  getPriceByLookupKey: { path: { lookup_key: 'api_calls_tiered' }, reply: price },
  updatePrice: { path: { id: 'price_01' }, body: { amount: '59', effective_from: '2026-02-01T00:00:00Z' }, reply: { ...price, id: 'price_02', parent_price_id: 'price_01' } },
  deletePrice: { path: { id: 'price_01' }, body: { end_date: '2026-12-31T23:59:59Z' }, reply: { message: 'price deleted successfully' } },
  getPriceCost: {
    path: { id: 'price_01' },
    body: { quantity: '6000' },
    reply: {
      price_id: 'price_01',
      currency: 'usd',
      billing_model: 'TIERED',
      tier_mode: 'SLAB',
      quantity: '6000',
      amount: '480',
      exact_amount: '480',
      display_amount: '$480',
      breakdown: [
        { tier_index: 0, from: '0', up_to: '1000', quantity: '1000', unit_amount: '0.1', flat_amount: '0', amount: '100' },
        { tier_index: 1, from: '1000', up_to: '5000', quantity: '4000', unit_amount: '0.08', flat_amount: '10', amount: '330' },
        { tier_index: 2, from: '5000', quantity: '1000', unit_amount: '0.05', flat_amount: '0', amount: '50' },
      ],
    },
  },
  listCustomers: { reply: { items: [customer], pagination } },
  createCustomer: { body: { external_id: 'acme-001', name: 'Acme Inc.' }, reply: customer },
  updateCustomer: { query: 'id=cust_01', body: { name: 'Acme GmbH' }, reply: { ...customer, name: 'Acme GmbH' } },
  getCustomerByExternalId: { path: { external_id: 'acme-001' }, reply: customer },
  getCustomerEntitlements: { path: { id: 'cust_01' }, query: 'feature_ids=feat_01&subscription_ids=subs_01', reply: { customer_id: 'cust_01', features: [aggregatedFeature] } },
  getCustomerEntitlementsByExternalId: { path: { external_id: 'acme-001' }, reply: { customer_id: 'cust_01', features: [aggregatedFeature] } },
  getCustomerSubscriptionsByExternalId: { path: { external_id: 'acme-001' }, query: 'expand=subscription_line_items', reply: { items: [{ ...subscription, plan }], pagination } },
  getCustomerUsageSummary: {
    query: 'customer_lookup_key=acme-001&feature_ids=feat_01',
    reply: {
      customer_id: 'cust_01',
      features: [
        {
          feature,
          current_usage: '3000',
          total_limit: 1000,
          usage_percent: '300',
          is_enabled: true,
          is_soft_limit: false,
          is_unlimited: false,
          next_usage_reset_at: '2026-02-01T00:00:00Z',
          sources: [entitlementSource],
        },
      ],
      period: { start_time: '2026-01-01T00:00:00Z', end_time: '2026-02-01T00:00:00Z', period: 'MONTHLY' },
    },
  },
  queryCustomer: { body: { limit: 10 }, reply: { items: [customer], pagination } },
  getCustomer: { path: { id: 'cust_01' }, reply: customer },
  updateCustomerById: { path: { id: 'cust_01' }, body: { email: 'billing@acme.test' }, reply: customer },
  deleteCustomer: { path: { id: 'cust_01' }, reply: undefined },
  listEnvironments: { reply: { environments: [environment], total: 1, offset: 0, limit: 50 } },
  createEnvironment: { body: { name: 'Staging', type: 'development' }, reply: environment },
  getEnvironment: { path: { id: 'env_01' }, reply: environment },
  updateEnvironment: { path: { id: 'env_01' }, body: { name: 'Prod' }, reply: environment },
  getHealth: { reply: { status: 'ok' } },
  listApiKeys: { reply: { items: [secret], pagination } },
  createApiKey: { body: { name: 'Backend server', type: 'private_key' }, reply: { api_key: 'sk_01full', secret } },
  deleteApiKey: { path: { id: 'secret_01' }, reply: undefined },
  createMeter: {
    body: {
      name: 'Tokens',
      event_name: 'llm.completion',
      aggregation: { type: 'SUM', field: 'tokens' },
      filters: [{ key: 'model', values: ['gpt-4o', 'o1-mini'] }],
      reset_usage: 'BILLING_PERIOD',
    },
    reply: meter,
  },
  listMeters: { query: 'event_name=llm.completion&meter_ids=meter_01', reply: { items: [meter], pagination } },
  getMeter: { path: { id: 'meter_01' }, reply: meter },
  updateMeter: {
    path: { id: 'meter_01' },
    body: { filters: [{ key: 'model', values: ['gpt-4o-mini'] }, { key: 'region', values: ['eu'] }] },
    reply: { ...meter, filters: [{ key: 'model', values: ['gpt-4o', 'o1-mini', 'gpt-4o-mini'] }, { key: 'region', values: ['eu'] }] },
  },
  disableMeter: { path: { id: 'meter_01' }, reply: { message: 'Meter disabled successfully' } },
  deleteMeter: { path: { id: 'meter_01' }, reply: { message: 'Meter deleted successfully' } },
  createFeature: {
    body: {
      name: 'LLM tokens',
      type: 'metered',
      lookup_key: 'llm_tokens',
      unit_singular: 'token',
      unit_plural: 'tokens',
      reporting_unit: { unit_singular: 'thousand tokens', unit_plural: 'thousand tokens', conversion_rate: '0.001' },
      meter: { name: 'Tokens', event_name: 'llm.completion', aggregation: { type: 'SUM', field: 'tokens' }, reset_usage: 'BILLING_PERIOD' },
    },
    reply: feature,
  },
  listFeatures: { query: 'expand=meters&lookup_keys=llm_tokens', reply: { items: [{ ...feature, meter }], pagination } },
  queryFeature: {
    body: {
      limit: 20,
      expand: 'meters',
      filters: [{ field: 'type', operator: 'eq', data_type: 'string', value: { string: 'metered' } }],
      sort: [{ field: 'name', direction: 'asc' }],
    },
    reply: { items: [{ ...feature, meter }], pagination },
  },
  getFeature: { path: { id: 'feat_01' }, reply: feature },
  updateFeature: {
    path: { id: 'feat_01' },
    body: { name: 'LLM tokens (all models)', filters: [{ key: 'model', values: ['gpt-4o-mini'] }] },
    reply: { ...feature, name: 'LLM tokens (all models)' },
  },
  deleteFeature: { path: { id: 'feat_01' }, reply: { message: 'feature deleted successfully' } },
  cloneFeature: {
    path: { id: 'feat_01' },
    body: { name: 'LLM tokens (EU)', lookup_key: 'llm_tokens_eu', metadata: { region: 'eu' } },
    reply: { ...feature, id: 'feat_02', name: 'LLM tokens (EU)', lookup_key: 'llm_tokens_eu', metadata: { region: 'eu' } },
  },
  createEntitlement: {
    body: { entity_type: 'PLAN', entity_id: 'plan_01', feature_id: 'feat_01', feature_type: 'metered', usage_limit: 1000, usage_reset_period: 'MONTHLY' },
    reply: { ...entitlement, feature },
  },
  createEntitlementsBulk: {
    body: { items: [{ plan_id: 'plan_01', feature_id: 'feat_01', feature_type: 'metered', usage_limit: null }] },
    reply: { items: [{ ...entitlement, usage_limit: null, feature }] },
  },
  listEntitlements: { query: 'entity_type=PLAN&plan_ids=plan_01&is_enabled=true&expand=features', reply: { items: [{ ...entitlement, feature }], pagination } },
  queryEntitlement: {
    body: { limit: 20, entity_type: 'PLAN', entity_ids: ['plan_01'], expand: 'features', filters: [{ field: 'feature_type', operator: 'eq', data_type: 'string', value: { string: 'metered' } }] },
    reply: { items: [entitlement], pagination },
  },
  getEntitlement: { path: { id: 'ent_01' }, reply: { ...entitlement, feature: { ...feature, meter } } },
  updateEntitlement: { path: { id: 'ent_01' }, body: { usage_limit: 5000, is_soft_limit: true }, reply: { ...entitlement, usage_limit: 5000, is_soft_limit: true } },
  deleteEntitlement: { path: { id: 'ent_01' }, reply: { message: 'entitlement deleted successfully' } },
  getPlanEntitlements: { path: { id: 'plan_01' }, reply: { items: [{ ...entitlement, feature: { ...feature, meter } }], pagination: { total: 1, limit: 0, offset: 0 } } },
  getAddonEntitlements: {
    path: { id: 'addon_01' },
    reply: { items: [{ ...entitlement, entity_type: 'ADDON', entity_id: 'addon_01', plan_id: 'addon_01', feature_type: 'boolean', usage_limit: null, usage_reset_period: '' }], pagination: { total: 1, limit: 0, offset: 0 } },
  },
  ingestEvent: {
    body: {
      event_name: 'api_request',
      external_customer_id: 'customer456',
      event_id: 'event123',
      timestamp: '2024-03-20T15:04:05Z',
      source: 'api',
      properties: { request_size: 100, response_status: 200 },
    },
    reply: { message: 'Event accepted for processing', event_id: 'event123' },
  },
  ingestEventsBulk: {
    body: {
      events: [
        {
          event_name: 'api_request',
          external_customer_id: 'customer456',
          event_id: 'event123',
          timestamp: '2024-03-20T15:04:05Z',
          properties: { request_size: 100 },
        },
        { event_name: 'storage_gb', external_customer_id: 'customer456', properties: { gb: 12.5 } },
      ],
    },
    query: 'return_event_ids=true',
    reply: { message: 'Events accepted for processing', event_ids: ['event123', 'event124'] },
  },
  getEvent: {
    query: 'id=event123',
    reply: { event, status: 'processed', processed_events: [{ customer_id: 'cust_01', meter_id: 'meter_01', qty_total: '100' }] },
  },
  getEventById: {
    path: { id: 'event123' },
    reply: { event, status: 'processed', processed_events: [] },
  },
  listRawEvents: {
    body: {
      external_customer_id: 'customer456',
      event_name: 'api_request',
      start_time: '2024-11-09T00:00:00Z',
      end_time: '2024-12-09T00:00:00Z',
      property_filters: { region: ['eu'] },
      page_size: 50,
    },
    reply: { events: [event], has_more: false, total_count: 1 },
  },
  getUsageStatistics: {
    body: {
      event_name: 'api_request',
      aggregation_type: 'SUM',
      property_name: 'request_size',
      external_customer_id: 'customer456',
      start_time: '2024-03-13T00:00:00Z',
      end_time: '2024-03-20T00:00:00Z',
      window_size: 'DAY',
      timezone: 'America/New_York',
      filters: { region: ['us-east-1'] },
    },
    reply: usage,
  },
  getUsageAnalytics: {
    body: { external_customer_id: 'acme-001', start_time: '2026-01-01T00:00:00Z', end_time: '2026-01-03T00:00:00Z', window_size: 'DAY' },
    reply: {
      total_cost: '30',
      currency: 'usd',
      items: [
        {
          feature_id: 'feat_01',
          price_id: 'price_01',
          meter_id: 'meter_01',
          sub_line_item_id: 'subs_line_01',
          subscription_id: 'subs_01',
          plan_id: 'plan_01',
          name: 'API calls',
          event_name: 'api_call',
          aggregation_type: 'COUNT',
          total_usage: '3000',
          total_cost: '30',
          currency: 'usd',
          window_size: 'DAY',
          points: [
            { timestamp: '2026-01-01T00:00:00Z', usage: '3000', cost: '30' },
            { timestamp: '2026-01-02T00:00:00Z', usage: '0', cost: '0' },
          ],
        },
      ],
    },
  },
  getUsageByMeter: {
    body: {
      meter_id: 'meter_01JD2Z7Q8K3M4N5P6R7S8T9V0W',
      external_customer_id: 'user_5',
      start_time: '2024-11-01T00:00:00Z',
      end_time: '2024-12-01T00:00:00Z',
      window_size: 'DAY',
      timezone: 'Europe/Berlin',
    },
    reply: usage,
  },
  createCoupon: {
    body: {
      name: 'Spring sale',
      coupon_code: 'SPRING25',
      type: 'percentage',
      percentage_off: '25',
      cadence: 'repeated',
      duration_in_periods: 3,
      max_redemptions: 100,
      redeem_after: '2026-03-01T00:00:00Z',
      redeem_before: '2026-06-01T00:00:00Z',
      metadata: { campaign: 'spring' },
    },
    reply: coupon,
  },
  listCoupons: { query: 'coupon_codes=spring25&limit=10&offset=20', reply: { items: [coupon], pagination: { total: 21, limit: 10, offset: 20 } } },
  queryCoupon: {
    body: { limit: 20, coupon_codes: ['SPRING25'], filters: [{ field: 'type', operator: 'eq', data_type: 'string', value: { string: 'percentage' } }], sort: [{ field: 'name', direction: 'asc' }] },
    reply: { items: [coupon], pagination: { total: 1, limit: 20, offset: 0 } },
  },
  getCoupon: { path: { id: 'coupon_01' }, reply: coupon },
  getCouponByCode: { path: { code: 'SPRING25' }, reply: coupon },
  updateCoupon: { path: { id: 'coupon_01' }, body: { name: 'Spring sale (extended)' }, reply: { ...coupon, name: 'Spring sale (extended)' } },
  deleteCoupon: { path: { id: 'coupon_01' }, reply: { message: 'Coupon deleted successfully' } },
  createPlan: { body: { name: 'Pro', lookup_key: 'pro_monthly', display_order: 2, metadata: { tier: 'pro' } }, reply: plan },
  listPlans: { query: 'plan_ids=plan_01&expand=prices,entitlements', reply: { items: [{ ...plan, prices: [price], entitlements: [] }], pagination } },
  queryPlan: {
    body: { limit: 20, expand: 'prices.meters', metadata: { tier: 'pro' }, sort: [{ field: 'display_order', direction: 'asc' }] },
    reply: { items: [{ ...plan, prices: [{ ...price, meter }] }], pagination },
  },
  getPlan: { path: { id: 'plan_01' }, reply: { ...plan, prices: [price], entitlements: [] } },
  updatePlan: { path: { id: 'plan_01' }, body: { name: 'Pro (2025)', metadata: {} }, reply: { ...plan, name: 'Pro (2025)', metadata: {} } },
  deletePlan: { path: { id: 'plan_01' }, reply: { message: 'plan deleted successfully' } },
  clonePlan: {
    path: { id: 'plan_01' },
    body: { name: 'Pro (EU)', lookup_key: 'pro_monthly_eu', metadata: { region: 'eu' } },
    reply: { ...plan, id: 'plan_02', name: 'Pro (EU)', lookup_key: 'pro_monthly_eu', metadata: { tier: 'pro', region: 'eu', source_plan_id: 'plan_01' }, prices: [], entitlements: [] },
  },
  createAddon: { body: { name: 'Extra storage', lookup_key: 'extra_storage', metadata: { category: 'storage', gb: 100 } }, reply: addon },
  listAddons: { query: 'lookup_keys=extra_storage&expand=prices', reply: { items: [{ ...addon, prices: [] }], pagination } },
  queryAddon: { body: { addon_ids: ['addon_01'], expand: 'entitlements' }, reply: { items: [{ ...addon, entitlements: [] }], pagination } },
  getAddon: { path: { id: 'addon_01' }, reply: { ...addon, prices: [], entitlements: [] } },
  getAddonByLookupKey: { path: { lookup_key: 'extra_storage' }, reply: { ...addon, prices: [], entitlements: [] } },
  updateAddon: { path: { id: 'addon_01' }, body: { description: '100 GB more' }, reply: { ...addon, description: '100 GB more' } },
  deleteAddon: { path: { id: 'addon_01' }, reply: { message: 'addon deleted successfully' } },
  createTaxRate: { body: { name: 'US Sales Tax', code: 'TAX_US_CA', tax_rate_type: 'percentage', percentage_value: '8.25' }, reply: taxRate },
  getTaxRates: { query: 'taxrate_codes=TAX_US_CA,TAX_EU&scope=INTERNAL', reply: { items: [taxRate], pagination } },
  getTaxRate: { path: { id: 'taxrate_01' }, reply: taxRate },
  updateTaxRate: { path: { id: 'taxrate_01' }, body: { description: 'California' }, reply: { ...taxRate, description: 'California' } },
  deleteTaxRate: { path: { id: 'taxrate_01' }, reply: undefined },
  createTaxAssociation: { body: { tax_rate_code: 'TAX_US_CA', external_customer_id: 'cust-acme-001', auto_apply: true }, reply: taxAssociation },
  listTaxAssociations: { query: 'entity_type=customer&auto_apply=true&expand=tax_rate', reply: { items: [{ ...taxAssociation, tax_rate: taxRate }], pagination } },
  getTaxAssociation: { path: { id: 'ta_01' }, reply: { ...taxAssociation, tax_rate: taxRate } },
  updateTaxAssociation: { path: { id: 'ta_01' }, body: { auto_apply: false }, reply: { ...taxAssociation, auto_apply: false } },
  deleteTaxAssociation: { path: { id: 'ta_01' }, reply: { ...taxAssociation, status: 'archived' } },
  createTestClock: { body: { name: 'Renewals', frozen_time: '2025-01-01T00:00:00Z' }, reply: testClock },
  listTestClocks: { query: 'limit=10', reply: { items: [testClock], pagination } },
  getTestClock: { path: { id: 'clock_01' }, reply: testClock },
  deleteTestClock: { path: { id: 'clock_01' }, reply: undefined },
  advanceTestClock: {
    path: { id: 'clock_01' },
    body: { frozen_time: '2025-04-01T00:00:00Z' },
    reply: { ...testClock, frozen_time: '2025-02-01T00:00:00.000Z', status: 'advancing', status_details: { advancing: { target_frozen_time: '2025-04-01T00:00:00.000Z' } } },
  },
  createSubscription: {
    body: {
      external_customer_id: 'acme-001',
      plan_id: 'plan_01',
      currency: 'usd',
      billing_period: 'MONTHLY',
      billing_cycle: 'anniversary',
      start_date: '2026-01-01T00:00:00Z',
      payment_terms: '30 NET',
      subscription_coupons: [{ coupon_code: 'spring25' }],
      metadata: { source: 'signup' },
    },
    reply: { ...subscription, line_items: [subscriptionLineItem], latest_invoice: invoice },
  },
  listSubscriptions: {
    query: 'subscription_status=active&subscription_status=trialing&plan_id=plan_01&expand=plan,customer',
    reply: { items: [{ ...subscription, plan, customer }], pagination },
  },
  querySubscription: {
    body: { limit: 20, customer_ids: ['cust_01'], subscription_status: ['active'], billing_period: ['MONTHLY'], with_line_items: true, sort: [{ field: 'created_at', direction: 'desc' }] },
    reply: { items: [{ ...subscription, line_items: [subscriptionLineItem] }], pagination },
  },
  getSubscription: { path: { id: 'subs_01' }, reply: { ...subscription, line_items: [subscriptionLineItem], plan } },
  getSubscriptionEntitlements: { path: { id: 'subs_01' }, query: 'feature_ids=feat_01', reply: { subscription_id: 'subs_01', plan_id: 'plan_01', features: [aggregatedFeature] } },
  getSubscriptionUsage: {
    body: { subscription_id: 'subs_01' },
    reply: {
      amount: 20,
      amount_decimal: '20',
      currency: 'usd',
      display_amount: '$20',
      start_time: '2026-01-01T00:00:00Z',
      end_time: '2026-02-01T00:00:00Z',
      charges: [
        {
          meter_display_name: 'API calls',
          quantity: 2000,
          quantity_decimal: '2000',
          amount: 20,
          amount_decimal: '20',
          currency: 'usd',
          display_amount: '$20',
          meter_id: 'meter_01',
          is_overage: false,
          subscription_line_item_id: 'subs_line_01',
          price,
        },
      ],
    },
  },
  getSubscriptionV2: {
    path: { id: 'subs_01' },
    query: 'expand=plan,subscription_line_items.prices',
    reply: { ...subscription, line_items: [{ ...subscriptionLineItem, price }], plan, plan_prices_out_of_sync: false },
  },
  updateSubscription: {
    path: { id: 'subs_01' },
    body: { cancel_at_period_end: true },
    reply: { ...subscription, cancel_at_period_end: true, cancel_at: '2026-02-01T00:00:00Z' },
  },
  activateSubscription: {
    path: { id: 'subs_01' },
    body: { start_date: '2026-01-01T00:00:00Z' },
    reply: { ...subscription, line_items: [subscriptionLineItem] },
  },
  createInvoice: {
    body: {
      customer_id: 'cust_01',
      subscription_id: 'subs_01',
      currency: 'usd',
      invoice_type: 'ONE_OFF',
      subtotal: '150',
      total: '150',
      amount_due: '150',
      line_items: [{ display_name: 'Onboarding workshop', amount: '150', quantity: '1' }],
    },
    reply: {
      ...invoice,
      id: 'inv_02',
      invoice_type: 'ONE_OFF',
      invoice_status: 'DRAFT',
      amount_due: '150',
      amount_remaining: '150',
      subtotal: '150',
      total: '150',
      invoice_number: null,
      billing_sequence: null,
      billing_reason: 'MANUAL',
      line_items: [{ ...invoiceLineItem, id: 'inv_li_02', invoice_id: 'inv_02', display_name: 'Onboarding workshop', amount: '150' }],
    },
  },
  listInvoices: {
    query: 'customer_id=cust_01&invoice_status=FINALIZED&payment_status=PENDING&payment_status=FAILED&skip_line_items=true',
    reply: { items: [invoice], pagination },
  },
  queryInvoice: {
    body: { limit: 20, customer_id: 'cust_01', invoice_status: ['FINALIZED'], payment_status: ['PENDING'], amount_due_gt: 0, expand: 'customer' },
    reply: { items: [{ ...invoice, customer }], pagination },
  },
  getInvoice: { path: { id: 'inv_01' }, query: 'expand=customer,subscription', reply: { ...invoice, line_items: [invoiceLineItem], customer, subscription } },
  updateInvoice: {
    path: { id: 'inv_01' },
    body: { due_date: '2026-02-15T00:00:00Z', metadata: { po_number: 'PO-42' } },
    reply: { ...invoice, due_date: '2026-02-15T00:00:00Z', metadata: { po_number: 'PO-42' } },
  },
  getInvoicePreview: {
    body: { subscription_id: 'subs_01', period_start: '2026-01-01T00:00:00Z', period_end: '2026-02-01T00:00:00Z' },
    reply: { ...invoice, id: '', invoice_status: 'DRAFT', invoice_number: null, billing_sequence: null, billing_reason: 'SUBSCRIPTION_CYCLE', line_items: [invoiceLineItem] },
  },
  finalizeInvoice: { path: { id: 'inv_01' }, reply: { message: 'Invoice finalized successfully' } },
  voidInvoice: { path: { id: 'inv_01' }, body: { metadata: { reason: 'duplicate' } }, reply: { message: 'Invoice voided successfully' } },
  recalculateInvoiceV2: { path: { id: 'inv_01' }, query: 'finalize=false', reply: { ...invoice, invoice_status: 'DRAFT', version: 2, line_items: [invoiceLineItem] } },
  updateInvoicePaymentStatus: {
    path: { id: 'inv_01' },
    body: { payment_status: 'SUCCEEDED', amount: '49' },
    reply: { ...invoice, payment_status: 'SUCCEEDED', amount_paid: '49', amount_remaining: '0', paid_at: '2026-01-10T00:00:00Z' },
  },
  getCustomerInvoiceSummary: {
    path: { id: 'cust_01' },
    reply: {
      customer_id: 'cust_01',
      default_currency: 'usd',
      summaries: [
        {
          customer_id: 'cust_01',
          currency: 'usd',
          total_revenue_amount: '49',
          total_unpaid_amount: '49',
          total_overdue_amount: '0',
          total_invoice_count: 1,
          unpaid_invoice_count: 1,
          overdue_invoice_count: 0,
          unpaid_usage_charges: '0',
          unpaid_fixed_charges: '49',
        },
      ],
    },
  },
  createPayment: {
    body: { amount: '49', currency: 'usd', destination_type: 'INVOICE', destination_id: 'inv_01', payment_method_type: 'OFFLINE', process_payment: false },
    reply: payment,
  },
  listPayments: { query: 'destination_type=INVOICE&destination_id=inv_01&payment_status=PENDING', reply: { items: [payment], pagination } },
  getPayment: { path: { id: 'pay_01' }, reply: payment },
  updatePayment: { path: { id: 'pay_01' }, body: { metadata: { note: 'wire transfer' } }, reply: { ...payment, metadata: { note: 'wire transfer' } } },
  deletePayment: { path: { id: 'pay_01' }, reply: { message: 'Payment deleted successfully' } },
  processPayment: {
    path: { id: 'pay_01' },
    reply: { ...payment, payment_status: 'SUCCEEDED', succeeded_at: '2026-01-10T00:00:00Z', attempts: [{ id: 'attempt_01', payment_id: 'pay_01', attempt_number: 1 }] },
  },
  createWallet: { body: { customer_id: 'cust_01', currency: 'usd', conversion_rate: '0.5', initial_credits_to_load: '200' }, reply: wallet },
  listWallets: { query: 'status=active&wallet_ids=wallet_01&alert_enabled=false', reply: { items: [wallet], pagination } },
  queryWallet: { body: { status: 'active', sort: 'created_at' }, reply: { items: [wallet], pagination } },
  getWallet: { path: { id: 'wallet_01' }, reply: wallet },
  updateWallet: { path: { id: 'wallet_01' }, body: { name: 'Team credits' }, reply: { ...wallet, name: 'Team credits' } },
  topUpWallet: { path: { id: 'wallet_01' }, body: { transaction_reason: 'PURCHASED_CREDIT_DIRECT', amount: '10', priority: 1 }, reply: { wallet_transaction: walletTransaction, wallet } },
  debitWallet: { path: { id: 'wallet_01' }, body: { credits: '25', transaction_reason: 'MANUAL_BALANCE_DEBIT', idempotency_key: 'fix-1' }, reply: { ...wallet, credit_balance: '175', balance: '87.5' } },
  terminateWallet: { path: { id: 'wallet_01' }, reply: { message: 'wallet terminated successfully' } },
  modifyWallet: {
    path: { id: 'wallet_01' },
    body: { modification_type: 'prepaid_to_postpaid' },
    reply: {
      original_wallet: { ...wallet, wallet_status: 'closed', credit_balance: '0', balance: '0' },
      new_wallet: { ...wallet, id: 'wallet_02', name: 'Postpaid Wallet - USD', wallet_type: 'POST_PAID', config: { allowed_price_types: ['ALL'] }, metadata: { converted_from: 'wallet_01' } },
    },
  },
  getWalletTransactions: { path: { id: 'wallet_01' }, query: 'type=credit&credits_available_gt=0', reply: { items: [walletTransaction], pagination } },
  queryWalletTransaction: { body: { wallet_id: 'wallet_01', transaction_reason: 'FREE_CREDIT_GRANT' }, reply: { items: [walletTransaction], pagination } },
  getWalletBalance: { path: { id: 'wallet_01' }, reply: walletBalance },
  getWalletBalanceCached: { path: { id: 'wallet_01' }, reply: walletBalance },
  getWalletsByCustomerId: { path: { id: 'cust_01' }, reply: [wallet] },
  getSetting: { path: { key: 'bonus_credits_topup_config' }, reply: { key: 'bonus_credits_topup_config', value: { enabled: false, slabs: [] } } },
  updateSetting: {
    path: { key: 'bonus_credits_topup_config' },
    body: { value: { enabled: true, slabs: [{ threshold: '100', operator: 'gte', bonus: { type: 'flat', value: '5' } }] } },
    reply: { id: 'setting_01', key: 'bonus_credits_topup_config', value: { enabled: true, slabs: [] }, environment_id: 'env_01', tenant_id: 'tenant_01', status: 'published', created_at: timestamp, updated_at: timestamp, created_by: 'secret_01', updated_by: 'secret_01' },
  },
  deleteSetting: { path: { key: 'bonus_credits_topup_config' }, reply: { message: 'Setting deleted successfully' } },
  getCustomerWallets: { query: 'lookup_key=acme-001', reply: [walletBalance] },
  getCustomerByLookupKey: { path: { external_id: 'acme-001' }, reply: customer },
  getCustomerUsageSummaryById: { path: { id: 'cust_01' }, query: 'feature_ids=feat_01', reply: { customer_id: 'cust_01', features: [] } },
  cancelSubscription: {
    path: { id: 'subs_01' },
    body: { cancellation_type: 'immediate', proration_behavior: 'create_prorations', cancel_immediately_inovice_policy: 'generate_invoice' },
    reply: {
      subscription_id: 'subs_01',
      cancellation_type: 'immediate',
      effective_date: timestamp,
      status: 'cancelled',
      proration_invoice: invoice,
      proration_details: [{ line_item_id: 'subs_line_01', price_id: 'price_01', original_amount: '30', credit_amount: '15', charge_amount: '0', proration_days: 15, description: 'unused time' }],
      total_credit_amount: '15',
      message: 'Subscription cancelled immediately with 15 credit for unused time',
      processed_at: timestamp,
    },
  },
  getSubscriptionSchedules: { path: { id: 'subs_01' }, reply: schedules },
  listSubscriptionSchedules: { path: { subscription_id: 'subs_01' }, reply: schedules },
  listSchedules: { query: 'pending_only=true&subscription_ids=subs_01&schedule_type=cancellation', reply: schedules },
  listAllSubscriptionSchedules: { query: 'pending_only=true&subscription_id=subs_01', reply: schedules },
  getSchedule: { path: { id: 'sched_01' }, reply: schedule },
  getSubscriptionSchedule: { path: { id: 'sched_01' }, reply: schedule },
  cancelSchedule: { path: { id: 'sched_01' }, reply: cancelledSchedule },
  cancelSubscriptionSchedule: { path: { schedule_id: 'sched_01' }, reply: cancelledSchedule },
  cancelScheduleByBody: { body: { subscription_id: 'subs_01', schedule_type: 'cancellation' }, reply: cancelledSchedule },
  pauseSubscription: { path: { id: 'subs_01' }, body: { pause_mode: 'immediate', pause_days: 10 }, reply: pause },
  resumeSubscription: { path: { id: 'subs_01' }, body: { resume_mode: 'immediate' }, reply: { ...pause, pause_status: 'completed', resume_mode: 'immediate', resumed_at: timestamp } },
  listSubscriptionPauses: { path: { id: 'subs_01' }, reply: [pause] },
  previewSubscriptionPlanChangeV2: { path: { id: 'subs_01' }, body: { target_plan_id: 'plan_02', proration_behavior: 'create_prorations' }, reply: planChange },
  executeSubscriptionPlanChangeV2: { path: { id: 'subs_01' }, body: { target_plan_id: 'plan_02', proration_behavior: 'none', change_at: 'end_of_period' }, reply: { ...planChange, is_scheduled: true, schedule_id: 'sched_01', scheduled_at: timestamp } },
  previewSubscriptionChange: {
    path: { id: 'subs_01' },
    body: changeBody,
    reply: {
      subscription_id: 'subs_01',
      current_plan: { id: 'plan_01', name: 'Basic' },
      target_plan: { id: 'plan_02', name: 'Pro' },
      change_type: 'upgrade',
      proration_details: prorationDetails,
      next_invoice_preview: { subtotal: '45', tax_amount: '0', total: '45', currency: 'usd', line_items: [{ description: 'Pro', amount: '45', quantity: '1', unit_price: '45', period_start: timestamp, period_end: timestamp, is_proration: true }] },
      effective_date: timestamp,
      new_billing_cycle: { period_start: timestamp, period_end: timestamp, billing_anchor: timestamp, billing_cadence: 'RECURRING', billing_period: 'MONTHLY', billing_period_count: 1 },
      warnings: [],
      metadata: {},
    },
  },
  executeSubscriptionChange: {
    path: { id: 'subs_01' },
    body: changeBody,
    reply: {
      is_scheduled: false,
      old_subscription: subscriptionSummary,
      new_subscription: { ...subscriptionSummary, id: 'subs_02', status: 'active', plan_id: 'plan_02', archived_at: undefined },
      change_type: 'upgrade',
      invoice,
      proration_applied: prorationDetails,
      credit_grants: [],
      effective_date: timestamp,
      metadata: {},
    },
  },
  createSubscriptionLineItem: { path: { id: 'subs_01' }, body: { price_id: 'price_01', quantity: '2', proration_behavior: 'create_prorations' }, reply: { ...subscriptionLineItem, price } },
  updateSubscriptionLineItem: { path: { id: 'subs_line_01' }, body: { amount: '45', effective_from: timestamp }, reply: subscriptionLineItem },
  deleteSubscriptionLineItem: { path: { id: 'subs_line_01' }, body: { proration_behavior: 'create_prorations' }, reply: { ...subscriptionLineItem, end_date: timestamp } },
  querySubscriptionLineItems: { body: { subscription_ids: ['subs_01'], active_filter: false }, reply: { items: [subscriptionLineItem], pagination } },
  previewSubscriptionModify: {
    path: { id: 'subs_01' },
    body: { type: 'quantity_change', quantity_change_params: { line_items: [{ id: 'subs_line_01', quantity: '5' }] } },
    reply: {
      subscription: { ...subscription, line_items: [subscriptionLineItem] },
      changed_resources: {
        line_items: [{ id: '(preview-ended)', price_id: 'price_01', quantity: '2', start_date: timestamp, end_date: timestamp, change_action: 'ended' }],
        invoices: [{ id: '(preview)', action: 'created', status: 'preview', amount: '15', invoice: { ...invoice, id: '(preview)', invoice_number: null } }],
      },
    },
  },
  executeSubscriptionModify: {
    path: { id: 'subs_01' },
    body: { type: 'quantity_change', quantity_change_params: { line_items: [{ id: 'subs_line_01', quantity: '1', effective_date: timestamp }] } },
    reply: {
      subscription: { ...subscription, line_items: [subscriptionLineItem] },
      changed_resources: {
        line_items: [{ id: 'subs_line_02', price_id: 'price_01', quantity: '1', start_date: timestamp, change_action: 'created' }],
        invoices: [{ id: 'wtx_01', action: 'wallet_credit', status: 'issued', amount: '15' }],
      },
    },
  },
  addSubscriptionAddon: {
    body: { subscription_id: 'subs_01', addon_id: 'addon_01', cadence: 'recurring', proration_behavior: 'create_prorations' },
    reply: { ...addonAssociation, invoice },
  },
  removeSubscriptionAddon: { body: { addon_association_id: 'addon_assoc_01', proration_behavior: 'create_prorations' }, reply: { message: 'addon removed from subscription successfully' } },
  getSubscriptionAddonAssociations: { path: { id: 'subs_01' }, reply: { items: [{ ...addonAssociation, addon }], pagination: { total: 1, limit: 0, offset: 0 } } },
  createCreditNote: { body: { invoice_id: 'inv_01', reason: 'BILLING_ERROR', line_items: [{ invoice_line_item_id: 'inv_line_01', amount: '30' }] }, reply: creditNote },
  getCreditNote: { path: { id: 'cn_01' }, reply: creditNote },
  listCreditNotes: { query: 'invoice_id=inv_01&credit_note_status=FINALIZED', reply: { items: [creditNote], pagination } },
  processCreditNote: { path: { id: 'cn_01' }, reply: { message: 'Adjustment credit note processed successfully' } },
  voidCreditNote: { path: { id: 'cn_01' }, reply: { message: 'Credit note voided successfully' } },
  createCreditGrant: { body: { name: 'Monthly credits', scope: 'PLAN', plan_id: 'plan_01', credits: '1000', cadence: 'RECURRING', period: 'MONTHLY', period_count: 1, expiration_type: 'BILLING_CYCLE' }, reply: creditGrant },
  getCreditGrant: { path: { id: 'cg_01' }, reply: creditGrant },
  updateCreditGrant: { path: { id: 'cg_01' }, body: { name: 'Renamed' }, reply: { ...creditGrant, name: 'Renamed' } },
  deleteCreditGrant: { path: { id: 'cg_01' }, reply: { message: 'credit grant deleted successfully' } },
  listCreditGrants: { query: 'plan_ids=plan_01&scope=PLAN', reply: { items: [creditGrant], pagination } },
  getPlanCreditGrants: { path: { id: 'plan_01' }, reply: { items: [creditGrant], pagination: unpaged } },
  getAddonCreditGrants: { path: { id: 'addon_01' }, reply: { items: [{ ...creditGrant, scope: 'ADDON', plan_id: undefined, addon_id: 'addon_01' }], pagination: unpaged } },
  getSubscriptionUpcomingGrants: { path: { id: 'subs_01' }, reply: { items: [creditGrantApplication], pagination: unpaged } },
  getCustomerUpcomingGrants: { path: { id: 'cust_01' }, reply: { items: [creditGrantApplication], pagination: unpaged } },
} satisfies Record<OperationId, Exchange>;

const rowOf = (operationId: OperationId) => operationTable.find((r) => r.operationId === operationId)!;

/** `/customers/{id}` with `{id: 'cust_01'}` → `/v1/customers/cust_01`, from the operation table. */
function urlPath(operationId: OperationId, path: Record<string, string> = {}): string {
  const row = rowOf(operationId);
  return row.prefix + row.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(path[name] ?? `missing-${name}`));
}

/** Fake handlers for every operation of the table: record the call, return the configured reply. */
function fakeHandlers(calls: Call[], replies: Map<OperationId, unknown>): Handlers<TestContext> {
  const handlers: Record<string, (request: { path: unknown; query: unknown; body: unknown }, context: TestContext) => Promise<unknown>> = {};
  for (const row of operationTable) {
    const operationId: OperationId = row.operationId;
    handlers[operationId] = async (request, context) => {
      calls.push({ operationId, ...request, context });
      return replies.has(operationId) ? replies.get(operationId) : exchanges[operationId].reply;
    };
  }
  return handlers as unknown as Handlers<TestContext>;
}

async function startApp(validateResponses: boolean): Promise<TestApp> {
  const calls: Call[] = [];
  const authenticated: string[] = [];
  const errors: unknown[] = [];
  const replies = new Map<OperationId, unknown>();

  const app = new Koa();
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      if (error instanceof RequestValidationError) {
        ctx.status = 400;
        ctx.body = { fields: error.fields };
      } else {
        errors.push(error);
        ctx.status = 500;
        ctx.body = { error: error instanceof Error ? error.name : 'unknown' };
      }
    }
  });
  app.use(koaBody({ parsedMethods: [HttpMethodEnum.POST, HttpMethodEnum.PUT, HttpMethodEnum.PATCH, HttpMethodEnum.DELETE] }));

  const authenticate: Middleware = async (ctx, next) => {
    authenticated.push(ctx.path);
    if (ctx.get('x-api-key') !== API_KEY) {
      ctx.status = 401;
      ctx.body = { error: 'unauthorized' };
      return;
    }
    ctx.state.principal = 'key:backend';
    await next();
  };

  const router = new Router();
  mountOperations(router, fakeHandlers(calls, replies), {
    authenticate,
    context: (ctx) => ({ principal: ctx.state.principal as string | undefined }),
    validateResponses,
  });
  app.use(router.routes());
  app.use(router.allowedMethods());

  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    authenticated,
    errors,
    replies,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

type Sent = { status: number; text: string; json: unknown };

async function send(app: TestApp, method: string, path: string, options: { body?: unknown; rawBody?: string; apiKey?: string | null } = {}): Promise<Sent> {
  const headers: Record<string, string> = {};
  const apiKey = options.apiKey === undefined ? API_KEY : options.apiKey;
  if (apiKey !== null) headers['x-api-key'] = apiKey;
  let body: string | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(app.url + path, { method, headers, body });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}

function resetApp(app: TestApp): void {
  app.calls.length = 0;
  app.authenticated.length = 0;
  app.errors.length = 0;
  app.replies.clear();
}

describe('mountOperations', () => {
  let app: TestApp;
  let strict: TestApp;

  beforeAll(async () => {
    app = await startApp(false);
    strict = await startApp(true);
  });
  afterAll(async () => {
    await app?.close();
    await strict?.close();
  });
  beforeEach(() => {
    resetApp(app);
    resetApp(strict);
  });

  describe('routing', () => {
    it('has an exchange for exactly the operations of the table', () => {
      expect(Object.keys(exchanges).sort()).toEqual(operationTable.map((r) => r.operationId).sort());
    });

    it.each(operationTable.map((row) => [row.operationId, row] as const))(
      'mounts %s at its method and path and answers with the spec success status',
      async (operationId, row) => {
        const exchange: Exchange = exchanges[operationId];
        const path = urlPath(operationId, exchange.path) + (exchange.query ? `?${exchange.query}` : '');
        const res = await send(strict, row.method.toUpperCase(), path, { body: exchange.body });

        expect(res.status).toBe(row.successStatus);
        expect(strict.errors).toEqual([]);
        expect(strict.calls.map((c) => c.operationId)).toEqual([operationId]);
        expect(strict.calls[0].path).toEqual(exchange.path ?? {});
        if (row.hasBody) expect(strict.calls[0].body).toEqual(exchange.body);
        else expect(strict.calls[0].body).toBeUndefined();
        if (row.successStatus === 204) expect(res.text).toBe('');
        else expect(res.json).toEqual(exchange.reply);
      },
    );

    it('answers 201 with the created resource for a create', async () => {
      const res = await send(app, 'POST', '/v1/customers', { body: { external_id: 'acme-001', name: 'Acme Inc.' } });
      expect(rowOf('createCustomer').successStatus).toBe(201);
      expect(res.status).toBe(201);
      expect(res.json).toEqual(customer);
      expect(app.calls[0]).toMatchObject({ operationId: 'createCustomer', body: { external_id: 'acme-001', name: 'Acme Inc.' } });
    });

    it('answers 204 with an empty body for a delete, whatever the handler returns', async () => {
      app.replies.set('deleteCustomer', { deleted: true });
      const res = await send(app, 'DELETE', '/v1/customers/cust_42');
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expect(app.calls).toHaveLength(1);
      expect(app.calls[0]).toMatchObject({ operationId: 'deleteCustomer', path: { id: 'cust_42' } });
    });

    it('routes /customers/search to queryCustomer and /customers/external/{id} to getCustomerByExternalId', async () => {
      expect((await send(app, 'POST', '/v1/customers/search', { body: {} })).status).toBe(200);
      expect((await send(app, 'GET', '/v1/customers/external/acme%20inc')).status).toBe(200);
      expect((await send(app, 'GET', '/v1/customers/search')).status).toBe(200);
      expect(app.calls.map((c) => [c.operationId, c.path])).toEqual([
        ['queryCustomer', {}],
        ['getCustomerByExternalId', { external_id: 'acme inc' }],
        // GET has no static /customers/search route: the segment is a customer id.
        ['getCustomer', { id: 'search' }],
      ]);
    });

    it('answers 404 for paths outside the spec and 405 for a method the path does not have', async () => {
      expect((await send(app, 'GET', '/v1/no-such-resource')).status).toBe(404);
      expect((await send(app, 'PATCH', '/v1/customers/cust_01', { body: {} })).status).toBe(405);
      expect(app.calls).toEqual([]);
    });
  });

  describe('authentication', () => {
    it('runs authenticate before a secured operation and builds the context after it', async () => {
      const res = await send(app, 'GET', '/v1/customers/cust_01');
      expect(res.status).toBe(200);
      expect(app.authenticated).toEqual(['/v1/customers/cust_01']);
      expect(app.calls[0].context).toEqual({ principal: 'key:backend' });
    });

    it('lets authenticate stop a secured operation before the handler runs', async () => {
      const res = await send(app, 'POST', '/v1/customers', { body: { name: 'Acme Inc.' }, apiKey: null });
      expect(res.status).toBe(401);
      expect(res.json).toEqual({ error: 'unauthorized' });
      expect(app.authenticated).toEqual(['/v1/customers']);
      expect(app.calls).toEqual([]);
    });

    it('authenticates before validating, so an anonymous bad request gets 401, not 400', async () => {
      const res = await send(app, 'GET', '/v1/customers?limit=abc', { apiKey: null });
      expect(res.status).toBe(401);
    });

    it('serves getHealth at /health, outside /v1, without authenticate', async () => {
      expect(rowOf('getHealth').secured).toBe(false);
      const res = await send(app, 'GET', '/health', { apiKey: null });
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ status: 'ok' });
      expect(app.authenticated).toEqual([]);
      expect(app.calls[0]).toMatchObject({ operationId: 'getHealth', context: { principal: undefined } });
      expect((await send(app, 'GET', '/v1/health', { apiKey: null })).status).toBe(404);
    });

    it('secures every operation of the table except getHealth', () => {
      expect(operationTable.filter((r) => !r.secured).map((r) => r.operationId)).toEqual(['getHealth']);
    });
  });

  describe('query parameters', () => {
    it('coerces ?limit=5&offset=10 to numbers', async () => {
      const res = await send(app, 'GET', '/v1/customers?limit=5&offset=10');
      expect(res.status).toBe(200);
      expect(app.calls[0].query).toEqual({ limit: 5, offset: 10 });
      expect(typeof (app.calls[0].query as { limit: unknown }).limit).toBe('number');
    });

    it('passes repeated ?external_ids as an array, in order', async () => {
      await send(app, 'GET', '/v1/customers?external_ids=a&external_ids=b');
      expect(app.calls[0].query).toEqual({ external_ids: ['a', 'b'] });
    });

    it('wraps a single ?external_ids in an array', async () => {
      await send(app, 'GET', '/v1/customers?external_ids=a');
      expect(app.calls[0].query).toEqual({ external_ids: ['a'] });
    });

    it('keeps declared string parameters as strings and drops undeclared and empty ones', async () => {
      await send(app, 'GET', '/v1/customers?external_id=007&status=archived&debug=1&limit=&email=');
      expect(app.calls[0].query).toEqual({ external_id: '007', status: 'archived' });
    });

    it('passes the query of an operation that also has a body', async () => {
      await send(app, 'PUT', '/v1/customers?external_customer_id=acme-001', { body: { name: 'Acme GmbH' } });
      expect(app.calls[0]).toMatchObject({ operationId: 'updateCustomer', query: { external_customer_id: 'acme-001' }, body: { name: 'Acme GmbH' } });
    });

    it.each([
      ['abc', 'must be integer'],
      ['2.5', 'must be integer'],
      ['-1', /^must be >= \d+$/],
      ['1001', 'must be <= 1000'],
    ])('answers 400 naming limit for ?limit=%s', async (limit, message) => {
      const res = await send(app, 'GET', `/v1/customers?limit=${limit}`);
      expect(res.status).toBe(400);
      const fields = (res.json as { fields: Record<string, string> }).fields;
      expect(Object.keys(fields)).toEqual(['limit']);
      if (typeof message === 'string') expect(fields.limit).toBe(message);
      else expect(fields.limit).toMatch(message);
      expect(app.calls).toEqual([]);
    });

    it('answers 400 for ?limit=0 exactly when the spec sets a minimum above 0', async () => {
      const spec = JSON.parse(readFileSync(new URL('../../../spec/dist/openapi.json', import.meta.url), 'utf8'));
      const minimum: number = spec.components.parameters.Limit.schema.minimum;
      const res = await send(app, 'GET', '/v1/customers?limit=0');
      if (minimum > 0) {
        expect(res.status).toBe(400);
        expect((res.json as { fields: Record<string, string> }).fields).toEqual({ limit: `must be >= ${minimum}` });
      } else {
        expect(res.status).toBe(200);
        expect(app.calls[0].query).toEqual({ limit: 0 });
      }
    });

    it('names every bad parameter at once', async () => {
      const res = await send(app, 'GET', '/v1/customers?limit=abc&offset=-3&order=sideways&email=nope');
      expect(res.status).toBe(400);
      expect(res.json).toEqual({
        fields: { limit: 'must be integer', offset: 'must be >= 0', order: 'must be one of: asc, desc', email: 'must be a valid email' },
      });
    });
  });

  describe('request bodies', () => {
    it('answers 400 "is required" for each missing required field', async () => {
      const res = await send(app, 'POST', '/v1/environments', { body: { type: 'development' } });
      expect(res.status).toBe(400);
      expect(res.json).toEqual({ fields: { name: 'is required' } });
      expect(app.calls).toEqual([]);
    });

    it('answers 400 naming body when a required body is not sent at all', async () => {
      const required = { body: 'is required: send a JSON object ({} when no field applies)' };
      const create = await send(app, 'POST', '/v1/secrets/api/keys');
      expect(create.status).toBe(400);
      expect(create.json).toEqual({ fields: required });
      // `{}` would be a valid search and a valid (empty) update; no body at all is still refused.
      const search = await send(app, 'POST', '/v1/customers/search');
      expect(search.status).toBe(400);
      expect(search.json).toEqual({ fields: required });
      const update = await send(app, 'PUT', '/v1/customers/cust_01');
      expect(update.status).toBe(400);
      expect(update.json).toEqual({ fields: required });
      expect(app.calls).toEqual([]);
    });

    it('accepts {} where every field is optional', async () => {
      const res = await send(app, 'POST', '/v1/customers/search', { body: {} });
      expect(res.status).toBe(200);
      expect(app.calls[0]).toMatchObject({ operationId: 'queryCustomer', body: {} });
    });

    it('answers 400 naming email for a bad email', async () => {
      const res = await send(app, 'POST', '/v1/customers', { body: { external_id: 'acme-001', name: 'Acme Inc.', email: 'not-an-email' } });
      expect(res.status).toBe(400);
      expect(res.json).toEqual({ fields: { email: 'must be a valid email' } });
    });

    it('names filters[0].operator for an unknown operator in a search', async () => {
      const res = await send(app, 'POST', '/v1/customers/search', {
        body: { filters: [{ field: 'name', operator: 'like', data_type: 'string', value: { string: 'Ac' } }] },
      });
      expect(res.status).toBe(400);
      const fields = (res.json as { fields: Record<string, string> }).fields;
      expect(Object.keys(fields)).toEqual(['filters[0].operator']);
      expect(fields['filters[0].operator']).toBe('must be one of: eq, contains, not_contains, gt, lt, gte, in, not_in, before, after');
    });

    it('checks JSON types as sent, without coercing strings in bodies', async () => {
      const res = await send(app, 'POST', '/v1/customers/search', { body: { limit: '10' } });
      expect(res.status).toBe(400);
      expect(res.json).toEqual({ fields: { limit: 'must be integer' } });
    });

    it('names the body itself when it is not an object', async () => {
      const res = await send(app, 'POST', '/v1/environments', { rawBody: '["Staging"]' });
      expect(res.status).toBe(400);
      expect(res.json).toEqual({ fields: { body: 'must be object' } });
    });

    it('passes a valid body to the handler unchanged', async () => {
      const body = { external_id: 'acme-001', name: 'Acme Inc.', metadata: { plan_tier: 'enterprise' }, address_country: 'DE' };
      const res = await send(app, 'POST', '/v1/customers', { body });
      expect(res.status).toBe(201);
      expect(app.calls[0].body).toEqual(body);
    });
  });

  describe('response validation', () => {
    it('turns a reply that violates the spec into a ResponseContractError when validateResponses is true', async () => {
      strict.replies.set('createCustomer', {});
      const res = await send(strict, 'POST', '/v1/customers', { body: { external_id: 'acme-001', name: 'Acme Inc.' } });
      expect(res.status).toBe(500);
      expect(strict.calls).toHaveLength(1);
      expect(strict.errors).toHaveLength(1);
      const error = strict.errors[0];
      expect(error).toBeInstanceOf(ResponseContractError);
      expect((error as Error).name).toBe('ResponseContractError');
      expect((error as Error).message).toMatch(/^Response of createCustomer does not match the spec: /);
      for (const field of ['id', 'external_id', 'name', 'timezone', 'metadata', 'status', 'created_at']) {
        expect((error as Error).message).toContain(`"${field}":"is required"`);
      }
    });

    it('names the offending field of a nested reply', async () => {
      strict.replies.set('listCustomers', { items: [{ ...customer, status: 'gone' }], pagination });
      const res = await send(strict, 'GET', '/v1/customers');
      expect(res.status).toBe(500);
      expect((strict.errors[0] as Error).message).toContain('"items[0].status":"must be one of: published, deleted, archived"');
    });

    it('passes the same bad reply through when validateResponses is false', async () => {
      app.replies.set('createCustomer', {});
      const res = await send(app, 'POST', '/v1/customers', { body: { external_id: 'acme-001', name: 'Acme Inc.' } });
      expect(res.status).toBe(201);
      expect(res.json).toEqual({});
      expect(app.errors).toEqual([]);
    });

    it('lets a handler error through to the error middleware untouched', async () => {
      const boom = new Error('database is down');
      const handlers = fakeHandlers([], new Map());
      const failing = { ...handlers, getHealth: async () => Promise.reject(boom) } as Handlers<TestContext>;
      const router = new Router();
      const caught: unknown[] = [];
      mountOperations(router, failing, { authenticate: async (_ctx, next) => next(), context: () => ({ principal: undefined }), validateResponses: true });
      const koa = new Koa();
      koa.use(async (ctx, next) => {
        try {
          await next();
        } catch (error) {
          caught.push(error);
          ctx.status = 503;
        }
      });
      koa.use(router.routes());
      const server = koa.listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      try {
        const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/health`);
        expect(res.status).toBe(503);
        expect(caught).toEqual([boom]);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });
  });
});
