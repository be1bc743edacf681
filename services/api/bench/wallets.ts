/**
 * The wallets phase (see README.md): `GET /v1/wallets/{id}/balance/real-time` of a customer whose
 * current period holds N events, beside the hand-written SQL of the same sums; and 50 clients
 * debiting one wallet, beside a bare `UPDATE … credit_balance - 1` loop on the same row, with the
 * ledger checked for lost updates afterwards.
 */
import { loadavg } from 'node:os';
import { type BenchDatabase, breathe } from './database.ts';
import { isoUtc, source, type Scope } from './dataset.ts';
import { callApi, round } from './load.ts';
import { cents, type BillingDatabase, type StartBillingServer } from './billing.ts';
import { summarize, type LatencySummary } from './stats.ts';
import { loadEvents, type EventsLoad, type Log } from './steps.ts';

export type WalletBenchOptions = {
  /** Events of the measured customer in its subscription's current period. */
  events: number;
  /** Real-time balance requests measured, after `warmupRuns`. */
  runs: number;
  warmupRuns: number;
  /** Debits measured (1 credit each), and the concurrent clients sending them. */
  debits: number;
  clients: number;
};

type BalanceAnswer = { credit_balance: string; balance: string; current_period_usage: string; unpaid_invoices_amount: string; real_time_balance: string; real_time_credit_balance: string };

export type WalletsSection = {
  /** The machine's 1, 5 and 15 min load average when the phase began and ended: other work shares it. */
  load_average: { at_start: number[]; at_end: number[] };
  events: number;
  period: { start: string; end: string };
  plan: string;
  setup: { seconds: number; load: EventsLoad & { method: string } };
  real_time: {
    wallet_id: string;
    runs: number;
    warmup_runs: number;
    /** How the API and its floor took turns. */
    order: string;
    api: LatencySummary;
    floor: LatencySummary & { sql: string };
    ratio_p50: number;
    ratio_p99: number;
    answer: BalanceAnswer;
    expected: { credit_balance: string; current_period_usage: string; unpaid_invoices_amount: string; real_time_balance: string };
    floor_answer: { events: number; unpaid: string };
    correct: boolean;
    problems: string[];
    target?: { max_p99_ms: number; met: boolean };
  };
  debits: {
    wallet_id: string;
    clients: number;
    requests: number;
    warmup_requests: number;
    initial_credits: number;
    api: { seconds: number; tx_per_s: number; succeeded: number; failed: number; status_codes: Record<string, number>; latency_ms: LatencySummary };
    floor: { sql: string; connections: number; updates: number; seconds: number; tx_per_s: number; latency_ms: LatencySummary };
    ratio_tx_per_s: number;
    check: {
      final_credit_balance: string;
      expected_credit_balance: number;
      ledger_rows: number;
      expected_ledger_rows: number;
      debit_rows: number;
      distinct_balances_answered: number;
      distinct_balances_in_ledger: number;
      ledger_sum: string;
      correct: boolean;
      problems: string[];
    };
  };
  server_memory?: { rss_mb: number; peak_rss_mb: number };
};

const eventName = 'bench.wallet_call';
const price = '0.01';
const planText = `$${price} a call (COUNT meter, USAGE, monthly in arrears); the wallet PRE_PAID, usd, allowed price types USAGE (the default)`;
const hotExternalId = 'wallet_hot';
const debitExternalId = 'wallet_debit';
/** Credits loaded into the measured wallet: far more than the period's usage, so the real-time balance stays positive. */
const realTimeCredits = 1_000_000;

/** The subscription's start: UTC midnight three days ago, so the current monthly period began then and holds the events. */
function startDate(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - 3));
}

/** `total` calls of the measured customer, evenly over [start, end), as COPY lines (ids `wl_…`). */
function* walletLines(scope: Scope, customerId: string, total: number, start: number, end: number): Generator<string> {
  const length = end - start;
  for (let i = 0; i < total; i++) {
    const timestamp = start + Math.floor(((i + 0.5) * length) / total);
    yield `${scope.tenantId}\t${scope.environmentId}\twl_${i.toString(36).padStart(8, '0')}\t${hotExternalId}\t${customerId}\t${eventName}\t${source}\t${isoUtc(timestamp)}\t{"model":"m-small","region":"eu-west-1"}\n`;
  }
}

/**
 * The floor of the real-time balance: what it sums, as one hand-written statement — the customer's
 * events of the meter over the current period (COUNT, through events_usage_idx as the API reads
 * them) and what its unpaid finalized invoices in the currency still hold.
 */
function floorQuery(scope: Scope, customerId: string, period: { start: string; end: string }) {
  return {
    sql:
      `SELECT (SELECT count(*) FROM events WHERE tenant_id = $1 AND environment_id = $2 AND external_customer_id = $3 AND event_name = $4 AND "timestamp" >= $5 AND "timestamp" < $6) AS events, ` +
      `(SELECT coalesce(sum(amount_remaining), 0) FROM invoices WHERE tenant_id = $1 AND environment_id = $2 AND customer_id = $7 AND currency = 'usd' AND status = 'published' ` +
      `AND invoice_status = 'FINALIZED' AND amount_remaining > 0) AS unpaid`,
    params: [scope.tenantId, scope.environmentId, hotExternalId, eventName, period.start, period.end, customerId],
  };
}

const loadAverage = () => loadavg().map((l) => round(l, 2));

const updateSql = 'UPDATE wallets SET credit_balance = credit_balance - 1 WHERE id = $1 RETURNING credit_balance';

type Timed<T> = { ms: number; value: T };
type FloorAnswer = { events: number; unpaid: string };

async function timeFloor(db: BenchDatabase, floor: { sql: string; params: unknown[] }): Promise<Timed<FloorAnswer>> {
  await breathe(); // outside the clock: PGlite's answers would otherwise starve the event loop
  const started = performance.now();
  const [row] = await db.query<{ events: string | number; unpaid: string | number }>(floor.sql, floor.params);
  return { ms: performance.now() - started, value: { events: Number(row.events), unpaid: String(row.unpaid) } };
}

/** One real-time balance request, timed to the last byte of the answer (parsing excluded). */
async function timeBalance(url: string, apiKey: string, walletId: string): Promise<Timed<BalanceAnswer>> {
  const started = performance.now();
  const response = await fetch(`${url}/v1/wallets/${walletId}/balance/real-time`, { headers: { 'x-api-key': apiKey } });
  const text = await response.text();
  const ms = performance.now() - started;
  if (response.status !== 200) throw new Error(`GET /v1/wallets/${walletId}/balance/real-time answered ${response.status}: ${text.slice(0, 300)}`);
  return { ms, value: JSON.parse(text) as BalanceAnswer };
}

/** What the real-time answer must say: the usage is events × $0.01, nothing unpaid, and the balance less both. */
function checkBalance(answer: BalanceAnswer, events: number): string[] {
  const problems: string[] = [];
  const want = (what: keyof BalanceAnswer, value: bigint) => {
    if (cents(answer[what]) !== value) problems.push(`${what} ${answer[what]}, expected ${(Number(value) / 100).toFixed(2)}`);
  };
  want('credit_balance', BigInt(realTimeCredits) * 100n);
  want('current_period_usage', BigInt(events)); // events × $0.01, in cents
  want('unpaid_invoices_amount', 0n);
  want('real_time_balance', BigInt(realTimeCredits) * 100n - BigInt(events));
  want('real_time_credit_balance', BigInt(realTimeCredits) * 100n - BigInt(events)); // conversion rate 1
  return problems;
}

/** Runs `work(i)` for i < total, `concurrency` at a time. */
async function pool(total: number, concurrency: number, work: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < total) await work(next++);
  }));
}

type DebitRun = { seconds: number; latencies: number[]; succeeded: number; failed: number; statusCodes: Record<string, number>; balances: Set<string>; firstError?: string };

/** `total` manual debits of 1 credit from `clients` concurrent keep-alive clients, each key unique. */
async function debitOverHttp(url: string, apiKey: string, walletId: string, prefix: string, total: number, clients: number): Promise<DebitRun> {
  const run: DebitRun = { seconds: 0, latencies: [], succeeded: 0, failed: 0, statusCodes: {}, balances: new Set() };
  const started = performance.now();
  await pool(total, clients, async (i) => {
    const body = JSON.stringify({ credits: '1', transaction_reason: 'MANUAL_BALANCE_DEBIT', idempotency_key: `${prefix}-${i}` });
    const t = performance.now();
    let status = 'error';
    let text = '';
    try {
      const response = await fetch(`${url}/v1/wallets/${walletId}/debit`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': apiKey }, body });
      text = await response.text();
      status = String(response.status);
    } catch (err) {
      text = (err as Error).message;
    }
    run.latencies.push(performance.now() - t);
    run.statusCodes[status] = (run.statusCodes[status] ?? 0) + 1;
    if (status === '200') {
      run.succeeded++;
      run.balances.add(String((JSON.parse(text) as { credit_balance: string }).credit_balance));
    } else {
      run.failed++;
      run.firstError ??= `${status}: ${text.slice(0, 300)}`;
    }
  });
  run.seconds = (performance.now() - started) / 1000;
  return run;
}

/** The floor: `total` bare UPDATEs of the wallet's row, over the given connections at once (one: sequential). */
async function updateLoop(connections: BenchDatabase[], walletId: string, total: number): Promise<{ seconds: number; latencies: number[] }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(connections.map(async (db) => {
    while (next < total) {
      next++;
      if (connections.length === 1) await breathe(); // PGlite: let the event loop run (see breathe)
      const t = performance.now();
      await db.query(updateSql, [walletId]);
      latencies.push(performance.now() - t);
    }
  }));
  return { seconds: (performance.now() - started) / 1000, latencies };
}

type LedgerRow = { credit_balance: string; rows: string | number; debits: string | number; distinct_after: string | number; ledger_sum: string };

async function readLedger(db: BenchDatabase, walletId: string): Promise<LedgerRow> {
  const [row] = await db.query<LedgerRow>(
    `SELECT w.credit_balance::text AS credit_balance,
            (SELECT count(*) FROM wallet_transactions t WHERE t.wallet_id = w.id) AS rows,
            (SELECT count(*) FROM wallet_transactions t WHERE t.wallet_id = w.id AND t.transaction_reason = 'MANUAL_BALANCE_DEBIT') AS debits,
            (SELECT count(DISTINCT t.credit_balance_after) FROM wallet_transactions t WHERE t.wallet_id = w.id AND t.type = 'debit') AS distinct_after,
            (SELECT coalesce(sum(CASE WHEN t.type = 'credit' THEN t.credit_amount ELSE -t.credit_amount END), 0)::text
               FROM wallet_transactions t WHERE t.wallet_id = w.id AND t.transaction_status = 'completed') AS ledger_sum
       FROM wallets w WHERE w.id = $1`,
    [walletId],
  );
  return row;
}

/**
 * The ledger after the debits, for lost updates: balance = initial − debits answered 200, one ledger
 * row and one distinct balance (answered and stored) per debit, and the ledger adds up to the balance.
 */
function checkLedger(row: LedgerRow, initial: number, run: { succeeded: number; balances: Set<string> }): WalletsSection['debits']['check'] {
  const problems: string[] = [];
  const expectedBalance = initial - run.succeeded;
  const expectedRows = 1 + run.succeeded; // the initial FREE_CREDIT_GRANT and one debit each
  if (Number(row.credit_balance) !== expectedBalance) problems.push(`credit_balance ${row.credit_balance}, expected ${expectedBalance} (${initial} − ${run.succeeded} debits answered 200)`);
  if (Number(row.rows) !== expectedRows) problems.push(`${row.rows} ledger rows, expected ${expectedRows}`);
  if (Number(row.debits) !== run.succeeded) problems.push(`${row.debits} MANUAL_BALANCE_DEBIT rows for ${run.succeeded} debits answered 200`);
  if (Number(row.distinct_after) !== run.succeeded) problems.push(`${row.distinct_after} distinct credit_balance_after among ${run.succeeded} debits: two debits read the same balance`);
  if (run.balances.size !== run.succeeded) problems.push(`${run.balances.size} distinct credit_balance answered by ${run.succeeded} debits`);
  if (Number(row.ledger_sum) !== Number(row.credit_balance)) problems.push(`the ledger adds up to ${row.ledger_sum}, the wallet says ${row.credit_balance}`);
  return {
    final_credit_balance: String(row.credit_balance),
    expected_credit_balance: expectedBalance,
    ledger_rows: Number(row.rows),
    expected_ledger_rows: expectedRows,
    debit_rows: Number(row.debits),
    distinct_balances_answered: run.balances.size,
    distinct_balances_in_ledger: Number(row.distinct_after),
    ledger_sum: String(row.ledger_sum),
    correct: !problems.length,
    problems,
  };
}

export async function benchWallets(start: StartBillingServer, database: BillingDatabase, apiKey: string, options: WalletBenchOptions, log: Log): Promise<WalletsSection> {
  const pglite = database.kind === 'pglite';
  const loadAtStart = loadAverage();
  const warmupDebits = Math.max(options.clients, Math.floor(options.debits / 10));
  const debitCredits = warmupDebits + options.debits;

  // 1. Setup through the API, not measured: a COUNT meter, a plan with its usage price, the measured
  // customer with a monthly subscription started three days ago and a wallet, the debited customer's wallet.
  const setupStarted = performance.now();
  let server = await start('wallets setup', {});
  const since = startDate(new Date());
  const post = (path: string, body: unknown, expect = [200, 201]) => callApi(server.url, apiKey, 'POST', path, body, expect) as Promise<Record<string, string>>;
  const meter = await post('/v1/meters', { name: 'Wallet calls', event_name: eventName, aggregation: { type: 'COUNT' }, reset_usage: 'BILLING_PERIOD' });
  const plan = await post('/v1/plans', { name: 'Bench Wallet', lookup_key: 'bench_wallet' });
  await post('/v1/prices', {
    entity_type: 'PLAN', entity_id: plan.id, currency: 'usd', billing_period: 'MONTHLY', billing_period_count: 1, billing_model: 'FLAT_FEE',
    type: 'USAGE', meter_id: meter.id, amount: price, invoice_cadence: 'ARREAR', display_name: 'Calls', start_date: since.toISOString(),
  });
  const hot = await post('/v1/customers', { external_id: hotExternalId, name: 'Wallet bench (real-time)' }, [201]);
  const sub = await post('/v1/subscriptions', { customer_id: hot.id, plan_id: plan.id, currency: 'usd', billing_period: 'MONTHLY', start_date: since.toISOString() }, [201]);
  if (sub.subscription_status !== 'active') throw new Error(`subscription ${sub.id} is ${sub.subscription_status}, not active`);
  const period = { start: sub.current_period_start, end: sub.current_period_end };
  if (!(Date.parse(period.start) < Date.now() && Date.now() < Date.parse(period.end))) throw new Error(`the subscription's current period ${period.start} – ${period.end} does not hold now`);
  const realTimeWallet = await post('/v1/wallets', { customer_id: hot.id, currency: 'usd', initial_credits_to_load: String(realTimeCredits) }, [200]);
  const debitCustomer = await post('/v1/customers', { external_id: debitExternalId, name: 'Wallet bench (debits)' }, [201]);
  const debitWallet = await post('/v1/wallets', { customer_id: debitCustomer.id, currency: 'usd', initial_credits_to_load: String(debitCredits) }, [200]);
  log(`wallets: subscription ${sub.id}, period ${period.start} – ${period.end}; wallets ${realTimeWallet.id} (${realTimeCredits.toLocaleString('en-US')} credits), ${debitWallet.id} (${debitCredits.toLocaleString('en-US')} credits)`);
  await server.stop();

  // 2. The period's events by COPY (up to a minute ago); on PGlite the real-time floor runs now, while no server does.
  const prepared = await database.withDb(async (db) => {
    const [row] = await db.query<{ tenant_id: string; environment_id: string }>('SELECT tenant_id, environment_id FROM customers WHERE id = $1', [hot.id]);
    const scope: Scope = { tenantId: row.tenant_id, environmentId: row.environment_id };
    const floor = floorQuery(scope, hot.id, period);
    log(`wallets: loading ${options.events.toLocaleString('en-US')} events of ${hotExternalId} into the current period…`);
    const lines = walletLines(scope, hot.id, options.events, Date.parse(period.start), Date.now() - 60_000);
    const load = await loadEvents(db, lines, options.events, { chunkRows: pglite ? 200_000 : 5_000, rebuildIndexes: pglite, vacuum: !pglite }, log, 'wallet events');
    // The setup server has just written these rows: give the planner their statistics (autovacuum would, in its own time).
    await db.query('ANALYZE customers, subscriptions, subscription_line_items, invoices, invoice_line_items, wallets, wallet_transactions');
    const first = await timeFloor(db, floor);
    if (first.value.events !== options.events || cents(first.value.unpaid) !== 0n) throw new Error(`bench bug: the floor answered ${JSON.stringify(first.value)}, expected ${options.events} events and nothing unpaid`);
    const floorSamples: number[] = [];
    if (pglite) {
      for (let r = 0; r < options.warmupRuns + options.runs; r++) {
        const t = await timeFloor(db, floor);
        if (r >= options.warmupRuns) floorSamples.push(t.ms);
      }
    }
    return { load, floor, floorSamples, floorAnswer: first.value };
  });
  log(`wallets: ${prepared.load.events.toLocaleString('en-US')} events in ${prepared.load.seconds} s`);
  const setupSeconds = (performance.now() - setupStarted) / 1000;
  const floor = prepared.floor;

  // 3. The real-time balance: sequential requests; on PostgreSQL interleaved with the floor, each run in the other order than the last.
  server = await start('wallets', {});
  const watch = await database.concurrent();
  try {
    const apiSamples: number[] = [];
    const floorSamples = prepared.floorSamples;
    let answer: BalanceAnswer | undefined;
    let floorAnswer: FloorAnswer = prepared.floorAnswer;
    const problems = new Set<string>();
    log(`wallets: real-time balance — ${options.warmupRuns} warm-up, then ${options.runs} measured requests${watch ? ', interleaved with the floor' : ''}…`);
    for (let r = 0; r < options.warmupRuns + options.runs; r++) {
      const api = async () => {
        const t = await timeBalance(server.url, apiKey, realTimeWallet.id);
        answer = t.value;
        for (const p of checkBalance(t.value, options.events)) problems.add(p);
        if (r >= options.warmupRuns) apiSamples.push(t.ms);
      };
      const sql = async () => {
        const t = await timeFloor(watch!, floor);
        floorAnswer = t.value;
        if (r >= options.warmupRuns) floorSamples.push(t.ms);
      };
      if (!watch) await api();
      else if (r % 2 === 0) {
        await sql();
        await api();
      } else {
        await api();
        await sql();
      }
    }
    const apiSummary = summarize(apiSamples);
    const floorSummary = summarize(floorSamples);
    log(`wallets: real-time balance p50 ${apiSummary.p50} ms, p99 ${apiSummary.p99} ms; floor p50 ${floorSummary.p50} ms, p99 ${floorSummary.p99} ms; ` +
      `usage ${answer!.current_period_usage}, unpaid ${answer!.unpaid_invoices_amount}, real-time ${answer!.real_time_balance}${problems.size ? ` — WRONG: ${[...problems].join('; ')}` : ''}`);

    // 4. Debits: a warm-up, then the measured run, all against one wallet; then the ledger, then the floor on the same row (restored after).
    log(`wallets: debits — ${warmupDebits} warm-up, then ${options.debits.toLocaleString('en-US')} from ${options.clients} clients…`);
    const warm = await debitOverHttp(server.url, apiKey, debitWallet.id, 'bench-warm', warmupDebits, options.clients);
    const debits = await debitOverHttp(server.url, apiKey, debitWallet.id, 'bench-debit', options.debits, options.clients);
    const debitLatency = summarize(debits.latencies);
    const txPerS = Math.round(debits.succeeded / debits.seconds);
    const failed = warm.failed + debits.failed;
    log(`wallets: ${debits.succeeded} debits in ${debits.seconds.toFixed(2)} s: ${txPerS} tx/s, p50 ${debitLatency.p50} ms, p99 ${debitLatency.p99} ms` +
      (failed ? `; ${failed} FAILED ${JSON.stringify({ warm_up: warm.statusCodes, measured: debits.statusCodes })}: ${debits.firstError ?? warm.firstError}` : ''));
    const serverMemory = server.memory();
    if (!watch) await server.stop(); // PGlite: the bench opens the data directory only while no server runs
    const all = { succeeded: warm.succeeded + debits.succeeded, balances: new Set([...warm.balances, ...debits.balances]) };

    const floorConnections = pglite ? 1 : options.clients;
    const afterDebits = await database.withDb(async (db) => {
      const check = checkLedger(await readLedger(db, debitWallet.id), debitCredits, all);
      const more = pglite ? [] : await Promise.all(Array.from({ length: floorConnections - 1 }, () => database.concurrent() as Promise<BenchDatabase>));
      try {
        log(`wallets: floor — ${options.debits.toLocaleString('en-US')} bare UPDATEs of the wallet's row, ${pglite ? 'sequential' : `${floorConnections} connections`}…`);
        const loop = await updateLoop([db, ...more], debitWallet.id, options.debits);
        await db.query('UPDATE wallets SET credit_balance = credit_balance + $2 WHERE id = $1', [debitWallet.id, options.debits]);
        const [restored] = await db.query<{ credit_balance: string }>('SELECT credit_balance::text AS credit_balance FROM wallets WHERE id = $1', [debitWallet.id]);
        if (restored.credit_balance !== check.final_credit_balance) throw new Error(`after the floor's UPDATEs and the restore, credit_balance is ${restored.credit_balance}, not ${check.final_credit_balance}`);
        return { check, loop };
      } finally {
        for (const c of more) await c.close();
      }
    });
    if (watch) await server.stop();
    const floorLatency = summarize(afterDebits.loop.latencies);
    const floorTxPerS = Math.round(options.debits / afterDebits.loop.seconds);
    const check = afterDebits.check;
    log(`wallets: floor ${floorTxPerS} tx/s (p50 ${floorLatency.p50} ms, p99 ${floorLatency.p99} ms); ledger ${check.correct ? `as built: balance ${check.final_credit_balance}, ${check.ledger_rows} rows` : `WRONG: ${check.problems.join('; ')}`}`);

    const realTimeProblems = [...problems];
    if (floorAnswer.events !== options.events || cents(floorAnswer.unpaid) !== cents(answer!.unpaid_invoices_amount)) {
      realTimeProblems.push(`the floor answered ${JSON.stringify(floorAnswer)}, the API ${answer!.current_period_usage} usage and ${answer!.unpaid_invoices_amount} unpaid`);
    }
    return {
      load_average: { at_start: loadAtStart, at_end: loadAverage() },
      events: options.events,
      period,
      plan: planText,
      setup: { seconds: round(setupSeconds, 1), load: { ...prepared.load, method: pglite ? 'COPY with the secondary indexes dropped, rebuilt after; ANALYZE' : 'COPY into the indexed table; VACUUM (ANALYZE)' } },
      real_time: {
        wallet_id: realTimeWallet.id,
        runs: options.runs,
        warmup_runs: options.warmupRuns,
        order: watch ? 'SQL and API alternately, each run in the other order than the last' : 'the floor in the bench process while no server ran, then the API',
        api: apiSummary,
        floor: { ...floorSummary, sql: floor.sql },
        ratio_p50: round(apiSummary.p50 / floorSummary.p50, 2),
        ratio_p99: round(apiSummary.p99 / floorSummary.p99, 2),
        answer: {
          credit_balance: answer!.credit_balance,
          balance: answer!.balance,
          current_period_usage: answer!.current_period_usage,
          unpaid_invoices_amount: answer!.unpaid_invoices_amount,
          real_time_balance: answer!.real_time_balance,
          real_time_credit_balance: answer!.real_time_credit_balance,
        },
        expected: {
          credit_balance: String(realTimeCredits),
          current_period_usage: String(options.events / 100), // events × $0.01
          unpaid_invoices_amount: '0',
          real_time_balance: String((realTimeCredits * 100 - options.events) / 100),
        },
        floor_answer: floorAnswer,
        correct: !realTimeProblems.length,
        problems: realTimeProblems,
        target: pglite ? undefined : { max_p99_ms: 50, met: apiSummary.p99 < 50 && !realTimeProblems.length },
      },
      debits: {
        wallet_id: debitWallet.id,
        clients: options.clients,
        requests: options.debits,
        warmup_requests: warmupDebits,
        initial_credits: debitCredits,
        api: { seconds: round(debits.seconds, 3), tx_per_s: txPerS, succeeded: debits.succeeded, failed, status_codes: debits.statusCodes, latency_ms: debitLatency },
        floor: { sql: updateSql, connections: floorConnections, updates: options.debits, seconds: round(afterDebits.loop.seconds, 3), tx_per_s: floorTxPerS, latency_ms: floorLatency },
        ratio_tx_per_s: round(txPerS / floorTxPerS, 3),
        check,
      },
      server_memory: serverMemory,
    };
  } finally {
    await watch?.close();
  }
}
