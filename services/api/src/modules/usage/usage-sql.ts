import type { WindowSize } from '../../billing/period/index.ts';
import { numericStringPattern, Quantity, type GroupKey, type UsagePartial, type UsagePlan } from '../../billing/usage/index.ts';

/**
 * The usage query, pushed into PostgreSQL as one statement: select the events (index range on
 * tenant, environment, [customer,] event name, time), read the property as an exact `numeric`,
 * slice by window (`width_bucket` over the window starts computed in src/billing/usage, so windows
 * are cut by one piece of code) or by bucket (a calendar expression in the zone, mirroring
 * `windowStart`), and aggregate per slice. The rows are `UsagePartial`s; src/billing/usage combines
 * them into the value and the results.
 *
 * Only PostgreSQL 15 functions are used (date_bin: 14; date_trunc with a zone: 12; trim_scale: 13),
 * since PGlite is PostgreSQL 18 but servers may be 15. Every value from the request travels as a
 * parameter (MikroORM writes `?` placeholders as quoted literals); SQL text holds no `?` of its own.
 */
export type UsageScope = { tenantId: string; environmentId: string };
export type SqlStatement = { sql: string; params: unknown[] };

/**
 * A piece of SQL with its parameters in textual order. Interpolated values become `?` parameters;
 * interpolated fragments are spliced in, parameters and all; `raw` marks trusted SQL text.
 */
type Fragment = { readonly text: string; readonly params: readonly unknown[] };
const fragmentTag = Symbol('sql fragment');
type Part = Fragment | string | number;

function raw(text: string): Fragment {
  return { text, params: [], [fragmentTag]: true } as Fragment;
}
const isFragment = (part: Part): part is Fragment => typeof part === 'object' && fragmentTag in part;

function sql(strings: TemplateStringsArray, ...parts: Part[]): Fragment {
  let text = strings[0];
  const params: unknown[] = [];
  parts.forEach((part, i) => {
    if (isFragment(part)) {
      text += part.text;
      params.push(...part.params);
    } else {
      text += '?';
      params.push(part);
    }
    text += strings[i + 1];
  });
  return { text, params, [fragmentTag]: true } as Fragment;
}

function join(fragments: Fragment[], separator: string): Fragment {
  return { text: fragments.map((f) => f.text).join(separator), params: fragments.flatMap((f) => f.params), [fragmentTag]: true } as Fragment;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The rules of property-value.ts, in SQL. */
const property = {
  /** JSON number, or a string holding a decimal number; anything else 0. */
  numeric: (field: string): Fragment => sql`(case jsonb_typeof(e.properties -> ${field})
      when 'number' then (e.properties -> ${field})::numeric
      when 'string' then case when (e.properties ->> ${field}) ~ ${numericStringPattern} then (e.properties ->> ${field})::numeric else 0 end
      else 0 end)`,

  /** Strings as they are, numbers without trailing zeros, booleans; null otherwise. */
  distinctKey: (field: string): Fragment => sql`(case jsonb_typeof(e.properties -> ${field})
      when 'string' then e.properties ->> ${field}
      when 'number' then trim_scale((e.properties -> ${field})::numeric)::text
      when 'boolean' then e.properties ->> ${field} end)`,

  /** Strings as they are; numbers, booleans and missing properties as ''. */
  filterText: (key: string): Fragment => sql`(case when jsonb_typeof(e.properties -> ${key}) = 'string' then e.properties ->> ${key} else '' end)`,

  group: (key: GroupKey): Fragment => (key.kind === 'source' ? raw('e.source') : property.distinctKey(key.name)),
};

const fixedMinutes: Partial<Record<WindowSize, number>> = { '15MIN': 15, '30MIN': 30 };
const multiHours: Partial<Record<WindowSize, number>> = { '3HOUR': 3, '6HOUR': 6, '12HOUR': 12 };

/**
 * The start of the bucket holding `e.timestamp`, as calendar-window.ts's `windowStart` computes it:
 * wall-clock windows in the zone; date_trunc keeps the event's UTC offset below a day and resolves
 * local midnight (and `timestamp AT TIME ZONE`) the way `ZoneClock.instant` does.
 */
function bucketStart(plan: UsagePlan): Fragment {
  const { bucketSize, type } = plan.query.aggregation;
  if (!bucketSize) throw new Error(`no bucket size for ${type}`);
  const { timezone: zone, billingAnchor } = plan.query.calendar;
  const local = sql`(e.timestamp at time zone ${zone})`;
  const minutes = fixedMinutes[bucketSize];
  if (minutes) return sql`date_bin(${raw(`interval '${minutes} minutes'`)}, e.timestamp, date_trunc('hour', e.timestamp, ${zone}))`;
  const hours = multiHours[bucketSize];
  if (hours) {
    return sql`((date_trunc('day', ${local}) + make_interval(hours => (extract(hour from ${local})::int / ${hours}) * ${hours})) at time zone ${zone})`;
  }
  switch (bucketSize) {
    case 'MINUTE':
      return sql`date_trunc('minute', e.timestamp, ${zone})`;
    case 'HOUR':
      return sql`date_trunc('hour', e.timestamp, ${zone})`;
    case 'DAY':
      return sql`date_trunc('day', e.timestamp, ${zone})`;
    case 'WEEK':
      return sql`((date_trunc('day', ${local}) - make_interval(days => extract(dow from ${local})::int)) at time zone ${zone})`;
    default:
      return billingAnchor ? anchoredMonthStart(billingAnchor, zone) : sql`date_trunc('month', e.timestamp, ${zone})`;
  }
}

/** MONTH buckets with a billing anchor: the anchor's day (clamped) and wall-clock time, this month or the last. */
function anchoredMonthStart(anchor: Date, zone: string): Fragment {
  // The anchor's wall-clock fields in the zone come from PostgreSQL too, so both sides read the same tzdata.
  const anchorLocal = sql`(${anchor.toISOString()}::timestamptz at time zone ${zone})`;
  const candidate = (month: Fragment) =>
    sql`((${month} + make_interval(days => least(extract(day from ${anchorLocal})::int, extract(day from ${month} + interval '1 month' - interval '1 day')::int) - 1)
       + (${anchorLocal} - date_trunc('day', ${anchorLocal}))) at time zone ${zone})`;
  const thisMonth = sql`date_trunc('month', (e.timestamp at time zone ${zone}))`;
  return sql`(case when e.timestamp >= ${candidate(thisMonth)} then ${candidate(thisMonth)} else ${candidate(sql`(${thisMonth} - interval '1 month')`)} end)`;
}

/** FROM and WHERE: the events of the query (between other bounds, when given). */
function selection(plan: UsagePlan, scope: UsageScope, bounds: { from?: Date; end: Date } = { from: plan.from, end: plan.query.end }): Fragment {
  const q = plan.query;
  const where = [sql`e.tenant_id = ${scope.tenantId}`, sql`e.environment_id = ${scope.environmentId}`, sql`e.event_name = ${q.eventName}`];
  if (q.externalCustomerId !== undefined) where.push(sql`e.external_customer_id = ${q.externalCustomerId}`);
  if (bounds.from) where.push(sql`e.timestamp >= ${bounds.from.toISOString()}::timestamptz`);
  where.push(sql`e.timestamp < ${bounds.end.toISOString()}::timestamptz`);
  for (const f of q.filters) where.push(sql`${property.filterText(f.key)} in (${join(f.values.map((v) => sql`${v}`), ', ')})`);
  return sql`from events e where ${join(where, ' and ')}`;
}

/** 1-based window index of `at` (0 before the first window; outside NEVER, at least 1). */
function windowIndex(plan: UsagePlan, at: Fragment): Fragment {
  if (!plan.windows) return raw('1');
  const starts = sql`${`{${plan.windows.map(iso).join(',')}}`}::timestamptz[]`;
  return plan.cumulative ? sql`width_bucket(${at}, ${starts})` : sql`greatest(1, width_bucket(${at}, ${starts}))`;
}

/** The one statement answering the plan; its rows map to UsagePartials with `usagePartials`. */
export function usageStatement(plan: UsagePlan, scope: UsageScope): SqlStatement {
  const statement = usageFragment(plan, scope);
  return { sql: statement.text, params: [...statement.params] };
}

function usageFragment(plan: UsagePlan, scope: UsageScope): Fragment {
  const { aggregation } = plan.query;
  const field = aggregation.field ?? '';
  const from = selection(plan, scope);
  const timestamp = raw('e.timestamp');

  if (plan.bucketedMax || plan.bucketResults) {
    // Per bucket (and group): the maximum, or for a bucketed SUM the sum; then per window or bucket, their sum.
    const groups = plan.bucketedMax ? (aggregation.groupBy ?? []).map((g, i) => sql`${property.group(g)} as ${raw(`g${i}`)}`) : [];
    const cellValue = sql`${raw(plan.bucketedMax ? 'max' : 'sum')}(${property.numeric(field)}) as v`;
    const groupColumns = raw(['bucket', ...groups.map((_, i) => `g${i}`)].join(', '));
    const cells = sql`select ${bucketStart(plan)} as bucket, ${join([...groups, cellValue], ', ')} ${from} group by ${groupColumns}`;
    const key = plan.windows
      ? windowIndex(plan, plan.cumulative ? raw('bucket') : sql`greatest(bucket, ${plan.query.start.toISOString()}::timestamptz)`)
      : raw('(extract(epoch from bucket) * 1000)::bigint::text');
    return sql`with cells as (${cells}) select ${key} as k, sum(v)::text as sum from cells group by 1`;
  }

  if (aggregation.type === 'COUNT_UNIQUE') {
    const value = property.distinctKey(field);
    if (!plan.windows) {
      return sql`select 1 as k, n::text as distinct_n, n::text as first_seen from (select count(distinct ${value}) as n ${from}) counted where n > 0`;
    }
    // Per window the distinct values, and how many are seen for the first time there (for cumulative counts).
    return sql`with m as (select ${windowIndex(plan, timestamp)} as k, ${value} as u ${from}),
        d as (select k, count(distinct u) as n from m where u is not null group by k),
        f as (select k, count(*) as n from (select min(k) as k from m where u is not null group by u) firsts group by k)
        select d.k, d.n::text as distinct_n, coalesce(f.n, 0)::text as first_seen from d left join f on f.k = d.k`;
  }

  if (aggregation.type === 'LATEST') {
    // Ties on the timestamp go to the event stored last, then to the greatest id.
    const newestFirst = raw('e.timestamp desc, e.ingested_at desc, e.id desc');
    if (!plan.windows) return sql`select 1 as k, ${property.numeric(field)}::text as latest ${from} order by ${newestFirst} limit 1`;
    const rows = sql`select ${windowIndex(plan, timestamp)} as k, ${property.numeric(field)} as latest, e.timestamp, e.ingested_at, e.id ${from}`;
    return sql`select distinct on (k) k, latest::text as latest from (${rows}) e order by k, ${newestFirst}`;
  }

  return hourlyFragment(plan, scope) ?? sql`select ${windowIndex(plan, timestamp)} as k, ${aggregateColumns(plan, field)} ${from} group by 1`;
}

const hourMs = 3_600_000;
const rolledUp: ReadonlySet<string> = new Set(['COUNT', 'SUM', 'SUM_WITH_MULTIPLIER']);

/**
 * A meter's COUNT or SUM of one customer's events without windows, read from the meter's hourly
 * usage (table meter_usage_hours, kept by database triggers; docs/development/usage-hours.md) for the whole UTC
 * hours of the range, and from the events for the partial hours at its edges. The same row as the
 * events-only statement — none when no event matches — so the value never depends on the path.
 * Undefined when the query does not qualify or its range holds no whole hour.
 */
function hourlyFragment(plan: UsagePlan, scope: UsageScope): Fragment | undefined {
  const q = plan.query;
  if (!q.meterId || q.externalCustomerId === undefined || !rolledUp.has(q.aggregation.type)) return undefined;
  if (plan.windows || plan.bucketResults || plan.bucketedMax) return undefined;
  const firstHour = plan.from ? new Date(Math.ceil(plan.from.getTime() / hourMs) * hourMs) : undefined;
  const endHour = new Date(Math.floor(q.end.getTime() / hourMs) * hourMs);
  if (firstHour && firstHour >= endHour) return undefined;
  const value = q.aggregation.type === 'COUNT' ? raw('0') : property.numeric(q.aggregation.field ?? '');
  const hours = [
    sql`h.tenant_id = ${scope.tenantId}`,
    sql`h.environment_id = ${scope.environmentId}`,
    sql`h.meter_id = ${q.meterId}`,
    sql`h.external_customer_id = ${q.externalCustomerId}`,
    ...(firstHour ? [sql`h.hour >= ${firstHour.toISOString()}::timestamptz`] : []),
    sql`h.hour < ${endHour.toISOString()}::timestamptz`,
  ];
  const parts = [
    sql`select sum(h.event_count) as c, sum(h.value_sum) as v from meter_usage_hours h where ${join(hours, ' and ')}`,
    ...(firstHour && plan.from ? [sql`select count(*), sum(${value}) ${selection(plan, scope, { from: plan.from, end: firstHour })}`] : []),
    sql`select count(*), sum(${value}) ${selection(plan, scope, { from: endHour, end: q.end })}`,
  ];
  const column = q.aggregation.type === 'COUNT' ? raw('sum(c)::text as count') : raw('sum(v)::text as sum');
  return sql`select 1 as k, ${column} from (${join(parts, ' union all ')}) parts having sum(c) > 0`;
}

function aggregateColumns(plan: UsagePlan, field: string): Fragment {
  const value = property.numeric(field);
  switch (plan.query.aggregation.type) {
    case 'COUNT':
      return raw('count(*)::text as count');
    case 'SUM':
    case 'SUM_WITH_MULTIPLIER':
      return sql`sum(${value})::text as sum`;
    case 'AVG':
      return sql`sum(${value})::text as sum, count(*)::text as count`;
    case 'MAX':
      return sql`max(${value})::text as max`;
    case 'WEIGHTED_SUM': {
      const start = sql`${plan.query.start.toISOString()}::timestamptz`;
      // Seconds remaining to the end, exact to the microsecond: numeric epoch arithmetic.
      const endEpoch = sql`${new Quantity(plan.query.end.getTime()).div(1000).toFixed()}::numeric`;
      return sql`coalesce(sum(case when e.timestamp < ${start} then ${value} end), 0)::text as history,
        coalesce(sum(case when e.timestamp >= ${start} then ${value} * (${endEpoch} - extract(epoch from e.timestamp)) end), 0)::text as weighted`;
    }
    default:
      throw new Error(`${plan.query.aggregation.type} is aggregated by its own statement`);
  }
}

const columns = { count: 'count', sum: 'sum', max: 'max', latest: 'latest', distinct_n: 'distinct', first_seen: 'firstSeen', history: 'history', weighted: 'weighted' } as const;

/** Rows of `usageStatement` → slices (every number arrives as text, so nothing passes through a float). */
export function usagePartials(rows: Array<Record<string, unknown>>): UsagePartial[] {
  return rows.map((row) => {
    const partial: UsagePartial = { key: Number(row.k) };
    for (const [column, member] of Object.entries(columns)) {
      const v = row[column];
      if (v !== null && v !== undefined) partial[member] = new Quantity(String(v));
    }
    return partial;
  });
}
