/**
 * The billing phase (see README.md): N monthly subscriptions whose period ended a day ago, M events
 * in that period loaded by COPY; a server started with the billing worker on renews every one and
 * finalizes every period-end invoice. Measured beside the floor: one hand-written GROUP BY over the
 * same month's events. Also `POST /v1/invoices/preview` of the hot customer's month, the server's
 * peak memory, and every sampled invoice checked against the amounts the data set was built to give.
 */
import { type BenchDatabase } from './database.ts';
import { isoUtc, prng, source, type Scope } from './dataset.ts';
import { callApi, round } from './load.ts';
import type { DatabaseKind } from './options.ts';
import { tail } from './processes.ts';
import type { RunningProcess } from './servers.ts';
import { summarize, type LatencySummary } from './stats.ts';
import { loadEvents, type EventsLoad, type Log } from './steps.ts';

export type BillingBenchOptions = {
  subscriptions: number;
  /** Events in the ended period, the hot customer's included. */
  events: number;
  hotEvents: number;
  runs: number;
  warmupRuns: number;
  /** Concurrent API clients creating customers and subscriptions. */
  setupClients: number;
};

/**
 * Starts a Tally server for this phase with extra environment, waiting up to `readyTimeoutMs` for it;
 * `spawnedAt` is when its process was started (performance.now()).
 */
export type StartBillingServer = (which: string, env: Record<string, string>, readyTimeoutMs?: number) => Promise<RunningProcess & { spawnedAt: number }>;

/** How the phase reaches the database: on PGlite only while no server runs (`withDb`), and then the bill run is watched through the API. */
export type BillingDatabase = {
  kind: DatabaseKind;
  withDb<T>(work: (db: BenchDatabase) => Promise<T>): Promise<T>;
  /** A connection to keep open while the server runs (PostgreSQL), or undefined (PGlite). */
  concurrent(): Promise<BenchDatabase | undefined>;
};

export type BillingSection = {
  subscriptions: number;
  events: number;
  hot_events: number;
  period: { start: string; end: string };
  plan: string;
  setup: { subscriptions_s: number; subscriptions_per_s: number; clients: number; load: EventsLoad & { method: string } };
  floor: { sql: string; runs_s: number[]; seconds: number; groups: number };
  bill_run: {
    invoices: number;
    /** From the server's process start to the last subscription's period-end invoice finalized. */
    seconds: number;
    /** The same, from its "listening" line. */
    seconds_from_listening: number;
    /** When every subscription had its period-end invoice (drafts; finalization follows), from the process start. */
    renewals_done_s?: number;
    invoices_per_s: number;
    ratio_to_floor: number;
    watched_through: string;
  };
  server_memory: { after_bill_run?: { rss_mb: number; peak_rss_mb: number }; at_end?: { rss_mb: number; peak_rss_mb: number } };
  preview: LatencySummary & { external_customer_id: string; correct: boolean };
  check: { subscriptions_checked: number; correct: boolean; problems: string[] };
  target?: { max_ratio_to_floor: number; max_peak_rss_mb: number; max_preview_p99_ms: number; ratio_met: boolean; rss_met: boolean; preview_met: boolean; met: boolean };
};

const plan = {
  fee: '20',
  callPrice: '0.01',
  tokenPrice: '0.01',
  included: 500,
};
const planText = `$${plan.fee} a month in advance; $${plan.callPrice} a call in arrears with ${plan.included} calls included monthly (metered entitlement); $${plan.tokenPrice} a token in arrears`;
const callsEvent = 'bench.api_call';
const tokensEvent = 'bench.llm_tokens';
const hotExternalId = 'bill_hot';
const externalId = (i: number) => (i === 0 ? hotExternalId : `bill_${i.toString().padStart(6, '0')}`);

/** Runs `work(i)` for i < total, `concurrency` at a time. */
async function pool(total: number, concurrency: number, work: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < total) await work(next++);
  }));
}

/**
 * The subscriptions' start: UTC midnight one month and two days before today, so the first monthly
 * period ended yesterday or the day before (the renewal is due at once) and the next one ends in
 * the future (exactly one period-end invoice each).
 */
function startDate(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, now.getUTCDate() - 2));
}

type Expected = { calls: Int32Array; tokens: Float64Array };

/**
 * The period's events as COPY lines, in timestamp order over [start, end): `hot` of them the hot
 * customer's (customer 0; calls and tokens in turn), evenly interleaved; the rest of customers
 * 1…n−1, skewed (customer ⌊r²·(n−1)⌋+1, so low numbers send far more than the mean and high ones
 * less: some customers use less than the allowance and some more) and half calls, half tokens
 * (1–100 a event). `customer_id` is NULL, as the server stores it when the sender gives none.
 */
function* billingLines(scope: Scope, n: number, total: number, hot: number, period: { start: number; end: number }, expected: Expected, seed = 21): Generator<string> {
  const random = prng(seed);
  const length = period.end - period.start;
  let hotSeen = 0;
  for (let i = 0; i < total; i++) {
    const isHot = Math.floor(((i + 1) * hot) / total) > Math.floor((i * hot) / total);
    const customer = isHot ? 0 : 1 + Math.floor(random() ** 2 * (n - 1));
    const calls = isHot ? hotSeen++ % 2 === 0 : random() < 0.5;
    const tokens = 1 + Math.floor(random() * 100);
    if (calls) expected.calls[customer]++;
    else expected.tokens[customer] += tokens;
    const timestamp = period.start + Math.floor(((i + 0.5) * length) / total);
    yield `${scope.tenantId}\t${scope.environmentId}\tbb_${i.toString(36).padStart(8, '0')}\t${externalId(customer)}\t\\N\t${calls ? callsEvent : tokensEvent}\t${source}\t${isoUtc(timestamp)}\t{"tokens":${tokens}}\n`;
  }
}

/** A decimal string as an exact count of hundredths (cents), or null when it has finer digits. */
export function cents(value: unknown): bigint | null {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(String(value ?? ''));
  if (!m) return null;
  const fraction = (m[3] ?? '').padEnd(2, '0');
  if (/[1-9]/.test(fraction.slice(2))) return null;
  const v = BigInt(m[2]) * 100n + BigInt(fraction.slice(0, 2));
  return m[1] ? -v : v;
}

type Catalogue = { fixedPriceId: string; callsPriceId: string; tokensPriceId: string; planId: string };
type Line = { price_id?: string; quantity?: string; amount?: string; adjusted_entitlement_quantity?: string };
type Invoice = { invoice_status: string; billing_reason: string; period_start: string; period_end: string; total: string; line_items?: Line[] };

/** What a period-end invoice (or the preview of that period) of customer `i` must hold; problems, or none. */
function checkInvoice(label: string, invoice: Invoice, cat: Catalogue, expected: Expected, i: number): string[] {
  const problems: string[] = [];
  const calls = expected.calls[i];
  const tokens = expected.tokens[i];
  const billedCalls = Math.max(calls - plan.included, 0);
  const line = (priceId: string) => (invoice.line_items ?? []).find((l) => l.price_id === priceId);
  const want = (what: string, got: unknown, value: bigint | number) => {
    const ok = typeof value === 'bigint' ? cents(got) === value : Number(got ?? 0) === value;
    if (!ok) problems.push(`${label}: ${what} ${String(got)}, expected ${typeof value === 'bigint' ? (Number(value) / 100).toFixed(2) : value}`);
  };
  const callsLine = line(cat.callsPriceId);
  want('billed calls', callsLine?.quantity ?? 0, billedCalls);
  want('calls amount', callsLine?.amount ?? '0', BigInt(billedCalls)); // × $0.01
  if (callsLine) want('calls included', callsLine.adjusted_entitlement_quantity ?? 0, Math.min(calls, plan.included));
  const tokensLine = line(cat.tokensPriceId);
  want('tokens', tokensLine?.quantity ?? 0, tokens);
  want('tokens amount', tokensLine?.amount ?? '0', BigInt(tokens)); // × $0.01
  want('fee', line(cat.fixedPriceId)?.amount, 2000n);
  want('total', invoice.total, 2000n + BigInt(billedCalls) + BigInt(tokens)); // $20 + (billed calls + tokens) × $0.01
  return problems;
}

/** The catalogue; its prices start at `since` (a price bills only from its own start_date, so they must be older than the subscriptions). */
async function createCatalogue(url: string, apiKey: string, since: Date): Promise<Catalogue & { callsMeterId: string; tokensMeterId: string }> {
  const post = (path: string, body: unknown) => callApi(url, apiKey, 'POST', path, body, [200, 201]) as Promise<{ id: string }>;
  const callsMeter = await post('/v1/meters', { name: 'API calls', event_name: callsEvent, aggregation: { type: 'COUNT' }, reset_usage: 'BILLING_PERIOD' });
  const tokensMeter = await post('/v1/meters', { name: 'LLM tokens', event_name: tokensEvent, aggregation: { type: 'SUM', field: 'tokens' }, reset_usage: 'BILLING_PERIOD' });
  const feature = await post('/v1/features', { type: 'metered', name: 'API calls', lookup_key: 'bench_api_calls', meter_id: callsMeter.id });
  const planRow = await post('/v1/plans', { name: 'Bench Pro', lookup_key: 'bench_pro' });
  const price = (body: Record<string, unknown>) =>
    post('/v1/prices', { entity_type: 'PLAN', entity_id: planRow.id, currency: 'usd', billing_period: 'MONTHLY', billing_period_count: 1, billing_model: 'FLAT_FEE', start_date: since.toISOString(), ...body });
  const fixed = await price({ type: 'FIXED', amount: plan.fee, invoice_cadence: 'ADVANCE', display_name: 'Platform fee' });
  const callsPrice = await price({ type: 'USAGE', meter_id: callsMeter.id, amount: plan.callPrice, invoice_cadence: 'ARREAR', display_name: 'API calls' });
  const tokensPrice = await price({ type: 'USAGE', meter_id: tokensMeter.id, amount: plan.tokenPrice, invoice_cadence: 'ARREAR', display_name: 'LLM tokens' });
  await post('/v1/entitlements', { plan_id: planRow.id, feature_id: feature.id, feature_type: 'metered', usage_limit: plan.included, usage_reset_period: 'MONTHLY' });
  return { planId: planRow.id, fixedPriceId: fixed.id, callsPriceId: callsPrice.id, tokensPriceId: tokensPrice.id, callsMeterId: callsMeter.id, tokensMeterId: tokensMeter.id };
}

/** The floor: the whole period's usage of every customer and both meters in one GROUP BY, as SQL. */
function floorQuery(scope: Scope, period: { start: string; end: string }) {
  return {
    sql:
      `SELECT external_customer_id, event_name, count(*) AS n, coalesce(sum((properties->>'tokens')::numeric), 0) AS total FROM events ` +
      `WHERE tenant_id = $1 AND environment_id = $2 AND event_name IN ($3, $4) AND "timestamp" >= $5 AND "timestamp" < $6 GROUP BY external_customer_id, event_name`,
    params: [scope.tenantId, scope.environmentId, callsEvent, tokensEvent, period.start, period.end],
  };
}

/** Period-end invoices made so far (drafts included) and finalized: the bill run renews every subscription, then finalizes. */
async function countInvoices(server: RunningProcess, apiKey: string, db: BenchDatabase | undefined, scope: Scope): Promise<{ made: number; finalized: number }> {
  if (db) {
    const [row] = await db.query<{ made: string | number; finalized: string | number }>(
      `SELECT count(*) AS made, count(*) FILTER (WHERE invoice_status = 'FINALIZED') AS finalized FROM invoices
        WHERE tenant_id = $1 AND environment_id = $2 AND billing_reason = 'SUBSCRIPTION_CYCLE'`,
      [scope.tenantId, scope.environmentId],
    );
    return { made: Number(row.made), finalized: Number(row.finalized) };
  }
  const total = async (query: string) =>
    ((await callApi(server.url, apiKey, 'GET', `/v1/invoices?billing_reason=SUBSCRIPTION_CYCLE&limit=1&skip_line_items=true${query}`, undefined, [200])) as { pagination: { total: number } }).pagination.total;
  return { made: await total(''), finalized: await total('&invoice_status=FINALIZED') };
}

export async function benchBilling(start: StartBillingServer, database: BillingDatabase, apiKey: string, options: BillingBenchOptions, log: Log): Promise<BillingSection> {
  const n = options.subscriptions;
  // 1. Setup, not measured: the catalogue, N customers and their subscriptions through the API, with no billing worker.
  let server = await start('billing setup, worker off', { TALLY_BILLING_WORKER: '0' });
  const start0 = startDate(new Date());
  const cat = await createCatalogue(server.url, apiKey, start0);
  log(`billing: creating ${n.toLocaleString('en-US')} customers and monthly subscriptions from ${start0.toISOString()} (${options.setupClients} clients)…`);
  const subscriptionIds: string[] = new Array(n);
  let period: { start: string; end: string } | undefined;
  const setupStarted = performance.now();
  let created = 0;
  await pool(n, options.setupClients, async (i) => {
    const customer = (await callApi(server.url, apiKey, 'POST', '/v1/customers', { external_id: externalId(i), name: `Bench ${i}` }, [201])) as { id: string };
    const sub = (await callApi(server.url, apiKey, 'POST', '/v1/subscriptions', { customer_id: customer.id, plan_id: cat.planId, currency: 'usd', billing_period: 'MONTHLY', start_date: start0.toISOString() }, [201])) as {
      id: string;
      subscription_status: string;
      current_period_start: string;
      current_period_end: string;
    };
    if (sub.subscription_status !== 'active') throw new Error(`subscription ${sub.id} is ${sub.subscription_status}, not active`);
    period ??= { start: sub.current_period_start, end: sub.current_period_end };
    if (sub.current_period_start !== period.start || sub.current_period_end !== period.end) throw new Error(`subscription ${sub.id} has another period than the first one`);
    subscriptionIds[i] = sub.id;
    if (++created % Math.max(1, Math.floor(n / 10)) === 0) log(`billing: ${created.toLocaleString('en-US')} subscriptions (${Math.round(created / ((performance.now() - setupStarted) / 1000))}/s)`);
  });
  const setupSeconds = (performance.now() - setupStarted) / 1000;
  log(`billing: ${n.toLocaleString('en-US')} subscriptions in ${setupSeconds.toFixed(1)} s; period ${period!.start} – ${period!.end}`);
  const periodMs = { start: Date.parse(period!.start), end: Date.parse(period!.end) };
  if (periodMs.end > Date.now()) throw new Error(`the period ends ${period!.end}, in the future: nothing would be due`);
  if (periodMs.end + 27 * 86_400_000 < Date.now()) throw new Error(`the period ends ${period!.end}: the next one would be due too`);
  await server.stop();

  // 2. The period's events by COPY, then the floor, with the bench's own connection.
  const expected: Expected = { calls: new Int32Array(n), tokens: new Float64Array(n) };
  const prepared = await database.withDb(async (db) => {
    const [row] = await db.query<{ tenant_id: string; environment_id: string }>('SELECT tenant_id, environment_id FROM subscriptions WHERE id = $1', [subscriptionIds[0]]);
    const scope: Scope = { tenantId: row.tenant_id, environmentId: row.environment_id };
    log(`billing: loading ${options.events.toLocaleString('en-US')} events (${options.hotEvents.toLocaleString('en-US')} of ${hotExternalId}) into the period…`);
    const pglite = database.kind === 'pglite';
    const load = await loadEvents(db, billingLines(scope, n, options.events, options.hotEvents, periodMs, expected), options.events, { chunkRows: pglite ? 200_000 : 5_000, rebuildIndexes: pglite, vacuum: !pglite }, log, 'billing events');
    log(`billing: ${load.events.toLocaleString('en-US')} events in ${load.seconds} s`);
    // The setup server has just filled these tables; without statistics the planner may pick plans
    // that cost the claims 30× (autovacuum analyzes them in its own time, sometimes during the run).
    await db.query('ANALYZE customers, subscriptions, subscription_line_items, invoices, invoice_line_items');
    const floor = floorQuery(scope, period!);
    const runs: number[] = [];
    let groups = 0;
    for (let r = 0; r < 4; r++) {
      const t = performance.now();
      const rows = await db.query<{ external_customer_id: string; event_name: string; n: string | number; total: string | number }>(floor.sql, floor.params);
      if (r > 0) runs.push((performance.now() - t) / 1000); // the first warms the cache
      groups = rows.length;
      if (r === 0) {
        for (const g of rows) {
          const i = g.external_customer_id === hotExternalId ? 0 : Number(g.external_customer_id.slice(5));
          const ok = g.event_name === callsEvent ? Number(g.n) === expected.calls[i] : Number(g.total) === expected.tokens[i];
          if (!ok) throw new Error(`bench bug: the floor query answered ${JSON.stringify(g)}, the generator expected ${expected.calls[i]} calls and ${expected.tokens[i]} tokens`);
        }
      }
    }
    const sorted = [...runs].sort((a, b) => a - b);
    const seconds = sorted[Math.floor(sorted.length / 2)];
    log(`billing: floor (one GROUP BY over the period) ${seconds.toFixed(3)} s, ${groups} groups (runs ${runs.map((s) => s.toFixed(3)).join(', ')} s)`);
    return { scope, load, floor: { sql: floor.sql, runs_s: runs.map((s) => round(s, 3)), seconds: round(seconds, 3), groups } };
  });

  // 3. The bill run: a server with the worker on, polling every second; done when every period-end invoice is finalized.
  const watch = await database.concurrent();
  try {
    // On PGlite the worker's first tick holds the event loop until the whole run is done, so the server listens only then: wait for it (a second a subscription, at least 3 minutes).
    server = await start('billing run, worker on', { TALLY_BILLING_WORKER: '1', TALLY_BILLING_POLL_SECONDS: '1' }, Math.max(180_000, n * 1000));
    const listeningAt = performance.now();
    log(`billing: bill run — ${n.toLocaleString('en-US')} renewals and finalizations, watched through ${watch ? 'the database' : 'GET /v1/invoices'}…`);
    let done = 0;
    let made = 0;
    let renewedAt: number | undefined;
    let lastProgress = performance.now();
    let nextReport = n / 10;
    for (;;) {
      const count = await countInvoices(server, apiKey, watch, prepared.scope);
      if (count.finalized !== done || count.made !== made) lastProgress = performance.now();
      done = count.finalized;
      made = count.made;
      if (made >= n) renewedAt ??= performance.now();
      if (made + done >= nextReport && done < n) {
        log(`billing: ${made.toLocaleString('en-US')} period-end invoices made, ${done.toLocaleString('en-US')} finalized (${((performance.now() - server.spawnedAt) / 1000).toFixed(1)} s)`);
        while (nextReport <= made + done) nextReport += n / 5;
      }
      if (done >= n) break;
      if (performance.now() - lastProgress > 120_000) throw new Error(`the bill run made no progress for 120 s (${made} made, ${done} finalized of ${n}); server log:\n${tail(server.logFile)}`);
      await new Promise((r) => setTimeout(r, watch ? 200 : 500));
    }
    const finishedAt = performance.now();
    if (made !== n) throw new Error(`${made} period-end invoices made for ${n} subscriptions`);
    if (done !== n) throw new Error(`${done} period-end invoices finalized for ${n} subscriptions`);
    const afterBillRun = server.memory();
    const seconds = (finishedAt - server.spawnedAt) / 1000;
    const ratioToFloor = round(seconds / prepared.floor.seconds, 2);
    log(`billing: ${n.toLocaleString('en-US')} invoices finalized in ${seconds.toFixed(2)} s from the server's start (${((finishedAt - listeningAt) / 1000).toFixed(2)} s from listening): ${Math.round(n / seconds)}/s, ${ratioToFloor}× the floor; peak RSS ${afterBillRun?.peak_rss_mb} MiB`);

    // 4. Correctness: the hot customer and a spread sample, each invoice against the generator's figures.
    const sample = [...new Set([0, ...Array.from({ length: Math.min(50, n - 1) }, (_, k) => 1 + Math.floor((k * (n - 1)) / Math.min(50, n - 1)))])];
    const problems: string[] = [];
    for (const i of sample) {
      const list = (await callApi(server.url, apiKey, 'GET', `/v1/invoices?subscription_id=${subscriptionIds[i]}&billing_reason=SUBSCRIPTION_CYCLE`, undefined, [200])) as { items: Invoice[] };
      if (list.items.length !== 1) {
        problems.push(`${externalId(i)}: ${list.items.length} period-end invoices, expected 1`);
        continue;
      }
      const invoice = list.items[0];
      if (invoice.invoice_status !== 'FINALIZED' || invoice.period_start !== period!.start || invoice.period_end !== period!.end) {
        problems.push(`${externalId(i)}: invoice ${invoice.invoice_status} for ${invoice.period_start} – ${invoice.period_end}`);
      }
      problems.push(...checkInvoice(externalId(i), invoice, cat, expected, i));
    }
    log(`billing: ${sample.length} subscriptions' invoices checked: ${problems.length ? `${problems.length} PROBLEMS: ${problems.slice(0, 5).join('; ')}` : 'all as built'}`);

    // 5. The hot customer's month previewed: warm-up, then measured.
    const body = JSON.stringify({ subscription_id: subscriptionIds[0], period_start: period!.start, period_end: period!.end });
    const samples: number[] = [];
    let previewProblems: string[] = [];
    for (let r = 0; r < options.warmupRuns + options.runs; r++) {
      const t = performance.now();
      const response = await fetch(`${server.url}/v1/invoices/preview`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': apiKey }, body });
      const text = await response.text();
      const ms = performance.now() - t;
      if (response.status !== 200) throw new Error(`POST /v1/invoices/preview answered ${response.status}: ${text.slice(0, 300)}`);
      if (r >= options.warmupRuns) samples.push(ms);
      if (r === 0) previewProblems = checkInvoice(`preview of ${hotExternalId}`, JSON.parse(text) as Invoice, cat, expected, 0);
    }
    const preview = summarize(samples);
    problems.push(...previewProblems);
    log(`billing: POST /v1/invoices/preview (${hotExternalId}, ${options.hotEvents.toLocaleString('en-US')} events) p50 ${preview.p50} ms, p99 ${preview.p99} ms${previewProblems.length ? ` — WRONG: ${previewProblems.join('; ')}` : ''}`);
    const atEnd = server.memory();
    await server.stop();

    const peak = atEnd?.peak_rss_mb ?? afterBillRun?.peak_rss_mb ?? NaN;
    const target =
      database.kind === 'postgres'
        ? { max_ratio_to_floor: 3, max_peak_rss_mb: 600, max_preview_p99_ms: 100, ratio_met: ratioToFloor <= 3, rss_met: peak < 600, preview_met: preview.p99 < 100, met: false }
        : undefined;
    if (target) target.met = target.ratio_met && target.rss_met && target.preview_met && !problems.length;
    return {
      subscriptions: n,
      events: options.events,
      hot_events: options.hotEvents,
      period: period!,
      plan: planText,
      setup: {
        subscriptions_s: round(setupSeconds, 1),
        subscriptions_per_s: Math.round(n / setupSeconds),
        clients: options.setupClients,
        load: { ...prepared.load, method: database.kind === 'pglite' ? 'COPY with the secondary indexes dropped, rebuilt after; ANALYZE' : 'COPY into the indexed table; VACUUM (ANALYZE)' },
      },
      floor: prepared.floor,
      bill_run: {
        invoices: n,
        seconds: round(seconds, 2),
        seconds_from_listening: round((finishedAt - listeningAt) / 1000, 2),
        renewals_done_s: renewedAt === undefined ? undefined : round((renewedAt - server.spawnedAt) / 1000, 2),
        invoices_per_s: Math.round(n / seconds),
        ratio_to_floor: ratioToFloor,
        watched_through: watch ? 'count of SUBSCRIPTION_CYCLE invoices made and FINALIZED, SQL, every 200 ms' : 'GET /v1/invoices pagination.total (made, FINALIZED), every 500 ms',
      },
      server_memory: { after_bill_run: afterBillRun, at_end: atEnd },
      preview: { ...preview, external_customer_id: hotExternalId, correct: !previewProblems.length },
      check: { subscriptions_checked: sample.length, correct: !problems.length, problems: problems.slice(0, 50) },
      target,
    };
  } finally {
    await watch?.close();
  }
}
