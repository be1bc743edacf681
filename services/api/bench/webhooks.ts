/**
 * The webhooks phase (see README.md): the ceiling a local receiver takes from a plain load
 * generator; how fast Tally drains an outbox backlog to it; commit → receipt latency at a steady
 * 1,000 events/s; and what two active endpoints cost `POST /v1/customers`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { callApi, round, type HammerResult } from './load.ts';
import { memoryOf, spawnNode, waitForLogLine } from './processes.ts';
import { apiDir, type RunningProcess } from './servers.ts';
import { percentile, ratio } from './stats.ts';
import type { Log } from './steps.ts';
import type { GenerateRequest, GenerateResult } from './webhook-server.ts';

export type WebhookBenchOptions = {
  /** Events in the backlog drained by a fresh worker. */
  backlog: number;
  /** Events per second of the latency measurement, and for how long. */
  rate: number;
  rateSeconds: number;
  /** Events per transaction of the latency generator. */
  batch: number;
  connections: number;
  seconds: number;
  warmupSeconds: number;
};

export type WebhooksSection = {
  ceiling: { connections: number; seconds: number; req_per_s: number; latency_ms: { p50: number; p99: number } };
  drain: { events: number; seconds: number; deliveries_per_s: number; from_start_s: number; ratio_to_ceiling: number; target: { min_ratio: number; met: boolean } };
  latency: {
    target_events_per_s: number;
    achieved_events_per_s: number;
    events: number;
    events_per_transaction: number;
    generator_max_lag_ms: number;
    commit_to_receipt_ms: { p50: number; p99: number; max: number };
    target: { max_p99_ms: number; met: boolean };
  };
  ingestion: {
    connections: number;
    seconds: number;
    without_endpoints: HammerResult;
    with_two_endpoints: HammerResult & { deliveries_received: number };
    ratio: number;
    target: { min_ratio: number; met: boolean };
  };
};

/** Starts a Tally server for this phase, with extra environment. */
export type StartServer = (which: string, env: Record<string, string>) => Promise<RunningProcess>;

type Receiver = { url: string; stop(): Promise<void>; stats(): Promise<{ count: number; receipts: Array<[string, number]> }>; reset(): Promise<void> };

let receivers = 0;

async function startReceiver(tmp: string): Promise<Receiver> {
  // A log of its own: with PGlite then PostgreSQL in one run, an older receiver's line would name a dead port.
  const logFile = join(tmp, `webhook-receiver-${++receivers}.log`);
  const spawned = spawnNode(join(apiDir, 'bench/webhook-receiver.ts'), { cwd: apiDir, env: { ...process.env, NODE_ENV: 'production' }, logFile });
  const url = await waitForLogLine(spawned, logFile, (l) => (typeof l.url === 'string' ? l.url : undefined), 60_000);
  return {
    url,
    stop: () => spawned.stop(),
    stats: async () => (await (await fetch(`${url}/stats`)).json()) as { count: number; receipts: Array<[string, number]> },
    reset: async () => void (await fetch(`${url}/reset`, { method: 'POST' })),
  };
}

/** Wall clock, ms: the receiver and the server's generator stamp with the same one. */
const now = () => Date.now();

const sampleDelivery = JSON.stringify({
  event_type: 'customer.created',
  customer: { id: 'cust_01M8A2AV48544YMTQD7RZCV4VP', external_id: 'cust_123', environment_id: 'env_01M8A2AV48544YMTQD7RZCV4VP', name: 'Acme Corp', email: 'billing@acme.test', timezone: 'UTC' },
});

function hammerResult(result: autocannon.Result): HammerResult {
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = stat?.count ?? 0;
  return {
    requests: result.requests.total,
    acknowledged: result['2xx'],
    seconds: result.duration,
    req_per_s: Math.round(result['2xx'] / result.duration),
    latency_ms: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max, mean: round(result.latency.mean, 2) },
    non_2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    status_codes: statusCodes,
  };
}

/** `connections` connections POSTing for `seconds` (after a warm-up); every request a new customer when `customers` is set. */
async function hammer(url: string, path: string, options: { connections: number; seconds: number; warmupSeconds: number; apiKey?: string; customers?: string }): Promise<HammerResult> {
  let n = 0;
  const run = (seconds: number) =>
    autocannon({
      url,
      connections: options.connections,
      duration: seconds,
      pipelining: 1,
      timeout: 10,
      requests: [
        {
          method: 'POST',
          path,
          headers: { 'content-type': 'application/json', ...(options.apiKey ? { 'x-api-key': options.apiKey } : {}) },
          setupRequest: (request) => {
            const i = n++;
            request.body = options.customers ? JSON.stringify({ external_customer_id: `${options.customers}-${i}`, name: `Bench ${i}`, email: 'bench@example.test' }) : sampleDelivery;
            return request;
          },
        },
      ],
    });
  if (options.warmupSeconds > 0) await run(options.warmupSeconds);
  return hammerResult(await run(options.seconds));
}

async function waitForReceipts(receiver: Receiver, count: number, timeoutMs: number): Promise<Array<[string, number]>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const stats = await receiver.stats();
    if (stats.count >= count) return stats.receipts;
    if (Date.now() > deadline) throw new Error(`the receiver got ${stats.count} of ${count} deliveries within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The server entry the phase starts: Tally plus the latency generator's control port. */
export const webhookServerScript = 'bench/webhook-server.ts';

/** Asks the server process to commit events at a steady rate (webhook-server.ts); answers when the last one committed. */
async function generate(server: RunningProcess, request: GenerateRequest): Promise<GenerateResult> {
  let control: string | undefined;
  for (let tries = 0; control === undefined; tries++) {
    for (const line of readFileSync(server.logFile, 'utf8').split('\n')) {
      if (line.startsWith('{"generator"')) control = (JSON.parse(line) as { generator: string }).generator;
    }
    if (control === undefined) {
      if (tries > 100) throw new Error(`the server printed no generator control URL in ${server.logFile}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const response = await fetch(`${control}/generate`, { method: 'POST', body: JSON.stringify(request) });
  if (!response.ok) throw new Error(`the generator failed: ${await response.text()}`);
  return (await response.json()) as GenerateResult;
}

/** Runs `work(i)` for i < total, `concurrency` at a time. */
async function pool(total: number, concurrency: number, work: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < total) await work(next++);
  }));
}

export async function benchWebhooks(start: StartServer, apiKey: string, tmp: string, options: WebhookBenchOptions, log: Log): Promise<WebhooksSection> {
  const receiver = await startReceiver(tmp);
  const env = { TALLY_WEBHOOK_ALLOW_PRIVATE: '1' };
  try {
    // 1. The ceiling: the receiver under a plain load generator, with a delivery-sized body.
    log(`webhooks: ceiling — autocannon → receiver, ${options.connections} connections, ${options.seconds} s`);
    const ceiling = await hammer(receiver.url, '/hooks', options);
    log(`webhooks: ceiling ${ceiling.req_per_s} req/s (p99 ${ceiling.latency_ms.p99} ms)`);
    await receiver.reset();

    // 2. A backlog recorded while no worker delivers, then drained by a fresh one.
    let server = await start('webhooks, worker off', { ...env, TALLY_WEBHOOK_WORKER: '0' });
    const endpoint = (await callApi(server.url, apiKey, 'POST', '/v1/webhooks/endpoints', { url: `${receiver.url}/hooks`, event_types: ['customer.created'] }, [201])) as { id: string };
    log(`webhooks: recording a backlog of ${options.backlog} customer.created events (worker off)…`);
    await pool(options.backlog, 16, (i) => callApi(server.url, apiKey, 'POST', '/v1/customers', { external_customer_id: `wh-drain-${i}`, name: `Drain ${i}` }, [201]));
    await server.stop();
    server = await start('webhooks, worker on', env);
    const started = now();
    const drained = await waitForReceipts(receiver, options.backlog, 600_000);
    const times = drained.map(([, t]) => t).sort((a, b) => a - b);
    const drainSeconds = (times.at(-1)! - times[0]!) / 1000;
    const deliveriesPerS = Math.round(options.backlog / drainSeconds);
    log(`webhooks: drained ${options.backlog} deliveries in ${drainSeconds.toFixed(2)} s (${deliveriesPerS}/s; ${((times.at(-1)! - started) / 1000).toFixed(2)} s from the server start)`);
    await callApi(server.url, apiKey, 'DELETE', `/v1/webhooks/endpoints/${endpoint.id}`, undefined, [200]);
    await receiver.reset();

    // 3. Latency at a steady rate: the server process commits outbox events itself (insert + NOTIFY,
    // `batch` per transaction, on a fixed schedule; see webhook-server.ts); latency = receipt − commit.
    const latencyEndpoint = (await callApi(server.url, apiKey, 'POST', '/v1/webhooks/endpoints', { url: `${receiver.url}/hooks`, event_types: ['customer.created'] }, [201])) as { id: string };
    log(`webhooks: latency — ${options.rate} events/s for ${options.rateSeconds} s, committed ${options.batch} per transaction by the server process…`);
    const generated = await generate(server, { rate: options.rate, seconds: options.rateSeconds, batch: options.batch });
    const committed = new Map(generated.commits);
    const events = generated.commits.length;
    const achieved = Math.round(events / (generated.elapsedMs / 1000));
    const receipts = await waitForReceipts(receiver, events, 120_000);
    const latencies = receipts.map(([id, at]) => at - (committed.get(id) ?? NaN)).filter((l) => !Number.isNaN(l)).sort((a, b) => a - b);
    if (latencies.length !== events) throw new Error(`${latencies.length} of ${events} generated events were received`);
    const p99 = round(percentile(latencies, 99), 1);
    log(`webhooks: ${events} events at ${achieved}/s (generator lag ≤ ${Math.round(generated.maxLagMs)} ms, ${generated.slowCommits} slow commits) — commit → receipt p50 ${round(percentile(latencies, 50), 1)} ms, p99 ${p99} ms`);
    await callApi(server.url, apiKey, 'DELETE', `/v1/webhooks/endpoints/${latencyEndpoint.id}`, undefined, [200]);
    await receiver.reset();

    // 4. What delivering costs the request path: customer creation with two endpoints disabled, then
    // enabled, twice in turn (the machine's load moves; each figure is the better of its two runs).
    const hooks: string[] = [];
    for (const name of ['a', 'b']) {
      hooks.push(((await callApi(server.url, apiKey, 'POST', '/v1/webhooks/endpoints', { url: `${receiver.url}/hooks/${name}`, disabled: true }, [201])) as { id: string }).id);
    }
    const setEnabled = (enabled: boolean) => Promise.all(hooks.map((id) => callApi(server.url, apiKey, 'PUT', `/v1/webhooks/endpoints/${id}`, { disabled: !enabled }, [200])));
    const ingestOptions = { ...options, apiKey };
    const runs: { without: HammerResult[]; with: HammerResult[] } = { without: [], with: [] };
    let received = 0;
    for (let round = 0; round < 2; round++) {
      log(`webhooks: POST /v1/customers, endpoints disabled (round ${round + 1}), ${options.connections} connections, ${options.seconds} s…`);
      runs.without.push(await hammer(server.url, '/v1/customers', { ...ingestOptions, customers: `wh-plain-${round}` }));
      await setEnabled(true);
      const before = (await receiver.stats()).count;
      log(`webhooks: POST /v1/customers, two endpoints active (round ${round + 1})…`);
      runs.with.push(await hammer(server.url, '/v1/customers', { ...ingestOptions, customers: `wh-hooked-${round}` }));
      received += (await receiver.stats()).count - before;
      await setEnabled(false);
    }
    const best = (list: HammerResult[]) => list.reduce((a, b) => (b.req_per_s > a.req_per_s ? b : a));
    const without = best(runs.without);
    const withEndpoints = best(runs.with);
    log(`webhooks: ${runs.without.map((r) => r.req_per_s).join(' / ')} req/s without, ${runs.with.map((r) => r.req_per_s).join(' / ')} req/s with two endpoints (${received} deliveries received during those runs)`);
    log(`webhooks: server RSS ${memoryOf(server.pid)?.rss_mb} MiB`);
    await server.stop();

    const drainRatio = ratio(deliveriesPerS, ceiling.req_per_s);
    const ingestRatio = ratio(withEndpoints.req_per_s, without.req_per_s);
    return {
      ceiling: { connections: options.connections, seconds: options.seconds, req_per_s: ceiling.req_per_s, latency_ms: { p50: ceiling.latency_ms.p50, p99: ceiling.latency_ms.p99 } },
      drain: {
        events: options.backlog,
        seconds: round(drainSeconds, 3),
        deliveries_per_s: deliveriesPerS,
        from_start_s: round((times.at(-1)! - started) / 1000, 3),
        ratio_to_ceiling: drainRatio,
        target: { min_ratio: 0.5, met: drainRatio >= 0.5 },
      },
      latency: {
        target_events_per_s: options.rate,
        achieved_events_per_s: achieved,
        events,
        events_per_transaction: options.batch,
        generator_max_lag_ms: Math.round(generated.maxLagMs),
        commit_to_receipt_ms: { p50: round(percentile(latencies, 50), 1), p99, max: round(latencies.at(-1)!, 1) },
        target: { max_p99_ms: 1000, met: p99 < 1000 && achieved >= options.rate * 0.9 },
      },
      ingestion: {
        connections: options.connections,
        seconds: options.seconds,
        without_endpoints: without,
        with_two_endpoints: { ...withEndpoints, deliveries_received: received },
        ratio: ingestRatio,
        target: { min_ratio: 0.9, met: ingestRatio >= 0.9 },
      },
    };
  } finally {
    await receiver.stop();
  }
}
