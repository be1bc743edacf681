import { parseArgs } from 'node:util';

export type Phase = 'ingest' | 'single' | 'usage' | 'webhooks' | 'billing' | 'wallets';
export type DatabaseKind = 'pglite' | 'postgres';

export type BenchOptions = {
  databases: DatabaseKind[];
  /** A PostgreSQL URL the bench may create (and drop) a database from. */
  postgresUrl?: string;
  phases: Phase[];
  usageEvents: Record<DatabaseKind, number>;
  hotEvents: number;
  ingestEvents: number;
  ingestWarmupEvents: number;
  batchSize: number;
  clients: number;
  connections: number;
  seconds: number;
  warmupSeconds: number;
  runs: number;
  warmupRuns: number;
  webhookBacklog: number;
  webhookRate: number;
  webhookRateSeconds: number;
  webhookBatch: number;
  billingSubscriptions: number;
  billingEvents: Record<DatabaseKind, number>;
  billingHotEvents: number;
  billingClients: number;
  walletEvents: number;
  walletRuns: number;
  walletWarmupRuns: number;
  walletDebits: number;
  walletClients: number;
  logLevel: string;
  out?: string;
  keep: boolean;
};

export const usage = `Usage: npm run bench -w @tally/api -- [options]   (or, in services/api, npm run bench -- [options])
       BENCH_…=… npm run bench                   (the root script forwards no flags: use the variables)
PGlite always; PostgreSQL too when DATABASE_URL is set.

  --only pglite|postgres   run one database only                         BENCH_ONLY
  --phases LIST            ingest,single,usage,webhooks,billing,wallets (default: all)  BENCH_PHASES
  --events N               usage table rows on PostgreSQL (10000000)     BENCH_EVENTS
  --pglite-events N        usage table rows on PGlite (2000000)          BENCH_PGLITE_EVENTS
  --hot-events N           rows of the measured customer-month (100000)  BENCH_HOT_EVENTS
  --ingest-events N        events sent by bulk HTTP and by COPY (200000) BENCH_INGEST_EVENTS
  --batch N                events per bulk request (1000)                BENCH_BATCH
  --clients N              concurrent bulk clients (4)                   BENCH_CLIENTS
  --connections N          single-event connections (50)                 BENCH_CONNECTIONS
  --duration S             single-event measurement, seconds (10)        BENCH_DURATION
  --warmup S               single-event warm-up, seconds (3)             BENCH_WARMUP
  --runs N                 usage queries measured per type (30)          BENCH_RUNS
  --warmup-runs N          usage queries before measuring (5)            BENCH_WARMUP_RUNS
  --webhook-backlog N      outbox backlog a fresh worker drains (10000)  BENCH_WEBHOOK_BACKLOG
  --webhook-rate N         events/s of the latency measurement (1000)    BENCH_WEBHOOK_RATE
  --webhook-seconds S      seconds of the latency measurement (10)       BENCH_WEBHOOK_SECONDS
  --webhook-batch N        events per transaction of that generator (10) BENCH_WEBHOOK_BATCH
  --billing-subscriptions N  monthly subscriptions billed (10000)     BENCH_BILLING_SUBSCRIPTIONS
  --billing-events N       events in their period, PostgreSQL (10000000) BENCH_BILLING_EVENTS
  --pglite-billing-events N  the same on PGlite (2000000)             BENCH_PGLITE_BILLING_EVENTS
  --billing-hot-events N   of those, the previewed customer's (100000)   BENCH_BILLING_HOT_EVENTS
  --billing-clients N      concurrent clients creating subscriptions (8) BENCH_BILLING_CLIENTS
  --wallet-events N        events in the wallet customer's period (100000)  BENCH_WALLET_EVENTS
  --wallet-runs N          real-time balance requests measured (200)     BENCH_WALLET_RUNS
  --wallet-warmup-runs N   real-time balance requests before them (20)   BENCH_WALLET_WARMUP_RUNS
  --wallet-debits N        debits of one wallet measured (2000)          BENCH_WALLET_DEBITS
  --wallet-clients N       concurrent debiting clients (50)              BENCH_WALLET_CLIENTS
  --log-level L            the server's LOG_LEVEL (info: as npm start)   BENCH_LOG_LEVEL
  --out FILE               results file (bench/results/<date>-metering.json at the repo root)  BENCH_OUT
  --keep                   keep the temp dir (server logs, PGlite data) and the PostgreSQL database
  -h, --help

  DATABASE_URL             postgres://user@host:port/db of a server where the user may CREATE DATABASE;
                           the bench creates tally_bench_<random> there and drops it at the end.`;

const phases: Phase[] = ['ingest', 'single', 'usage', 'webhooks', 'billing', 'wallets'];

function int(name: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer ≥ ${min}, got "${value}"`);
  return n;
}

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      only: { type: 'string' },
      phases: { type: 'string' },
      events: { type: 'string' },
      'pglite-events': { type: 'string' },
      'hot-events': { type: 'string' },
      'ingest-events': { type: 'string' },
      batch: { type: 'string' },
      clients: { type: 'string' },
      connections: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      runs: { type: 'string' },
      'warmup-runs': { type: 'string' },
      'webhook-backlog': { type: 'string' },
      'webhook-rate': { type: 'string' },
      'webhook-seconds': { type: 'string' },
      'webhook-batch': { type: 'string' },
      'billing-subscriptions': { type: 'string' },
      'billing-events': { type: 'string' },
      'pglite-billing-events': { type: 'string' },
      'billing-hot-events': { type: 'string' },
      'billing-clients': { type: 'string' },
      'wallet-events': { type: 'string' },
      'wallet-runs': { type: 'string' },
      'wallet-warmup-runs': { type: 'string' },
      'wallet-debits': { type: 'string' },
      'wallet-clients': { type: 'string' },
      'log-level': { type: 'string' },
      out: { type: 'string' },
      keep: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const only = values.only ?? env.BENCH_ONLY;
  if (only !== undefined && only !== '' && only !== 'pglite' && only !== 'postgres') throw new Error(`--only must be pglite or postgres, got "${only}"`);
  const postgresUrl = env.DATABASE_URL || undefined;
  if (only === 'postgres' && !postgresUrl) throw new Error('--only postgres needs DATABASE_URL');
  const databases: DatabaseKind[] = only ? [only] : postgresUrl ? ['pglite', 'postgres'] : ['pglite'];
  const phaseList = (values.phases ?? env.BENCH_PHASES ?? phases.join(',')).split(',').map((p) => p.trim()) as Phase[];
  for (const p of phaseList) if (!phases.includes(p)) throw new Error(`unknown phase "${p}" (phases: ${phases.join(', ')})`);
  const hotEvents = int('--hot-events', values['hot-events'] ?? env.BENCH_HOT_EVENTS, 100_000);
  const options: BenchOptions = {
    databases,
    postgresUrl,
    phases: phases.filter((p) => phaseList.includes(p)),
    usageEvents: {
      postgres: int('--events', values.events ?? env.BENCH_EVENTS, 10_000_000),
      pglite: int('--pglite-events', values['pglite-events'] ?? env.BENCH_PGLITE_EVENTS, 2_000_000),
    },
    hotEvents,
    ingestEvents: int('--ingest-events', values['ingest-events'] ?? env.BENCH_INGEST_EVENTS, 200_000),
    ingestWarmupEvents: 0,
    batchSize: int('--batch', values.batch ?? env.BENCH_BATCH, 1000),
    clients: int('--clients', values.clients ?? env.BENCH_CLIENTS, 4),
    connections: int('--connections', values.connections ?? env.BENCH_CONNECTIONS, 50),
    seconds: int('--duration', values.duration ?? env.BENCH_DURATION, 10),
    warmupSeconds: int('--warmup', values.warmup ?? env.BENCH_WARMUP, 3, 0),
    runs: int('--runs', values.runs ?? env.BENCH_RUNS, 30),
    warmupRuns: int('--warmup-runs', values['warmup-runs'] ?? env.BENCH_WARMUP_RUNS, 5, 0),
    webhookBacklog: int('--webhook-backlog', values['webhook-backlog'] ?? env.BENCH_WEBHOOK_BACKLOG, 10_000),
    webhookRate: int('--webhook-rate', values['webhook-rate'] ?? env.BENCH_WEBHOOK_RATE, 1000),
    webhookRateSeconds: int('--webhook-seconds', values['webhook-seconds'] ?? env.BENCH_WEBHOOK_SECONDS, 10),
    webhookBatch: int('--webhook-batch', values['webhook-batch'] ?? env.BENCH_WEBHOOK_BATCH, 10),
    billingSubscriptions: int('--billing-subscriptions', values['billing-subscriptions'] ?? env.BENCH_BILLING_SUBSCRIPTIONS, 10_000, 2),
    billingEvents: {
      postgres: int('--billing-events', values['billing-events'] ?? env.BENCH_BILLING_EVENTS, 10_000_000),
      pglite: int('--pglite-billing-events', values['pglite-billing-events'] ?? env.BENCH_PGLITE_BILLING_EVENTS, 2_000_000),
    },
    billingHotEvents: int('--billing-hot-events', values['billing-hot-events'] ?? env.BENCH_BILLING_HOT_EVENTS, 100_000),
    billingClients: int('--billing-clients', values['billing-clients'] ?? env.BENCH_BILLING_CLIENTS, 8),
    walletEvents: int('--wallet-events', values['wallet-events'] ?? env.BENCH_WALLET_EVENTS, 100_000),
    walletRuns: int('--wallet-runs', values['wallet-runs'] ?? env.BENCH_WALLET_RUNS, 200),
    walletWarmupRuns: int('--wallet-warmup-runs', values['wallet-warmup-runs'] ?? env.BENCH_WALLET_WARMUP_RUNS, 20, 0),
    walletDebits: int('--wallet-debits', values['wallet-debits'] ?? env.BENCH_WALLET_DEBITS, 2000),
    walletClients: int('--wallet-clients', values['wallet-clients'] ?? env.BENCH_WALLET_CLIENTS, 50),
    logLevel: values['log-level'] ?? env.BENCH_LOG_LEVEL ?? 'info',
    out: values.out ?? (env.BENCH_OUT || undefined),
    keep: values.keep ?? false,
  };
  if (options.batchSize > 1000) throw new Error('--batch is at most 1000 (the API takes 1–1000 events per bulk request)');
  // Warm the server's bulk path with a tenth of the data (at least 5 batches), not measured.
  options.ingestWarmupEvents = Math.max(5 * options.batchSize, Math.floor(options.ingestEvents / 10));
  for (const kind of databases) {
    if (options.phases.includes('billing') && options.billingEvents[kind] < options.billingHotEvents) throw new Error(`the ${kind} billing events (${options.billingEvents[kind]}) must hold at least --billing-hot-events (${options.billingHotEvents})`);
    if (options.usageEvents[kind] < hotEvents) throw new Error(`the ${kind} usage table (${options.usageEvents[kind]}) must hold at least --hot-events (${hotEvents})`);
  }
  return options;
}
