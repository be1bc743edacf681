import { breathe, type BenchDatabase } from './database.ts';
import { usageWindow, type ExpectedUsage, type Scope, type UsageDatasetSpec } from './dataset.ts';

/** One measured usage query: the API request and the hand-written SQL that answers it from the raw rows. */
export type UsageCase = {
  name: 'SUM' | 'COUNT_UNIQUE' | 'MAX_HOUR';
  request: Record<string, unknown>;
  sql: string;
  params: unknown[];
  expected: number;
};

/**
 * The SQL baselines: the fastest plain SQL found for each question over `events` as the
 * migrations define it (no extra index, no pre-aggregation). All three read the 100k rows
 * through events_usage_idx (tenant, environment, customer, event name, timestamp); numbers are
 * cast to numeric, as exact as the API must be. COUNT_UNIQUE as a DISTINCT subquery (hash
 * aggregate) beat count(DISTINCT …) (sort); hour buckets use date_bin, independent of the
 * session time zone.
 */
export function usageCases(scope: Scope, spec: UsageDatasetSpec, expected: ExpectedUsage): UsageCase[] {
  const { start, end } = usageWindow(spec);
  const where = `tenant_id = $1 AND environment_id = $2 AND external_customer_id = $3 AND event_name = $4 AND "timestamp" >= $5 AND "timestamp" < $6`;
  const params = [scope.tenantId, scope.environmentId, spec.hotCustomer, spec.hotEvent, start.toISOString(), end.toISOString()];
  const base = { event_name: spec.hotEvent, external_customer_id: spec.hotCustomer, start_time: start.toISOString(), end_time: end.toISOString() };
  return [
    {
      name: 'SUM',
      request: { ...base, aggregation_type: 'SUM', property_name: 'tokens' },
      sql: `SELECT coalesce(sum((properties->>'tokens')::numeric), 0) AS value FROM events WHERE ${where}`,
      params,
      expected: expected.sumTokens,
    },
    {
      name: 'COUNT_UNIQUE',
      request: { ...base, aggregation_type: 'COUNT_UNIQUE', property_name: 'user_id' },
      sql: `SELECT count(*) AS value FROM (SELECT DISTINCT properties->>'user_id' FROM events WHERE ${where}) AS d`,
      params,
      expected: expected.uniqueUsers,
    },
    {
      name: 'MAX_HOUR',
      request: { ...base, aggregation_type: 'MAX', property_name: 'concurrency', bucket_size: 'HOUR' },
      sql:
        `SELECT coalesce(sum(peak), 0) AS value FROM (SELECT max((properties->>'concurrency')::numeric) AS peak FROM events WHERE ${where} ` +
        `GROUP BY date_bin('1 hour', "timestamp", timestamptz '2000-01-01 00:00:00+00')) AS b`,
      params,
      expected: expected.hourlyMaxConcurrencySum,
    },
  ];
}

export type Timed<T> = { ms: number; value: T };

export async function timeSql(db: BenchDatabase, c: UsageCase): Promise<Timed<number>> {
  await breathe(); // outside the clock (see breathe)
  const started = performance.now();
  const rows = await db.query<{ value: unknown }>(c.sql, c.params);
  return { ms: performance.now() - started, value: Number(rows[0].value) };
}

/** Wall time of one POST /v1/events/usage, to the last byte of the answer (parsing excluded), and the value it answered. */
export async function timeApi(url: string, apiKey: string, c: UsageCase): Promise<Timed<number>> {
  const body = JSON.stringify(c.request);
  const started = performance.now();
  const response = await fetch(`${url}/v1/events/usage`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': apiKey }, body }).catch((err: Error) => {
    throw new Error(`POST /v1/events/usage (${c.name}) failed: ${err.message} (${(err.cause as Error | undefined)?.message ?? 'no cause'})`);
  });
  const text = await response.text();
  const ms = performance.now() - started;
  if (response.status !== 200) {
    const hint = response.status === 404 || response.status === 405 ? ' (is this endpoint implemented yet?)' : '';
    throw new Error(`POST /v1/events/usage (${c.name}) answered ${response.status}${hint}: ${text.slice(0, 300)}`);
  }
  // Tally's exact `value_decimal` when present, else FlexPrice's `value` (which FlexPrice omits when 0).
  const answer = JSON.parse(text) as { value?: unknown; value_decimal?: unknown };
  const value = answer.value_decimal ?? answer.value;
  return { ms, value: value === undefined || value === null ? 0 : Number(value) };
}
