import type { AuthContext } from '../../auth-context.ts';
import { maxWindows, TooManyWindowsError, type WindowSize } from '../../billing/period/index.ts';
import {
  meterUsageAggregation,
  planUsage,
  type AggregationType,
  type StoredAggregation,
  type UsageAggregation,
  type UsageOutcome,
  type UsagePlan,
  type UsageQuery,
  toDecimalString,
} from '../../billing/usage/index.ts';
import type { Tx } from '../../db/transactions.ts';
import type { RunMemo } from '../../jobs/run-memo.ts';
import { AppError, invalidFields, notFound } from '../../errors/app-error.ts';
import type { ServiceContext } from '../../service-context.ts';
import type { CustomerReader } from '../customers/index.ts';
import type { Meter, MeterReader } from '../meters/index.ts';
import type { MeterUsageInput, UsageAnswer, UsageRange, UsageSelection, UsageStatisticsInput } from './usage.convert.ts';
import { UsageRepo } from './usage.repo.ts';

const defaultRangeMs = 7 * 24 * 3_600_000;

/** Meters whose usage can be read: live ones and disabled ones (their history still bills). */
const readableMeterStatuses = ['published', 'archived'];

/**
 * One meter's usage asked for by billing: a customer (by external id), a half-open window, and either
 * per-window values (`windowSize`, MONTH windows following `billingAnchor`) or, for a bucketed meter,
 * its buckets.
 */
export type MeterUsageRequest = { meterId: string; externalCustomerId: string; start: Date; end: Date; windowSize?: WindowSize; timezone: string; billingAnchor?: Date };

/** A meter's usage over a window, as decimal strings: the total, each window's (with `windowSize`), each bucket's (a bucketed meter). */
export type MeterUsage = { total: string; windows?: string[]; buckets?: string[] };

/** Usage queries: read-only, one aggregation statement each, scoped to the caller's environment. */
export class UsageService {
  readonly #ctx: ServiceContext;
  readonly #faces: { customers: CustomerReader; meters: MeterReader };
  readonly #repo = new UsageRepo();

  constructor(ctx: ServiceContext, faces: { customers: CustomerReader; meters: MeterReader }) {
    this.#ctx = ctx;
    this.#faces = faces;
  }

  /** POST /events/usage: an aggregation over raw events, as the request describes it. */
  statistics(auth: AuthContext, input: UsageStatisticsInput): Promise<UsageAnswer> {
    return this.#ctx.db.read(async (tx) => {
      const externalCustomerId = await this.#customerSelection(tx, auth, input);
      const query = this.#query(input.eventName, input.aggregation, input, externalCustomerId, input.range, 'BILLING_PERIOD');
      return { eventName: query.eventName, type: query.aggregation.type, outcome: await this.#run(tx, auth, query) };
    });
  }

  /** POST /events/usage/meter: a meter's aggregation and filters, with the request's range, customer and filters. */
  byMeter(auth: AuthContext, input: MeterUsageInput): Promise<UsageAnswer> {
    return this.#ctx.db.read(async (tx) => {
      const meter = await this.#faces.meters.get(tx, auth, input.meterId);
      if (!meter || !readableMeterStatuses.includes(meter.status)) throw notFound('Meter', 'id', input.meterId);
      const aggregation = meterAggregation(meter, input.bucketSize, input.range.windowSize);
      const externalCustomerId = await this.#customerSelection(tx, auth, input);
      const meterFilters = (meter.filters ?? []).filter((f) => f.values?.length).map((f) => ({ key: f.key, values: f.values }));
      const selection = { ...input, filters: [...meterFilters, ...input.filters] };
      const query = this.#query(meter.eventName, aggregation, selection, externalCustomerId, input.range, meter.resetUsage);
      // With no filters of the request's own, the meter's hourly usage may answer the whole hours.
      if (!input.filters.length) query.meterId = meter.id;
      return { eventName: query.eventName, type: query.aggregation.type, outcome: await this.#run(tx, auth, query) };
    });
  }

  /**
   * Billing's reads, in the caller's unit of work: one statement answering every request (each its
   * own aggregation; the meters are read once, together), answered in request order. The meter's own filters and reset apply, as
   * for `POST /events/usage/meter`; a meter Tally cannot aggregate is refused with 400. With a bill
   * run's `memo` the meters are read once per run.
   */
  async meterUsages(tx: Tx, auth: AuthContext, requests: readonly MeterUsageRequest[], memo?: RunMemo): Promise<MeterUsage[]> {
    const meterIds = requests.map((r) => r.meterId);
    const meters = memo ? await memo.many('meter', auth, meterIds, (missing) => this.#faces.meters.getMany(tx, auth, missing)) : await this.#faces.meters.getMany(tx, auth, meterIds);
    const asked: { aggregation: UsageAggregation; windowSize?: WindowSize; plan: UsagePlan }[] = [];
    for (const r of requests) {
      const meter = meters.get(r.meterId);
      if (!meter) throw notFound('Meter', 'meter_id', r.meterId);
      const aggregation = meterAggregation(meter, undefined, r.windowSize);
      const filters = (meter.filters ?? []).filter((f) => f.values?.length).map((f) => ({ key: f.key, values: f.values }));
      const query = this.#query(
        meter.eventName,
        aggregation,
        { externalCustomerId: r.externalCustomerId, filters },
        r.externalCustomerId,
        { start: r.start, end: r.end, windowSize: r.windowSize, timezone: r.timezone, billingAnchor: r.billingAnchor },
        meter.resetUsage,
      );
      query.meterId = meter.id;
      asked.push({ aggregation, windowSize: r.windowSize, plan: this.#plan(query) });
    }
    const outcomes = await this.#repo.aggregateAll(tx, auth, asked.map((a) => a.plan));
    return asked.map(({ aggregation, windowSize }, i) => {
      const outcome = outcomes[i]!;
      const values = outcome.results?.map((w) => toDecimalString(w.value));
      const bucketed = aggregation.bucketSize !== undefined && windowSize === undefined;
      return { total: toDecimalString(outcome.value), ...(values && !bucketed ? { windows: values } : {}), ...(values && bucketed ? { buckets: values } : {}) };
    });
  }

  /** `customer_id` names a live Tally customer; its events are those sent with its external id. */
  async #customerSelection(tx: Tx, auth: AuthContext, selection: UsageSelection): Promise<string | undefined> {
    if (!selection.customerId) return selection.externalCustomerId;
    const customer = await this.#faces.customers.getPublished(tx, auth, { id: selection.customerId });
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
    const end = range.end ?? this.#ctx.clock.now();
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

  async #run(tx: Tx, auth: AuthContext, query: UsageQuery): Promise<UsageOutcome> {
    return this.#repo.aggregate(tx, auth, this.#plan(query));
  }

  #plan(query: UsageQuery): UsagePlan {
    try {
      return planUsage(query);
    } catch (err) {
      if (err instanceof TooManyWindowsError) {
        throw invalidFields({ window_size: `gives more than ${maxWindows} windows over this range; use a longer window_size or a shorter range` });
      }
      throw err;
    }
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
