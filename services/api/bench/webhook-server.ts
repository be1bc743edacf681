/**
 * The webhooks phase's Tally: the server exactly as `src/main.ts` starts it, plus a control port
 * (127.0.0.1, printed as `{"generator": url}`) through which the bench asks this process to commit
 * outbox events at a steady rate — the latency measurement's generator. It runs here, not in the
 * bench, because a PGlite database belongs to one process (and its one connection): events are
 * written the way a committing use case writes them, `recordAll` (insert + `pg_notify`) inside a
 * transaction on the server's own ORM, so the worker sees exactly what a request's commit produces.
 * The HTTP request path's own cost is measured separately (customers with and without endpoints).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../src/config.ts';
import { Transactions } from '../src/db/transactions.ts';
import { createLogger } from '../src/logger.ts';
import { recordAll, type NewWebhookEvent } from '../src/modules/webhooks/index.ts';
import { startServer } from '../src/server.ts';

export type GenerateRequest = {
  /** Events per second, committed `batch` per transaction on a fixed schedule, for `seconds`. */
  rate: number;
  seconds: number;
  batch: number;
};

export type GenerateResult = {
  /** [event id, commit time (ms since the epoch)]: when the transaction that wrote it had committed. */
  commits: Array<[string, number]>;
  /** First transaction started → last one committed, ms. */
  elapsedMs: number;
  /** How far behind its slot a transaction started, worst case (the event loop was busy), ms. */
  maxLagMs: number;
  /** Transactions that took longer than a slot: the generator could not keep the rate. */
  slowCommits: number;
};

const config = loadConfig();
const log = createLogger(config.logLevel);
const server = await startServer(config, { log });
const db = new Transactions(server.orm);
const auth = { tenantId: server.bootstrap.tenantId, environmentId: server.bootstrap.defaultEnvironmentId, secretId: '' };

async function generate({ rate, seconds, batch }: GenerateRequest): Promise<GenerateResult> {
  const transactions = Math.ceil((rate * seconds) / batch);
  const interval = (1000 * batch) / rate;
  const commits: Array<[string, number]> = [];
  const running: Promise<void>[] = [];
  let maxLagMs = 0;
  let slowCommits = 0;
  let n = 0;
  const t0 = performance.now() + 20;
  for (let i = 0; i < transactions; i++) {
    const slot = t0 + i * interval;
    const wait = slot - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    maxLagMs = Math.max(maxLagMs, performance.now() - slot);
    const at = new Date();
    const events: NewWebhookEvent[] = Array.from({ length: batch }, () => {
      const k = n++;
      return {
        eventType: 'customer.created',
        entityType: 'customer',
        entityId: `cust_bench_${k}`,
        at,
        payload: { customer: { id: `cust_bench_${k}`, external_id: `wh-latency-${k}`, name: `Latency ${k}`, email: 'bench@example.test', environment_id: auth.environmentId } },
      };
    });
    const started = performance.now();
    // Not awaited: the schedule is kept whatever one commit takes (an open-loop generator).
    running.push(
      db
        .run((tx) => recordAll(tx, auth, events))
        .then((ids) => {
          const committed = Date.now();
          if (performance.now() - started > interval) slowCommits++;
          for (const id of ids) commits.push([id, committed]);
        }),
    );
  }
  await Promise.all(running);
  return { commits, elapsedMs: performance.now() - t0, maxLagMs, slowCommits };
}

const control = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    if (req.method !== 'POST' || req.url !== '/generate') return void res.writeHead(404).end();
    generate(JSON.parse(Buffer.concat(chunks).toString('utf8')) as GenerateRequest).then(
      (result) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result)),
      (err: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(String((err as Error).stack ?? err)),
    );
  });
});
control.listen(0, '127.0.0.1', () => {
  const { port } = control.address() as AddressInfo;
  console.log(JSON.stringify({ generator: `http://127.0.0.1:${port}` }));
});

let signals = 0;
const shutdown = () => {
  if (++signals > 1) process.exit(1);
  control.close();
  server.close().then(
    () => process.exit(0),
    (err: unknown) => {
      log.error({ err }, 'shutdown failed');
      process.exit(1);
    },
  );
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
