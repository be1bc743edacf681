import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { scopeOf, type AuthContext } from '../../auth-context.ts';
import { maxWindows, TooManyWindowsError, type WindowSize } from '../../billing/usage/calendar-window.ts';
import { Quantity } from '../../billing/usage/quantity.ts';
import { combineUsage, type UsageOutcome } from '../../billing/usage/usage-combine.ts';
import { planUsage, type AggregationType, type UsageAggregation, type UsagePlan, type UsageQuery } from '../../billing/usage/usage-query.ts';
import type { Clock } from '../../clock.ts';
import { AppError, invalidFields, notFound } from '../../errors/app-error.ts';
import { Customer } from '../customers/customer.entity.ts';
import { Meter } from '../meters/meter.entity.ts';
import { usagePartials, usageStatement } from './usage-sql.ts';
import { aggregationProblems, type MeterUsageInput, type UsageRange, type UsageSelection, type UsageStatisticsInput } from './usage.input.ts';
import { rawQuery, useCaseEm } from '../../db/use-case-em.ts';

/** The answer to a usage request: what was aggregated, and the numbers. */
export type UsageAnswer = { eventName: string; type: AggregationType; outcome: UsageOutcome };

const defaultRangeMs = 7 * 24 * 3_600_000;

/** Meters whose usage can be read: live ones and disabled ones (their history still bills). */
const readableMeterStatuses = ['published', 'archived'];

/** Usage queries: read-only, one aggregation statement each, scoped to the caller's environment. */
export class UsageService {
  readonly #orm: MikroORM;
  readonly #clock: Clock;

  constructor(orm: MikroORM, clock: Clock) {
    this.#orm = orm;
    this.#clock = clock;
  }

  /** POST /events/usage: an aggregation over raw events, as the request describes it. */
  async statistics(auth: AuthContext, input: UsageStatisticsInput): Promise<UsageAnswer> {
    const em = useCaseEm(this.#orm);
    const externalCustomerId = await this.#customerSelection(em, auth, input);
    const query = this.#query(input.eventName, input.aggregation, input, externalCustomerId, input.range, 'BILLING_PERIOD');
    return { eventName: query.eventName, type: query.aggregation.type, outcome: await this.#run(em, auth, query) };
  }

  /** POST /events/usage/meter: a meter's aggregation and filters, with the request's range, customer and filters. */
  async byMeter(auth: AuthContext, input: MeterUsageInput): Promise<UsageAnswer> {
    const em = useCaseEm(this.#orm);
    const meter = await em.findOne(Meter, { id: input.meterId, ...scopeOf(auth), status: { $in: readableMeterStatuses } });
    if (!meter) throw notFound('Meter', 'id', input.meterId);
    const aggregation = meterAggregation(meter, input.bucketSize, input.range.windowSize);
    const externalCustomerId = await this.#customerSelection(em, auth, input);
    const meterFilters = (meter.filters ?? []).filter((f) => f.values?.length).map((f) => ({ key: f.key, values: f.values }));
    const selection = { ...input, filters: [...meterFilters, ...input.filters] };
    const query = this.#query(meter.eventName, aggregation, selection, externalCustomerId, input.range, meter.resetUsage);
    return { eventName: query.eventName, type: query.aggregation.type, outcome: await this.#run(em, auth, query) };
  }

  /** `customer_id` names a live Tally customer; its events are those sent with its external id. */
  async #customerSelection(em: EntityManager, auth: AuthContext, selection: UsageSelection): Promise<string | undefined> {
    if (!selection.customerId) return selection.externalCustomerId;
    const customer = await em.findOne(Customer, { id: selection.customerId, ...scopeOf(auth), status: 'published' });
    if (!customer) throw notFound('Customer', 'id', selection.customerId);
    if (selection.externalCustomerId !== undefined && selection.externalCustomerId !== customer.externalId) {
      throw invalidFields({ external_customer_id: `does not match customer_id ${customer.id} (external id '${customer.externalId}')` });
    }
    return customer.externalId;
  }

  #query(
    eventName: string,
    aggregation: UsageAggregation,
    selection: UsageSelection,
    externalCustomerId: string | undefined,
    range: UsageRange,
    resetUsage: UsageQuery['resetUsage'],
  ): UsageQuery {
    // FlexPrice's defaults: end now, start seven days before the end.
    const end = range.end ?? this.#clock.now();
    const start = range.start ?? new Date(end.getTime() - defaultRangeMs);
    if (end < start) throw invalidFields({ end_time: `must not be before start_time (${start.toISOString()})` });
    return {
      eventName,
      externalCustomerId,
      aggregation,
      filters: selection.filters,
      start,
      end,
      windowSize: range.windowSize,
      calendar: { timezone: range.timezone, billingAnchor: range.billingAnchor },
      resetUsage,
    };
  }

  async #run(em: EntityManager, auth: AuthContext, query: UsageQuery): Promise<UsageOutcome> {
    let plan: UsagePlan;
    try {
      plan = planUsage(query);
    } catch (err) {
      if (err instanceof TooManyWindowsError) {
        throw invalidFields({ window_size: `gives more than ${maxWindows} windows over this range; use a longer window_size or a shorter range` });
      }
      throw err;
    }
    const statement = usageStatement(plan, scopeOf(auth));
    const rows = await rawQuery<Record<string, unknown>>(em, statement.sql, statement.params);
    return combineUsage(plan, usagePartials(rows));
  }
}

/**
 * The meter's aggregation, as FlexPrice applies it: `bucket_size` only for MAX and SUM, `group_by`
 * only for a bucketed MAX. A meter Tally cannot aggregate (an expression, no field) is refused with
 * 400 `invalid_operation`; a request `bucket_size` may only repeat the meter's own.
 */
function meterAggregation(meter: Meter, requestBucketSize: WindowSize | undefined, windowSize: WindowSize | undefined): UsageAggregation {
  const stored = meter.aggregation as Meter['aggregation'] & { expression?: string };
  const bucketed = stored.type === 'MAX' || stored.type === 'SUM';
  const bucketSize = bucketed ? stored.bucket_size || undefined : undefined;
  if (stored.expression) {
    throw new AppError('invalid_operation', `Meter ${meter.id} aggregates an expression, which Tally does not support`, { meter_id: meter.id });
  }
  if (requestBucketSize !== undefined && requestBucketSize !== bucketSize) {
    throw invalidFields({ bucket_size: bucketSize ? `is the meter's (${bucketSize}) and cannot be changed per request` : 'cannot be set: the meter has no bucket_size' });
  }
  const aggregation: UsageAggregation = {
    type: stored.type,
    field: stored.type === 'COUNT' ? undefined : stored.field || undefined,
    // FlexPrice multiplies by 1 when a SUM_WITH_MULTIPLIER meter has none.
    multiplier: stored.type === 'SUM_WITH_MULTIPLIER' ? new Quantity(stored.multiplier ?? 1) : undefined,
    bucketSize,
    groupBy: stored.type === 'MAX' && bucketSize && stored.group_by ? [{ kind: 'property', name: stored.group_by }] : undefined,
  };
  const { window_size: windowProblem, ...meterProblems } = aggregationProblems(aggregation, windowSize, {
    field: 'aggregation.field',
    multiplier: 'aggregation.multiplier',
    bucketSize: 'aggregation.bucket_size',
    groupBy: 'aggregation.group_by',
  });
  if (Object.keys(meterProblems).length) {
    throw new AppError('invalid_operation', `Meter ${meter.id} cannot be aggregated: ${Object.entries(meterProblems).map(([f, m]) => `${f} ${m}`).join('; ')}`, meterProblems);
  }
  if (windowProblem) throw invalidFields({ window_size: windowProblem });
  return aggregation;
}
