import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { scopeOf, type AuthContext } from '../../auth-context.ts';
import { maxWindows, TooManyWindowsError, type WindowSize } from '../../billing/period/index.ts';
import {
  combineUsage,
  meterUsageAggregation,
  planUsage,
  type AggregationType,
  type StoredAggregation,
  type UsageAggregation,
  type UsageOutcome,
  type UsagePlan,
  type UsageQuery,
} from '../../billing/usage/index.ts';
import type { Clock } from '../../clock.ts';
import { AppError, invalidFields, notFound } from '../../errors/app-error.ts';
import { Customer } from '../customers/customer.entity.ts';
import { Meter } from '../meters/meter.entity.ts';
import { usagePartials, usageStatement } from './usage-sql.ts';
import { type MeterUsageInput, type UsageRange, type UsageSelection, type UsageStatisticsInput } from './usage.input.ts';
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
 * The meter's aggregation, as billing's rules apply it, or the refusal of what Tally cannot do: a
 * meter it cannot aggregate (an expression, no field) is 400 `invalid_operation`; a request
 * `bucket_size` other than the meter's own, or a `window_size` shorter than its buckets, is 400
 * naming the field.
 */
function meterAggregation(meter: Meter, requestBucketSize: WindowSize | undefined, windowSize: WindowSize | undefined): UsageAggregation {
  const { aggregation, problem } = meterUsageAggregation(meter.aggregation as StoredAggregation, { bucketSize: requestBucketSize, windowSize });
  switch (problem?.kind) {
    case undefined:
      return aggregation;
    case 'expression':
      throw new AppError('invalid_operation', `Meter ${meter.id} aggregates an expression, which Tally does not support`, { meter_id: meter.id });
    case 'bucket_size':
      throw invalidFields({ bucket_size: problem.message });
    case 'aggregation': {
      const meterProblems = Object.fromEntries(problem.problems.map((p) => [`aggregation.${p.member}`, p.message]));
      throw new AppError('invalid_operation', `Meter ${meter.id} cannot be aggregated: ${Object.entries(meterProblems).map(([f, m]) => `${f} ${m}`).join('; ')}`, meterProblems);
    }
    case 'window_size':
      throw invalidFields({ window_size: problem.message });
  }
}
