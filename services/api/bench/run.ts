/**
 * `npm run bench`: Tally's metering measured against the raw speed of the same database, on
 * PGlite and (with DATABASE_URL) PostgreSQL. See bench/README.md.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createPostgresDatabase, openPglite, openPostgres, type BenchDatabase } from './database.ts';
import { defaultUsageSpec, usageWindow, type Scope, type UsageDatasetSpec } from './dataset.ts';
import type { HammerResult } from './load.ts';
import { parseOptions, usage, type BenchOptions, type DatabaseKind } from './options.ts';
import { onCleanup, runCleanups, wasInterrupted } from './processes.ts';
import { printReport, type DatabaseRun, type Report } from './report.ts';
import { apiDir, startBareKoa, startTally, type RunningProcess } from './servers.ts';
import { ratio } from './stats.ts';
import {
  countEvents,
  createMeters,
  ingestByCopy,
  ingestOverHttp,
  ingestPrefix,
  ingestWarmupPrefix,
  loadUsageTable,
  measureApi,
  measureInterleaved,
  measureSql,
  readProbe,
  sendProbe,
  singleEvents,
  singlePrefix,
  usageQueryResult,
  waitForEvents,
  type Log,
  type QueryMeasurement,
  type UsageLoad,
} from './steps.ts';
import { usageCases } from './usage.ts';
import { benchBilling, type BillingBenchOptions, type BillingDatabase, type StartBillingServer } from './billing.ts';
import { benchWallets, type WalletBenchOptions } from './wallets.ts';
import { benchWebhooks, webhookServerScript, type StartServer } from './webhooks.ts';

const startedAt = Date.now();
function logger(kind: string): Log {
  return (message) => console.log(`[${((Date.now() - startedAt) / 1000).toFixed(0).padStart(4)} s] ${kind.padEnd(8)} ${message}`);
}

type Context = { options: BenchOptions; tmp: string; apiKey: string };

function readPackageVersion(name: string): string {
  for (const base of [join(apiDir, 'node_modules'), join(apiDir, '../../node_modules')]) {
    try {
      return (JSON.parse(readFileSync(join(base, name, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      // try the next
    }
  }
  return 'unknown';
}

const pgliteVersion = readPackageVersion('@electric-sql/pglite');

async function serverVersion(db: BenchDatabase): Promise<{ short: string; full: string }> {
  const full = String((await db.query<{ v: string }>('SELECT version() AS v'))[0].v);
  return { short: /^PostgreSQL [\d.]+/.exec(full)?.[0] ?? full, full };
}

const loadAverage = () => loadavg().map((l) => Math.round(l * 100) / 100);

function singleEventSection(run: DatabaseRun, options: BenchOptions, tally: HammerResult & { stored: number }, bare: HammerResult, kind: DatabaseKind): DatabaseRun['single_event'] {
  const throughputMet = tally.req_per_s >= 3000;
  const latencyMet = tally.latency_ms.p99 < 30;
  // Requests still in flight when autocannon stops may be stored unacknowledged; fewer stored than acknowledged is a lost event.
  if (tally.stored < tally.acknowledged) run.notes.push(`single events: ${tally.acknowledged} acknowledged but only ${tally.stored} stored`);
  return {
    connections: options.connections,
    duration_s: options.seconds,
    warmup_s: options.warmupSeconds,
    tally,
    bare_koa: bare,
    ratio_req_per_s: ratio(tally.req_per_s, bare.req_per_s),
    target: kind === 'postgres' ? { min_req_per_s: 3000, max_p99_ms: 30, req_per_s_met: throughputMet, p99_met: latencyMet, met: throughputMet && latencyMet } : undefined,
  };
}

async function bareKoa(ctx: Context, log: Log, kind: string): Promise<HammerResult> {
  const koa = await startBareKoa(join(ctx.tmp, `bare-koa-${kind}.log`));
  try {
    return await singleEvents(koa.url, 'none', ctx.options, 'bare Koa', log);
  } finally {
    await koa.stop();
  }
}

function usageSection(spec: UsageDatasetSpec, load: UsageLoad, queries: NonNullable<DatabaseRun['usage']>['queries'], kind: DatabaseKind): DatabaseRun['usage'] {
  const method = kind === 'pglite' ? 'COPY with the secondary indexes dropped, rebuilt after; ANALYZE' : 'COPY into the indexed table; VACUUM (ANALYZE)';
  const { start, end } = usageWindow(spec);
  const ratios = Object.values(queries).map((q) => q.ratio_p50 ?? Infinity);
  return {
    table_events: load.events,
    matching_events: load.expected.matching,
    customers: spec.customers + 1,
    window: { start: start.toISOString(), end: end.toISOString() },
    external_customer_id: spec.hotCustomer,
    event_name: spec.hotEvent,
    load: {
      method,
      seconds: load.seconds,
      events_per_s: load.eventsPerSecond,
      copy_s: load.copySeconds,
      index_rebuild_s: kind === 'pglite' ? load.indexSeconds : undefined,
      analyze_s: load.analyzeSeconds,
    },
    queries,
    target: kind === 'postgres' ? { max_ratio_p50: 1.5, met: ratios.every((r) => r <= 1.5) && Object.values(queries).every((q) => q.correct) } : undefined,
  };
}

function logUsage(log: Log, name: string, api: QueryMeasurement | Error, sql: QueryMeasurement, expected: number) {
  const p50 = (s: number[]) => [...s].sort((a, b) => a - b)[Math.ceil(s.length / 2) - 1]?.toFixed(1);
  if (api instanceof Error) {
    log(`usage ${name}: API FAILED: ${api.message}; SQL p50 ${p50(sql.samples)} ms`);
    return;
  }
  log(`usage ${name}: API p50 ${p50(api.samples)} ms (value ${api.value}${api.value === expected ? '' : ` ≠ expected ${expected}!`}), SQL p50 ${p50(sql.samples)} ms`);
}

/** PostgreSQL: one server run; the bench's own connection works beside it. */
async function benchPostgres(ctx: Context): Promise<DatabaseRun> {
  const { options, tmp, apiKey } = ctx;
  const log = logger('postgres');
  const runStarted = Date.now();
  const database = await createPostgresDatabase(options.postgresUrl!);
  log(`created database ${database.name}`);
  onCleanup(`drop database ${database.name}`, () => (options.keep ? log(`kept database ${database.name}`) : database.drop()));
  log('starting Tally on PostgreSQL…');
  const server = await startTally({ databaseUrl: database.url, dataDir: join(tmp, 'postgres-data'), apiKey, logLevel: options.logLevel, logFile: join(tmp, 'tally-postgres.log') });
  const forgetServer = onCleanup('stop Tally (postgres)', server.stop);
  log(`Tally listening on ${server.url} (pid ${server.pid})`);
  const db = await openPostgres(database.url);
  const forgetDb = onCleanup('close postgres connection', db.close);
  const version = await serverVersion(db);
  const run: DatabaseRun = { database: version.short, database_version: version.full, started_at: new Date(runStarted).toISOString(), load_average_at_start: loadAverage(), seconds: 0, notes: [] };
  const spec = defaultUsageSpec(options.usageEvents.postgres, options.hotEvents);
  await sendProbe(server.url, apiKey, spec);
  await createMeters(server.url, apiKey);
  const probe = await readProbe(db);
  spec.hotCustomerId = probe.customerId;

  if (options.phases.includes('ingest')) {
    const http = await ingestOverHttp(server.url, apiKey, options, log);
    const visibleAfter = await waitForEvents(db, ingestPrefix, options.ingestEvents);
    await waitForEvents(db, ingestWarmupPrefix, options.ingestWarmupEvents);
    const copy = await ingestByCopy(db, probe.scope, options, log);
    await db.query('TRUNCATE events');
    run.bulk_ingestion = bulkSection(options, http.measured, visibleAfter, copy, 'pg-copy-streams COPY FROM STDIN, one stream', 'postgres');
  }
  if (options.phases.includes('single')) {
    const bare = await bareKoa(ctx, log, 'postgres');
    const tally = await singleEvents(server.url, apiKey, options, 'Tally', log);
    const stored = await countEvents(db, singlePrefix);
    run.single_event = singleEventSection(run, options, { ...tally, stored }, bare, 'postgres');
  }
  if (options.phases.includes('usage')) {
    log(`usage table: loading ${spec.total.toLocaleString('en-US')} events (${spec.hot.toLocaleString('en-US')} for ${spec.hotCustomer} in ${usageWindow(spec).start.toISOString().slice(0, 7)})…`);
    const load = await loadUsageTable(db, probe.scope, spec, { chunkRows: 5_000, rebuildIndexes: false, vacuum: true }, log);
    log(`usage table: ${load.events.toLocaleString('en-US')} rows in ${load.seconds} s${load.indexSeconds ? ` (COPY ${load.copySeconds} s, index rebuild ${load.indexSeconds} s)` : ''}`);
    const queries: NonNullable<DatabaseRun['usage']>['queries'] = {};
    for (const c of usageCases(probe.scope, spec, load.expected)) {
      const { sql, api } = await measureInterleaved(db, server.url, apiKey, c, options);
      logUsage(log, c.name, api, sql, c.expected);
      queries[c.name] = usageQueryResult(c, sql, api);
    }
    run.usage = usageSection(spec, load, queries, 'postgres');
  }
  run.server_memory = { at_end: server.memory() };
  log(`server RSS ${run.server_memory.at_end?.rss_mb} MiB (peak ${run.server_memory.at_end?.peak_rss_mb} MiB)`);
  await server.stop();
  forgetServer();
  await db.close();
  forgetDb();
  if (options.phases.includes('webhooks')) {
    let n = 0;
    const start: StartServer = async (which, env) => {
      log(`starting Tally on PostgreSQL (${which})…`);
      const s = await startTally({ databaseUrl: database.url, dataDir: join(tmp, 'postgres-data'), apiKey, logLevel: options.logLevel, logFile: join(tmp, `tally-postgres-webhooks-${++n}.log`), env, script: webhookServerScript });
      onCleanup(`stop Tally (postgres, ${which})`, s.stop);
      return s;
    };
    run.webhooks = await benchWebhooks(start, apiKey, tmp, webhookOptions(options), log);
  }
  // The billing and wallets phases: servers of their own; the bench's connections beside them.
  const phaseServer = (phase: string): StartBillingServer => {
    let n = 0;
    return async (which, env, readyTimeoutMs) => {
      log(`starting Tally on PostgreSQL (${which})…`);
      const spawnedAt = performance.now();
      const s = await startTally({ databaseUrl: database.url, dataDir: join(tmp, 'postgres-data'), apiKey, logLevel: options.logLevel, logFile: join(tmp, `tally-postgres-${phase}-${++n}.log`), env, readyTimeoutMs });
      onCleanup(`stop Tally (postgres, ${which})`, s.stop);
      return { ...s, spawnedAt };
    };
  };
  const access: BillingDatabase = {
    kind: 'postgres',
    withDb: async <T>(work: (db: BenchDatabase) => Promise<T>): Promise<T> => {
      const db = await openPostgres(database.url);
      try {
        return await work(db);
      } finally {
        await db.close();
      }
    },
    concurrent: () => openPostgres(database.url),
  };
  if (options.phases.includes('billing')) {
    run.billing = await benchBilling(phaseServer('billing'), access, apiKey, billingOptions(options, 'postgres'), log);
  }
  if (options.phases.includes('wallets')) {
    run.wallets = await benchWallets(phaseServer('wallets'), access, apiKey, walletOptions(options), log);
  }
  run.seconds = Math.round((Date.now() - runStarted) / 1000);
  return run;
}

function billingOptions(options: BenchOptions, kind: DatabaseKind): BillingBenchOptions {
  return {
    subscriptions: options.billingSubscriptions,
    events: options.billingEvents[kind],
    hotEvents: options.billingHotEvents,
    runs: options.runs,
    warmupRuns: options.warmupRuns,
    setupClients: options.billingClients,
  };
}

function walletOptions(options: BenchOptions): WalletBenchOptions {
  return {
    events: options.walletEvents,
    runs: options.walletRuns,
    warmupRuns: options.walletWarmupRuns,
    debits: options.walletDebits,
    clients: options.walletClients,
  };
}

function webhookOptions(options: BenchOptions) {
  return {
    backlog: options.webhookBacklog,
    rate: options.webhookRate,
    rateSeconds: options.webhookRateSeconds,
    batch: options.webhookBatch,
    connections: options.connections,
    seconds: options.seconds,
    warmupSeconds: options.warmupSeconds,
  };
}

function bulkSection(
  options: BenchOptions,
  http: { seconds: number; eventsPerSecond: number; requests: number },
  visibleAfter: number | undefined,
  copy: { seconds: number; eventsPerSecond: number },
  copyMethod: string,
  kind: DatabaseKind,
): DatabaseRun['bulk_ingestion'] {
  const r = ratio(http.eventsPerSecond, copy.eventsPerSecond);
  return {
    events: options.ingestEvents,
    warmup_events: options.ingestWarmupEvents,
    batch_size: options.batchSize,
    clients: options.clients,
    http: { seconds: http.seconds, events_per_s: http.eventsPerSecond, requests: http.requests, all_visible_after_s: visibleAfter },
    copy: { seconds: copy.seconds, events_per_s: copy.eventsPerSecond, method: copyMethod },
    ratio: r,
    target: kind === 'postgres' ? { min_ratio: 0.4, met: r >= 0.4 } : undefined,
  };
}

/**
 * PGlite: the server owns its data directory, and PGlite has a single connection and no lock,
 * so the bench opens the same directory itself only while the server is stopped:
 * server run 1 (HTTP ingestion, single events) → bench (COPY baseline, usage load, SQL baseline)
 * → server run 2 (usage through the API, memory at the end).
 */
async function benchPglite(ctx: Context): Promise<DatabaseRun> {
  const { options, tmp, apiKey } = ctx;
  const log = logger('pglite');
  const runStarted = Date.now();
  const dataDir = join(tmp, 'pglite-data');
  const pgliteDir = join(dataDir, 'pglite');
  const serverOptions = (which: string) => ({ dataDir, apiKey, logLevel: options.logLevel, logFile: join(tmp, `tally-pglite-${which.replace(' ', '')}.log`) });
  const run: DatabaseRun = { database: '', started_at: new Date(runStarted).toISOString(), load_average_at_start: loadAverage(), seconds: 0, notes: [] };
  const spec = defaultUsageSpec(options.usageEvents.pglite, options.hotEvents);
  if (options.phases.includes('usage') && spec.total < 10_000_000) run.notes.push(`usage table of ${spec.total.toLocaleString('en-US')} events on PGlite, not 10M (--pglite-events): loading PGlite in WASM is slow on this machine`);
  run.notes.push('the bench opens the PGlite data directory itself (COPY baseline, usage load, SQL baseline) only while the server is stopped');

  const startServer = async (which: string): Promise<RunningProcess> => {
    log(`starting Tally on PGlite (${which})…`);
    const server = await startTally(serverOptions(which));
    onCleanup(`stop Tally (pglite, ${which})`, server.stop);
    log(`Tally listening on ${server.url} (pid ${server.pid})`);
    return server;
  };

  let server = await startServer('run 1');
  await sendProbe(server.url, apiKey, spec);
  await createMeters(server.url, apiKey);
  let http: Awaited<ReturnType<typeof ingestOverHttp>> | undefined;
  if (options.phases.includes('ingest')) http = await ingestOverHttp(server.url, apiKey, options, log);
  let single: { tally: HammerResult; bare: HammerResult } | undefined;
  if (options.phases.includes('single')) {
    const bare = await bareKoa(ctx, log, 'pglite');
    const tally = await singleEvents(server.url, apiKey, options, 'Tally', log);
    single = { tally, bare };
  }
  const afterRun1 = server.memory();
  log('stopping Tally (run 1)…');
  await server.stop();

  let db: BenchDatabase | undefined = await openPglite(pgliteDir);
  const closeDb = onCleanup('close PGlite', () => db?.close());
  const version = await serverVersion(db);
  run.database = `PGlite ${pgliteVersion} (${version.short})`;
  run.database_version = version.full;
  const probe = await readProbe(db);
  spec.hotCustomerId = probe.customerId;
  if (http) {
    // Stopped cleanly, so everything acknowledged must be there.
    await waitForEvents(db, ingestPrefix, options.ingestEvents, 0);
    await waitForEvents(db, ingestWarmupPrefix, options.ingestWarmupEvents, 0);
  }
  if (single) {
    const stored = await countEvents(db, singlePrefix);
    run.single_event = singleEventSection(run, options, { ...single.tally, stored }, single.bare, 'pglite');
  }
  if (http) {
    const copy = await ingestByCopy(db, probe.scope, options, log);
    run.bulk_ingestion = bulkSection(options, http.measured, undefined, copy, "PGlite COPY FROM '/dev/blob' ({blob}) in this process, server stopped", 'pglite');
  }
  const sqlMeasurements = new Map<string, QueryMeasurement>();
  let load: UsageLoad | undefined;
  const scope: Scope = probe.scope;
  if (options.phases.includes('usage')) {
    log(`usage table: loading ${spec.total.toLocaleString('en-US')} events (${spec.hot.toLocaleString('en-US')} for ${spec.hotCustomer} in ${usageWindow(spec).start.toISOString().slice(0, 7)})…`);
    load = await loadUsageTable(db, scope, spec, { chunkRows: 200_000, rebuildIndexes: true, vacuum: false }, log);
    log(`usage table: ${load.events.toLocaleString('en-US')} rows in ${load.seconds} s${load.indexSeconds ? ` (COPY ${load.copySeconds} s, index rebuild ${load.indexSeconds} s)` : ''}`);
    for (const c of usageCases(scope, spec, load.expected)) {
      sqlMeasurements.set(c.name, await measureSql(db, c, options));
    }
  } else {
    await db.query('TRUNCATE events');
  }
  await db.close();
  db = undefined;
  closeDb();

  if (!load) {
    run.server_memory = { at_end: afterRun1 };
  } else {
    server = await startServer('run 2');
    const queries: NonNullable<DatabaseRun['usage']>['queries'] = {};
    for (const c of usageCases(scope, spec, load.expected)) {
      const api = await measureApi(server.url, apiKey, c, options);
      const sql = sqlMeasurements.get(c.name)!;
      logUsage(log, c.name, api, sql, c.expected);
      queries[c.name] = usageQueryResult(c, sql, api);
    }
    run.usage = usageSection(spec, load, queries, 'pglite');
    run.notes.push('usage: the SQL baseline ran in the bench process while the server was stopped, then the API ran (not interleaved as on PostgreSQL)');
    run.server_memory = { at_end: server.memory(), after_run_1: afterRun1 };
    await server.stop();
  }
  log(`server RSS ${run.server_memory.at_end?.rss_mb} MiB (peak ${run.server_memory.at_end?.peak_rss_mb} MiB${load ? `; run 1 peak ${afterRun1?.peak_rss_mb} MiB` : ''})`);
  if (options.phases.includes('webhooks')) {
    let n = 0;
    const start: StartServer = async (which, env) => {
      log(`starting Tally on PGlite (${which})…`);
      const s = await startTally({ ...serverOptions(`webhooks ${++n}`), env, script: webhookServerScript });
      onCleanup(`stop Tally (pglite, ${which})`, s.stop);
      return s;
    };
    run.webhooks = await benchWebhooks(start, apiKey, tmp, webhookOptions(options), log);
  }
  // The billing and wallets phases: servers of their own on the same data directory.
  const phaseServer = (phase: string): StartBillingServer => {
    let n = 0;
    return async (which, env, readyTimeoutMs) => {
      log(`starting Tally on PGlite (${which})…`);
      const spawnedAt = performance.now();
      const s = await startTally({ ...serverOptions(`${phase} ${++n}`), env, readyTimeoutMs });
      onCleanup(`stop Tally (pglite, ${which})`, s.stop);
      return { ...s, spawnedAt };
    };
  };
  // The server owns the data directory: the bench opens it only between two server runs.
  const access: BillingDatabase = {
    kind: 'pglite',
    withDb: async <T>(work: (db: BenchDatabase) => Promise<T>): Promise<T> => {
      const db = await openPglite(pgliteDir);
      const forget = onCleanup('close PGlite (phase)', () => db.close());
      try {
        return await work(db);
      } finally {
        await db.close();
        forget();
      }
    },
    concurrent: async () => undefined,
  };
  if (options.phases.includes('billing')) {
    run.billing = await benchBilling(phaseServer('billing'), access, apiKey, billingOptions(options, 'pglite'), log);
    if (options.billingEvents.pglite < 10_000_000) run.notes.push(`billing: ${options.billingEvents.pglite.toLocaleString('en-US')} events on PGlite, not 10M (--pglite-billing-events)`);
    run.notes.push('billing: on PGlite the floor ran in the bench process before the bill run, and the bill run was watched through GET /v1/invoices (the server owns the database)');
  }
  if (options.phases.includes('wallets')) {
    run.wallets = await benchWallets(phaseServer('wallets'), access, apiKey, walletOptions(options), log);
    run.notes.push('wallets: on PGlite the real-time floor ran in the bench process before the server started, and the UPDATE floor (sequential: one connection) after it stopped');
  }
  run.seconds = Math.round((Date.now() - runStarted) / 1000);
  return run;
}

function resultsFile(options: BenchOptions): string {
  if (options.out) return resolve(process.env.INIT_CWD ?? process.cwd(), options.out);
  const date = new Date().toISOString().slice(0, 10);
  return join(apiDir, '../../bench/results', `${date}-metering.json`);
}

async function main(): Promise<void> {
  let options: BenchOptions | 'help';
  try {
    options = parseOptions(process.argv.slice(2), process.env);
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${usage}`);
    process.exitCode = 2;
    return;
  }
  if (options === 'help') {
    console.log(usage);
    return;
  }
  const tmp = mkdtempSync(join(tmpdir(), 'tally-bench-'));
  onCleanup('temp dir', () => (options.keep ? console.log(`kept ${tmp}`) : rmSync(tmp, { recursive: true, force: true })));
  const ctx: Context = { options, tmp, apiKey: `sk_bench_${randomBytes(16).toString('hex')}` };
  const log = logger('bench');
  log(`databases: ${options.databases.join(', ')}; phases: ${options.phases.join(', ')}; temp dir ${tmp}`);
  if (!options.postgresUrl) log('PostgreSQL skipped: set DATABASE_URL to a server where the user may CREATE DATABASE to include it');

  const report: Report = {
    benchmark: 'metering',
    date: new Date(startedAt).toISOString().slice(0, 10),
    started_at: new Date(startedAt).toISOString(),
    seconds: 0,
    machine: {
      cpus: cpus().length,
      cpu_model: cpus()[0]?.model ?? 'unknown',
      memory_gib: Math.round(totalmem() / 2 ** 30),
      load_average_at_start: loadAverage(),
      load_average_at_end: [],
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
    },
    versions: { pglite: pgliteVersion, pg: readPackageVersion('pg'), autocannon: readPackageVersion('autocannon'), 'pg-copy-streams': readPackageVersion('pg-copy-streams'), koa: readPackageVersion('koa') },
    options: {
      ingest_events: options.ingestEvents,
      batch_size: options.batchSize,
      clients: options.clients,
      connections: options.connections,
      duration_s: options.seconds,
      warmup_s: options.warmupSeconds,
      usage_events: Object.fromEntries(options.databases.map((d) => [d, options.usageEvents[d]])),
      hot_events: options.hotEvents,
      runs: options.runs,
      warmup_runs: options.warmupRuns,
      server_log_level: options.logLevel,
      phases: options.phases,
      ...(options.phases.includes('billing')
        ? { billing_subscriptions: options.billingSubscriptions, billing_events: Object.fromEntries(options.databases.map((d) => [d, options.billingEvents[d]])), billing_hot_events: options.billingHotEvents, billing_clients: options.billingClients }
        : {}),
      ...(options.phases.includes('wallets')
        ? { wallet_events: options.walletEvents, wallet_runs: options.walletRuns, wallet_warmup_runs: options.walletWarmupRuns, wallet_debits: options.walletDebits, wallet_clients: options.walletClients }
        : {}),
    },
    runs: {},
  };
  for (const kind of options.databases) {
    report.runs[kind] = kind === 'pglite' ? await benchPglite(ctx) : await benchPostgres(ctx);
  }
  report.seconds = Math.round((Date.now() - startedAt) / 1000);
  report.machine.load_average_at_end = loadAverage();
  printReport(report);
  const file = resultsFile(options);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, `${JSON.stringify(report, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
  console.log(`\nwritten to ${file}`);
  // Targets missed are figures; wrong answers, failed calls and lost events are failures.
  const failures = Object.entries(report.runs).flatMap(([kind, run]) => [
    ...Object.entries(run?.usage?.queries ?? {}).filter(([, q]) => !q.correct).map(([name]) => `${kind}: usage ${name} failed or answered wrong`),
    ...(run?.billing && !run.billing.check.correct ? [`${kind}: billing: invoices differ from what the data set was built to give (${run.billing.check.problems.slice(0, 3).join('; ')})`] : []),
    ...(run?.single_event && (run.single_event.tally.stored ?? 0) < run.single_event.tally.acknowledged ? [`${kind}: acknowledged single events are missing`] : []),
    ...(run?.wallets && !run.wallets.real_time.correct ? [`${kind}: wallets: the real-time balance answered wrong (${run.wallets.real_time.problems.slice(0, 3).join('; ')})`] : []),
    ...(run?.wallets && !run.wallets.debits.check.correct ? [`${kind}: wallets: the ledger after the debits is wrong (${run.wallets.debits.check.problems.slice(0, 3).join('; ')})`] : []),
    ...(run?.wallets?.debits.api.failed ? [`${kind}: wallets: ${run.wallets.debits.api.failed} debits failed`] : []),
  ]);
  if (failures.length) {
    console.error(`\n${failures.join('\n')}`);
    process.exitCode = 1;
  }
}

try {
  await main();
} catch (err) {
  if (!wasInterrupted()) console.error(`\nbench failed: ${(err as Error).stack ?? err}`);
  process.exitCode = 1;
} finally {
  await runCleanups();
}
