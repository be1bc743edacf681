import { breathe, chunked, type BenchDatabase } from './database.ts';
import { copyLine, eventNames, ingestionEvents, ingestRequest, newExpectedUsage, usageEvents, type ExpectedUsage, type Scope, type UsageDatasetSpec } from './dataset.ts';
import { callApi, hammerSingleEvents, round, sendBulk, type BulkResult, type HammerResult } from './load.ts';
import type { BenchOptions } from './options.ts';
import { summarize, type LatencySummary } from './stats.ts';
import { timeApi, timeSql, type UsageCase } from './usage.ts';

/** The steps both databases share; run.ts strings them together around the server's lifetime. */

export type Log = (message: string) => void;

export const probeEventId = 'bench_probe';
export const ingestPrefix = 'bulk';
export const ingestWarmupPrefix = 'wbulk';
export const singlePrefix = 'sgl';
export const singleWarmupPrefix = 'wsgl';

/**
 * Creates the measured customer and stores one probe event for it through the API, so the bench
 * learns from the stored row the scope (tenant, environment) and the customer_id the server
 * writes for an existing customer — and the COPY rows look exactly like the server's.
 */
export async function sendProbe(url: string, apiKey: string, spec: UsageDatasetSpec): Promise<void> {
  await callApi(url, apiKey, 'POST', '/v1/customers', { external_customer_id: spec.hotCustomer, name: 'Bench customer' }, [200, 201, 409]);
  await callApi(url, apiKey, 'POST', '/v1/events', { event_id: probeEventId, event_name: 'bench_probe', external_customer_id: spec.hotCustomer, source: 'bench', properties: {} }, [202]);
}

/**
 * Meters over the generated events, as a user billing them has: a COUNT of every event name and a SUM
 * of `llm_tokens`' tokens. Ingestion then keeps their hourly usage (docs/development/usage-hours.md),
 * as it does in production, and COPY pays the same.
 */
export async function createMeters(url: string, apiKey: string): Promise<void> {
  for (const name of eventNames) {
    await callApi(url, apiKey, 'POST', '/v1/meters', { name: `Bench ${name}`, event_name: name, aggregation: { type: 'COUNT' }, reset_usage: 'BILLING_PERIOD' }, [201]);
  }
  await callApi(url, apiKey, 'POST', '/v1/meters', { name: 'Bench tokens', event_name: 'llm_tokens', aggregation: { type: 'SUM', field: 'tokens' }, reset_usage: 'BILLING_PERIOD' }, [201]);
}

export async function readProbe(db: BenchDatabase): Promise<{ scope: Scope; customerId: string | null }> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const rows = await db.query<{ tenant_id: string; environment_id: string; customer_id: string | null }>(
      'SELECT tenant_id, environment_id, customer_id FROM events WHERE id = $1',
      [probeEventId],
    );
    if (rows.length) return { scope: { tenantId: rows[0].tenant_id, environmentId: rows[0].environment_id }, customerId: rows[0].customer_id };
    if (Date.now() > deadline) throw new Error('the probe event acknowledged by POST /v1/events is not in the events table');
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function countEvents(db: BenchDatabase, idPrefix: string): Promise<number> {
  const rows = await db.query<{ n: string | number }>('SELECT count(*) AS n FROM events WHERE starts_with(id, $1)', [`${idPrefix}_`]);
  return Number(rows[0].n);
}

/**
 * Polls until `expected` events with the prefix are visible (ingestion could be asynchronous);
 * returns how long after the call they all were: 0 when they already were at the first look.
 */
export async function waitForEvents(db: BenchDatabase, idPrefix: string, expected: number, timeoutMs = 120_000): Promise<number> {
  const started = performance.now();
  for (let look = 0; ; look++) {
    const n = await countEvents(db, idPrefix);
    if (n === expected) return look === 0 ? 0 : round((performance.now() - started) / 1000, 3);
    if (n > expected) throw new Error(`${n} events stored for ${expected} sent with prefix ${idPrefix}_: duplicates`);
    if (performance.now() - started > timeoutMs) throw new Error(`only ${n} of ${expected} acknowledged events (prefix ${idPrefix}_) are stored after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function bulkBodies(prefix: string, count: number, batch: number, seed: number): { bodies: string[]; sizes: number[] } {
  const bodies: string[] = [];
  const sizes: number[] = [];
  let events: Record<string, unknown>[] = [];
  for (const e of ingestionEvents(prefix, count, seed)) {
    events.push(ingestRequest(e));
    if (events.length === batch) {
      bodies.push(JSON.stringify({ events }));
      sizes.push(events.length);
      events = [];
    }
  }
  if (events.length) {
    bodies.push(JSON.stringify({ events }));
    sizes.push(events.length);
  }
  return { bodies, sizes };
}

/** Bulk HTTP ingestion: an unmeasured warm-up, then the measured events, bodies serialized beforehand. */
export async function ingestOverHttp(url: string, apiKey: string, options: BenchOptions, log: Log): Promise<{ warmup: BulkResult; measured: BulkResult }> {
  const warm = bulkBodies(ingestWarmupPrefix, options.ingestWarmupEvents, options.batchSize, 11);
  const main = bulkBodies(ingestPrefix, options.ingestEvents, options.batchSize, 12);
  log(`bulk HTTP: warm-up ${options.ingestWarmupEvents} events…`);
  const warmup = await sendBulk(url, apiKey, warm.bodies, warm.sizes, options.clients);
  log(`bulk HTTP: ${options.ingestEvents} events in ${main.bodies.length} requests of ≤${options.batchSize}, ${options.clients} clients…`);
  const measured = await sendBulk(url, apiKey, main.bodies, main.sizes, options.clients);
  log(`bulk HTTP: ${measured.eventsPerSecond.toLocaleString('en-US')} events/s (${measured.seconds} s)`);
  return { warmup, measured };
}

/**
 * The COPY baseline: the same warm-up and measured rows as the HTTP run, into the same table in
 * the same state (emptied first). The text is built beforehand, so only COPY itself is timed.
 */
export async function ingestByCopy(db: BenchDatabase, scope: Scope, options: BenchOptions, log: Log): Promise<{ seconds: number; eventsPerSecond: number }> {
  const text = (prefix: string, count: number, seed: number) => [...chunked((function* () {
    for (const e of ingestionEvents(prefix, count, seed)) yield copyLine(scope, e);
  })(), 250_000)];
  const warm = text(ingestWarmupPrefix, options.ingestWarmupEvents, 11);
  const main = text(ingestPrefix, options.ingestEvents, 12);
  await db.query('TRUNCATE events');
  await db.copyEvents(warm);
  log(`COPY: ${options.ingestEvents} events…`);
  const started = performance.now();
  const rows = await db.copyEvents(main);
  const seconds = (performance.now() - started) / 1000;
  if (rows !== options.ingestEvents) throw new Error(`COPY stored ${rows} rows, expected ${options.ingestEvents}`);
  const result = { seconds: round(seconds, 3), eventsPerSecond: Math.round(rows / seconds) };
  log(`COPY: ${result.eventsPerSecond.toLocaleString('en-US')} events/s (${result.seconds} s)`);
  return result;
}

/** Single-event load on one server: warm-up, then the measured run. */
export async function singleEvents(url: string, apiKey: string, options: BenchOptions, label: string, log: Log): Promise<HammerResult> {
  if (options.warmupSeconds > 0) {
    log(`${label}: warm-up ${options.warmupSeconds} s…`);
    await hammerSingleEvents({ url, apiKey, connections: options.connections, seconds: options.warmupSeconds, idPrefix: singleWarmupPrefix });
  }
  log(`${label}: ${options.connections} connections for ${options.seconds} s…`);
  const result = await hammerSingleEvents({ url, apiKey, connections: options.connections, seconds: options.seconds, idPrefix: singlePrefix });
  log(`${label}: ${result.req_per_s.toLocaleString('en-US')} req/s, p50 ${result.latency_ms.p50} ms, p99 ${result.latency_ms.p99} ms` +
    (result.non_2xx || result.errors ? `, ${result.non_2xx} non-2xx, ${result.errors} errors ${JSON.stringify(result.status_codes)}` : ''));
  return result;
}

export type UsageLoad = { events: number; seconds: number; eventsPerSecond: number; copySeconds: number; indexSeconds: number; analyzeSeconds: number; expected: ExpectedUsage };

/**
 * Fills `events` (emptied first) with the usage data set by COPY, then ANALYZE. With
 * `rebuildIndexes` the secondary indexes are dropped before and rebuilt after from their own
 * definitions (pg_get_indexdef): on PGlite building an index once is far faster than maintaining
 * it row by row (measured on a busy machine: 2M rows in 90 s so, while row by row 1M took 46 s and
 * had slowed to 13k rows/s). On PostgreSQL both took about as long (2M: 43 s kept, 54 s rebuilt),
 * so there the indexes are kept, grown row by row as ingestion grows them. On PostgreSQL a
 * VACUUM comes with the ANALYZE: otherwise autovacuum would wake up on the fresh 10M rows in the
 * middle of the measurements (PGlite runs no autovacuum).
 */
export async function loadUsageTable(
  db: BenchDatabase,
  scope: Scope,
  spec: UsageDatasetSpec,
  how: { chunkRows: number; rebuildIndexes: boolean; vacuum: boolean },
  log: Log,
): Promise<UsageLoad> {
  const expected = newExpectedUsage();
  const lines = function* () {
    for (const e of usageEvents(spec, expected)) yield copyLine(scope, e);
  };
  return { ...(await loadEvents(db, lines(), spec.total, how, log, 'usage table')), expected };
}

export type EventsLoad = Omit<UsageLoad, 'expected'>;

/**
 * Empties `events` and COPYs `lines` (`total` of them) into it, as {@link loadUsageTable} says
 * (indexes dropped and rebuilt with `rebuildIndexes`; ANALYZE, with VACUUM when `vacuum`).
 */
export async function loadEvents(
  db: BenchDatabase,
  lines: Iterable<string>,
  total: number,
  how: { chunkRows: number; rebuildIndexes: boolean; vacuum: boolean },
  log: Log,
  label: string,
): Promise<EventsLoad> {
  const started = performance.now();
  await db.query('TRUNCATE events');
  const indexes = !how.rebuildIndexes ? [] : await db.query<{ name: string; definition: string }>(
    `SELECT i.relname AS name, pg_get_indexdef(i.oid) AS definition
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
      WHERE x.indrelid = 'events'::regclass AND NOT x.indisprimary
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)`,
  );
  for (const index of indexes) await db.query(`DROP INDEX "${index.name}"`);
  let done = 0;
  let nextReport = total / 10;
  const copyStarted = performance.now();
  const counted = function* () {
    for (const line of lines) {
      yield line;
      if (++done >= nextReport) {
        nextReport += total / 10;
        const s = (performance.now() - copyStarted) / 1000;
        log(`${label}: ${done.toLocaleString('en-US')} rows copied (${Math.round(done / s).toLocaleString('en-US')} rows/s)`);
      }
    }
  };
  const rows = await db.copyEvents(chunked(counted(), how.chunkRows));
  if (rows !== total) throw new Error(`COPY stored ${rows} rows in the ${label}, expected ${total}`);
  const copySeconds = (performance.now() - copyStarted) / 1000;
  const indexStarted = performance.now();
  for (const index of indexes) {
    await breathe();
    const t = performance.now();
    await db.query(index.definition);
    log(`${label}: index ${index.name} rebuilt in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const indexSeconds = (performance.now() - indexStarted) / 1000;
  const analyzeStarted = performance.now();
  await db.query(how.vacuum ? 'VACUUM (ANALYZE) events' : 'ANALYZE events');
  const analyzeSeconds = (performance.now() - analyzeStarted) / 1000;
  const seconds = (performance.now() - started) / 1000;
  return {
    events: rows,
    seconds: round(seconds, 1),
    eventsPerSecond: Math.round(rows / seconds),
    copySeconds: round(copySeconds, 1),
    indexSeconds: round(indexSeconds, 1),
    analyzeSeconds: round(analyzeSeconds, 1),
  };
}

export type QueryMeasurement = { samples: number[]; value: number };

async function measure(times: () => Promise<{ ms: number; value: number }>, warmup: number, runs: number): Promise<QueryMeasurement> {
  const samples: number[] = [];
  let value = NaN;
  for (let i = 0; i < warmup + runs; i++) {
    const t = await times();
    value = t.value;
    if (i >= warmup) samples.push(t.ms);
  }
  return { samples, value };
}

export function measureSql(db: BenchDatabase, c: UsageCase, options: BenchOptions): Promise<QueryMeasurement> {
  return measure(() => timeSql(db, c), options.warmupRuns, options.runs);
}

/** The API's latencies, or the error that stopped them (the run goes on to the next query). */
export function measureApi(url: string, apiKey: string, c: UsageCase, options: BenchOptions): Promise<QueryMeasurement | Error> {
  return measure(() => timeApi(url, apiKey, c), options.warmupRuns, options.runs).catch((err: Error) => err);
}

/** SQL and API alternately, each run in the other order than the last, so drift on a busy machine hits both alike. */
export async function measureInterleaved(db: BenchDatabase, url: string, apiKey: string, c: UsageCase, options: BenchOptions): Promise<{ sql: QueryMeasurement; api: QueryMeasurement | Error }> {
  try {
    await timeApi(url, apiKey, c);
  } catch (err) {
    return { sql: await measureSql(db, c, options), api: err as Error };
  }
  const sql: QueryMeasurement = { samples: [], value: NaN };
  const api: QueryMeasurement = { samples: [], value: NaN };
  for (let i = 0; i < options.warmupRuns + options.runs; i++) {
    const order = i % 2 === 0 ? ([['sql', () => timeSql(db, c)], ['api', () => timeApi(url, apiKey, c)]] as const) : ([['api', () => timeApi(url, apiKey, c)], ['sql', () => timeSql(db, c)]] as const);
    for (const [which, run] of order) {
      const t = await run();
      const target = which === 'sql' ? sql : api;
      target.value = t.value;
      if (i >= options.warmupRuns) target.samples.push(t.ms);
    }
  }
  return { sql, api };
}

export type UsageQueryResult = {
  request: Record<string, unknown>;
  sql: string;
  expected: number;
  /** Absent when the API failed; `error` says how. */
  api?: LatencySummary & { value: number };
  baseline: LatencySummary & { value: number };
  ratio_p50?: number;
  correct: boolean;
  error?: string;
};

export function usageQueryResult(c: UsageCase, sql: QueryMeasurement, api: QueryMeasurement | Error): UsageQueryResult {
  if (sql.value !== c.expected) throw new Error(`bench bug: the SQL baseline for ${c.name} answered ${sql.value}, the generator expected ${c.expected}`);
  const b = summarize(sql.samples);
  const common = { request: c.request, sql: c.sql, expected: c.expected, baseline: { ...b, value: sql.value } };
  if (api instanceof Error) return { ...common, correct: false, error: api.message };
  const a = summarize(api.samples);
  return { ...common, api: { ...a, value: api.value }, ratio_p50: round(a.p50 / b.p50, 2), correct: api.value === c.expected };
}
