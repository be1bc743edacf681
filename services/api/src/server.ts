import { once } from 'node:events';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { MikroORM } from '@mikro-orm/core';
import { createApp } from './app.ts';
import { systemClock, type Clock } from './clock.ts';
import type { Config } from './config.ts';
import { lockDataDir } from './db/data-dir-lock.ts';
import { openOrm, type DatabaseTarget } from './db/orm.ts';
import { answerClientErrors } from './http/client-errors.ts';
import { Transactions } from './db/transactions.ts';
import { drainable } from './http/drain.ts';
import { createRateLimit, type RateLimit } from './http/rate-limit.ts';
import { createLogger, type Logger } from './logger.ts';
import { bootstrapTenancy, type BootstrapResult } from './modules/tenancy/index.ts';
import { listen } from './db/notifications.ts';
import { WebhookWorker } from './jobs/webhook-worker.ts';
import { BillingWorker } from './jobs/billing-worker.ts';
import type { ServiceOptions } from './services.ts';
import type { TestClockService } from './modules/test-clocks/index.ts';
import { WebhookDispatcher, WebhookSender, webhookChannel, type WebhookDeliveryService } from './modules/webhooks/index.ts';

export type RunningServer = {
  url: string;
  port: number;
  orm: MikroORM;
  bootstrap: BootstrapResult;
  /** The webhook delivery worker of this process (tests drive it with `runDue()`). */
  webhooks: WebhookWorker;
  /** The billing worker of this process (tests drive it with `tick()`). */
  billing: BillingWorker;
  /** Test clocks (tests wait for background advances with `settled()`). */
  testClocks: TestClockService;
  /** Stops accepting, lets in-flight requests finish, then closes the database. */
  close(): Promise<void>;
};

/** How long a stop waits for requests in flight before cutting their connections. */
const shutdownTimeoutMs = 10_000;

export type StartOptions = {
  /** Overrides the database chosen from the config (tests pass an in-memory PGlite). */
  database?: DatabaseTarget;
  clock?: Clock;
  log?: Logger;
  /** Due-work handlers to register besides the built-in ones (tests register fakes). */
  dueWork?: ServiceOptions['dueWork'];
};

function targetOf(config: Config): DatabaseTarget {
  return config.databaseUrl ? { kind: 'postgresql', url: config.databaseUrl } : { kind: 'pglite', dataDir: join(config.dataDir, 'pglite') };
}

/** Writes a newly created bootstrap key where only the owner can read it. */
function saveBootstrapKey(config: Config, key: string): string {
  const file = join(config.dataDir, 'bootstrap-api-key');
  mkdirSync(config.dataDir, { recursive: true });
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}

export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const log = options.log ?? createLogger(config.logLevel);
  const clock = options.clock ?? systemClock;
  const target = options.database ?? targetOf(config);
  const unlock = target.kind === 'pglite' ? await lockDataDir(config.dataDir) : undefined;
  let orm: MikroORM | undefined;
  let rateLimit: RateLimit | undefined;
  let webhooks: WebhookWorker | undefined;
  let billing: BillingWorker | undefined;
  let testClocks: TestClockService | undefined;
  try {
    orm = await openOrm(target);
    const bootstrap = await bootstrapTenancy(new Transactions(orm), clock, config.apiKey);
    if (bootstrap.createdApiKey) {
      // An in-memory database (tests) forgets the key with the process: nothing to save.
      const file = target.kind === 'pglite-memory' ? undefined : saveBootstrapKey(config, bootstrap.createdApiKey);
      log.warn(
        { api_key: bootstrap.createdApiKey, saved_to: file, environment_id: bootstrap.defaultEnvironmentId },
        `created the first API key; it is shown only now${file ? ` and saved to ${file}` : ''}`,
      );
    }
    rateLimit = await createRateLimit({
      ...config.rateLimit,
      databaseUrl: target.kind === 'postgresql' ? target.url : undefined,
      onPoolError: (err) => log.warn({ err }, 'rate-limit store connection lost; reconnecting'),
    });
    const { app, services } = createApp({
      orm,
      clock,
      log,
      bodyLimit: config.bodyLimit,
      eventsBodyLimit: config.eventsBodyLimit,
      validateResponses: config.validateResponses,
      rateLimit: rateLimit.middleware,
      webhookPolicy: { allowPrivate: config.webhooks.allowPrivate },
      rejectedEventWindowMs: config.webhooks.rejectedEventWindowMs,
      advanceWaitMs: config.billing.advanceWaitMs,
      dueWork: options.dueWork,
      invoiceFinalizationDelayMs: config.billing.finalizationDelayMs,
    });
    webhooks = startWebhooks(orm, target, config, clock, log, services.webhookDeliveries);
    await webhooks.start();
    testClocks = services.testClocks;
    // A PGlite data directory belongs to this process alone: an advance found running was a dead process's.
    if (target.kind !== 'postgresql') await testClocks.releaseAbandonedAtStart();
    billing = new BillingWorker(services.dueWork, clock, {
      automatic: config.billing.worker,
      pollMs: config.billing.pollMs,
      resumeAdvances: () => services.testClocks.resumeAbandoned(),
      onError: (err, what) => log.warn({ err }, `billing: ${what} failed`),
    });
    billing.start();
    const server: Server = app.listen(config.port, config.host);
    // An idle keep-alive connection is closed by the server only well after any client would stop
    // reusing it (undici keeps them 4 s, load balancers 60 s): with Node's default 5 s, a request sent
    // on a connection the server is closing at that moment fails with ECONNRESET (seen on a loaded
    // machine, where the two timers drift). headersTimeout must exceed it.
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
    answerClientErrors(server);
    const { drain } = drainable(server);
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    const url = `http://${host}:${port}`;
    log.info({ url, database: target.kind }, `Tally listening on ${url} (API under ${url}/v1, spec at ${url}/swagger/doc.json)`);
    const ormRef = orm;
    const limiterRef = rateLimit;
    const webhooksRef = webhooks;
    const billingRef = billing;
    const testClocksRef = testClocks;
    let closing: Promise<void> | undefined;
    const close = () =>
      (closing ??= (async () => {
        await drain(shutdownTimeoutMs);
        await billingRef.stop(shutdownTimeoutMs);
        await testClocksRef.stop(shutdownTimeoutMs);
        await webhooksRef.stop(shutdownTimeoutMs);
        await limiterRef.close();
        await ormRef.close(true);
        await unlock?.();
      })());
    return { url, port, orm, bootstrap, webhooks, billing, testClocks, close };
  } catch (err) {
    await billing?.stop(0);
    await testClocks?.stop(0);
    await webhooks?.stop(0);
    await rateLimit?.close();
    await orm?.close(true);
    await unlock?.();
    throw err;
  }
}

/** The delivery worker with its sender and dispatcher, configured from the environment. */
function startWebhooks(
  orm: MikroORM,
  target: DatabaseTarget,
  config: Config,
  clock: Clock,
  log: Logger,
  deliveries: WebhookDeliveryService,
): WebhookWorker {
  const c = config.webhooks;
  const onError = (err: unknown, what: string) => log.warn({ err }, `webhooks: ${what} failed`);
  const sender = new WebhookSender({ allowPrivate: c.allowPrivate, timeoutMs: c.timeoutMs, maxResponseBytes: 1024 });
  const dispatcher = new WebhookDispatcher(deliveries, sender, clock, {
    concurrency: c.concurrency,
    perEndpoint: c.perEndpointConcurrency,
    leaseMs: c.leaseMs,
    sendTimeoutMs: c.timeoutMs,
    onError,
  });
  return new WebhookWorker(dispatcher, deliveries, sender, {
    automatic: c.worker,
    pollMs: c.pollMs,
    retentionMs: c.retentionMs,
    // A PGlite data directory belongs to this process alone (it is locked): claims found in it are a dead process's.
    releaseClaimsAtStart: target.kind !== 'postgresql',
    listen: (onNotify) => listen(orm, target, webhookChannel, onNotify, (err) => onError(err, 'listening for new events')),
    onError,
  });
}
