import type { components } from '@tally/contract';
import type { CreditGrantCadence, CreditGrantExpiryType, CreditGrantExpiryUnit } from '../../billing/credit-grants/index.ts';
import { ExactDecimal, formatDecimal } from '../../billing/money/index.ts';
import type { BillingPeriodUnit } from '../../billing/period/index.ts';
import { throwIfProblems, type Problems } from '../../errors/problems.ts';
import { listQueryOf, type ListQuery } from '../../listing/list-query.ts';
import type { QueryParams } from '../../wire/contract-types.ts';
import { parseDateInput } from '../../wire/date-input.ts';
import { parseDecimal } from '../../wire/decimal-input.ts';
import { recordFields } from '../../wire/record-fields.ts';
import type { CreditGrantApplication } from './credit-grant-application.entity.ts';
import type { CreditGrant, CreditGrantScope } from './credit-grant.entity.ts';
import { creditGrantSearchFields } from './credit-grant.search.ts';

type CreateRequest = components['schemas']['CreateCreditGrantRequest'];
type UpdateRequest = components['schemas']['UpdateCreditGrantRequest'];
type DeleteRequest = components['schemas']['DeleteCreditGrantRequest'];
export type CreditGrantResponse = components['schemas']['CreditGrantResponse'];
export type CreditGrantApplicationResponse = components['schemas']['CreditGrantApplicationResponse'];

/** A credit grant to create, validated on its own (the plan, addon and subscription it names are checked by the service). */
export type NewCreditGrant = {
  name: string;
  scope: CreditGrantScope;
  planId: string | null;
  subscriptionId: string | null;
  addonId: string | null;
  credits: string;
  cadence: CreditGrantCadence;
  period: BillingPeriodUnit | null;
  periodCount: number | null;
  expirationType: CreditGrantExpiryType;
  expirationDuration: number | null;
  expirationDurationUnit: CreditGrantExpiryUnit | null;
  priority: number | null;
  startDate: Date | null;
  endDate: Date | null;
  creditGrantAnchor: Date | null;
  conversionRate: string | null;
  topupConversionRate: string | null;
  metadata: Record<string, string>;
};

/** Changes to a credit grant: `undefined` leaves a field as it is. */
export type CreditGrantChanges = { name?: string; metadata?: Record<string, string>; endDate?: Date };

const decimalField = (value: string | number | undefined, field: string, errors: Problems): string | null => {
  if (value === undefined) return null;
  const parsed = parseDecimal(value, { positive: true });
  if ('problem' in parsed) {
    errors[field] = parsed.problem;
    return null;
  }
  return parsed.value;
};

/** The owner a scope needs, and the dates only a SUBSCRIPTION grant has; FlexPrice's rules, fields it drops dropped. */
function parseScope(body: CreateRequest, errors: Problems) {
  const startDate = parseDateInput(body.start_date, 'start_date', errors);
  const endDate = parseDateInput(body.end_date, 'end_date', errors);
  const anchor = parseDateInput(body.credit_grant_anchor, 'credit_grant_anchor', errors);
  const id = (value: string | undefined) => (value && value.trim() !== '' ? value : null);
  if (body.scope === 'SUBSCRIPTION') {
    if (!id(body.subscription_id)) errors.subscription_id = 'is required for a SUBSCRIPTION grant';
    if (body.start_date === undefined) errors.start_date = 'is required for a SUBSCRIPTION grant';
    if (startDate && endDate && endDate < startDate) errors.end_date = 'must not be before start_date';
    if (startDate && anchor && anchor < startDate) errors.credit_grant_anchor = 'must not be before start_date';
    return { planId: id(body.plan_id), subscriptionId: id(body.subscription_id), addonId: id(body.addon_id), startDate, endDate, creditGrantAnchor: anchor ?? startDate };
  }
  const template = body.scope === 'PLAN' ? 'plan_id' : 'addon_id';
  if (!id(body[template])) errors[template] = `is required for a ${body.scope} grant`;
  for (const field of ['start_date', 'end_date'] as const) {
    if (body[field] !== undefined) errors[field] = `is not allowed on a ${body.scope} grant (a template: each subscription's copy starts with the subscription)`;
  }
  return {
    planId: body.scope === 'PLAN' ? id(body.plan_id) : null,
    subscriptionId: null,
    addonId: body.scope === 'ADDON' ? id(body.addon_id) : null,
    startDate: null,
    endDate: null,
    creditGrantAnchor: null,
  };
}

export function fromCreateCreditGrantRequest(body: CreateRequest): NewCreditGrant {
  const errors: Problems = {};
  if (body.name.trim() === '') errors.name = 'must not be blank';
  const owner = parseScope(body, errors);
  const credits = decimalField(body.credits, 'credits', errors);
  const recurring = body.cadence === 'RECURRING';
  if (recurring && body.period === undefined) errors.period = 'is required for a RECURRING grant';
  if (recurring && body.period_count === undefined) errors.period_count = 'is required for a RECURRING grant';
  const duration = body.expiration_type === 'DURATION';
  if (duration && body.expiration_duration === undefined) errors.expiration_duration = 'is required for DURATION expiry';
  if (duration && body.expiration_duration_unit === undefined) errors.expiration_duration_unit = 'is required for DURATION expiry';
  const conversionRate = decimalField(body.conversion_rate, 'conversion_rate', errors);
  const topupConversionRate = decimalField(body.topup_conversion_rate, 'topup_conversion_rate', errors);
  throwIfProblems(errors);
  return {
    name: body.name,
    scope: body.scope,
    ...owner,
    credits: credits!,
    cadence: body.cadence,
    period: recurring ? body.period! : null,
    periodCount: recurring ? body.period_count! : null,
    expirationType: body.expiration_type,
    expirationDuration: duration ? body.expiration_duration! : null,
    expirationDurationUnit: duration ? body.expiration_duration_unit! : null,
    priority: body.priority ?? null,
    conversionRate,
    topupConversionRate,
    metadata: body.metadata ?? {},
  };
}

export function fromUpdateCreditGrantRequest(body: UpdateRequest): CreditGrantChanges {
  const errors: Problems = {};
  if (body.name !== undefined && body.name.trim() === '') errors.name = 'must not be blank';
  const endDate = parseDateInput(body.end_date, 'end_date', errors) ?? undefined;
  throwIfProblems(errors);
  return { name: body.name, metadata: body.metadata, endDate };
}

export function fromDeleteCreditGrantRequest(body: DeleteRequest | undefined): { effectiveDate: Date | null } {
  const errors: Problems = {};
  const effectiveDate = parseDateInput(body?.effective_date, 'effective_date', errors);
  throwIfProblems(errors);
  return { effectiveDate };
}

/** A list of credit grants. */
export type CreditGrantQuery = ListQuery & { creditGrantIds?: string[]; planIds?: string[]; subscriptionIds?: string[]; scope?: CreditGrantScope };

export function fromCreditGrantListRequest(input: QueryParams<'listCreditGrants'> | undefined): CreditGrantQuery {
  return {
    ...listQueryOf(input, creditGrantSearchFields, 'credit grant'),
    creditGrantIds: input?.credit_grant_ids,
    planIds: input?.plan_ids,
    subscriptionIds: input?.subscription_ids,
    scope: input?.scope,
  };
}

const decimalOut = (value: string) => formatDecimal(new ExactDecimal(value));
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : undefined);

/** Leaves out the members a grant does not use, as FlexPrice's `omitempty` does. */
function present<T extends Record<string, unknown>>(fields: T): { [K in keyof T]?: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== null)) as { [K in keyof T]?: Exclude<T[K], null> };
}

export function toCreditGrantResponse(g: CreditGrant): CreditGrantResponse {
  return {
    id: g.id,
    name: g.name,
    scope: g.scope,
    ...present({
      plan_id: g.planId,
      subscription_id: g.subscriptionId,
      addon_id: g.addonId,
    }),
    credits: decimalOut(g.credits),
    cadence: g.cadence,
    ...present({
      period: g.period,
      period_count: g.periodCount,
    }),
    expiration_type: g.expirationType,
    ...present({
      expiration_duration: g.expirationDuration,
      expiration_duration_unit: g.expirationDurationUnit,
      priority: g.priority,
      start_date: iso(g.startDate),
      end_date: iso(g.endDate),
      credit_grant_anchor: iso(g.creditGrantAnchor),
      conversion_rate: g.conversionRate ? decimalOut(g.conversionRate) : undefined,
      topup_conversion_rate: g.topupConversionRate ? decimalOut(g.topupConversionRate) : undefined,
    }),
    metadata: g.metadata ?? {},
    ...recordFields(g),
  };
}

export function toCreditGrantApplicationResponse(a: CreditGrantApplication): CreditGrantApplicationResponse {
  return {
    id: a.id,
    credit_grant_id: a.creditGrantId,
    subscription_id: a.subscriptionId,
    scheduled_for: a.scheduledFor.toISOString(),
    ...present({ applied_at: iso(a.appliedAt) }),
    period_start: a.periodStart.toISOString(),
    ...present({ period_end: iso(a.periodEnd) }),
    application_status: a.applicationStatus,
    application_reason: a.applicationReason,
    subscription_status_at_application: a.subscriptionStatusAtApplication as CreditGrantApplicationResponse['subscription_status_at_application'],
    credits: decimalOut(a.credits),
    ...present({ failure_reason: a.failureReason }),
    retry_count: a.retryCount,
    idempotency_key: a.idempotencyKey,
    metadata: a.metadata ?? {},
    ...recordFields(a),
  };
}
