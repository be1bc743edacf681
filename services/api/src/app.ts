import cors from '@koa/cors';
import Router from '@koa/router';
import type { MikroORM } from '@mikro-orm/core';
import { mountOperations, type OperationRow } from '@tally/contract';
import Koa, { type Middleware } from 'koa';
import type { Clock } from './clock.ts';
import { createHandlers } from './handlers.ts';
import { accessLog } from './http/access-log.ts';
import { authenticate } from './http/auth.ts';
import { mountDocs } from './http/docs.ts';
import { errorMapper, notFoundRoute } from './http/error-mapper.ts';
import { eventIngestionPaths, jsonBody } from './http/json-body.ts';
import { idempotency } from './http/idempotency.ts';
import { authorize } from './http/key-permissions.ts';
import { methodNotAllowed } from './http/method-not-allowed.ts';
import { notImplementedRouter } from './http/not-implemented.ts';
import type { RateLimitMiddleware } from './http/rate-limit.ts';
import { requestId } from './http/request-id.ts';
import type { Logger } from './logger.ts';
import type { RequestContext } from './request-context.ts';
import { createServices, type ServiceOptions, type Services } from './services.ts';
import type { AddressPolicy } from './modules/webhooks/index.ts';

export type AppOptions = {
  orm: MikroORM;
  clock: Clock;
  log: Logger;
  bodyLimit: string;
  /** Largest body of event ingestion (`POST /events`, `/events/bulk`); FlexPrice's 32 MiB by default. */
  eventsBodyLimit?: string;
  validateResponses: boolean;
  /** Counts every /v1 request; see http/rate-limit.ts. */
  rateLimit?: RateLimitMiddleware;
  /** Where webhooks may be delivered: private networks only when the operator allows it. */
  webhookPolicy?: AddressPolicy;
  /** At most one `event.rejected` per event name and environment within this window (0: every one). */
  rejectedEventWindowMs?: number;
  /** How long a test clock's advance request waits for its due work (see config.ts); 10 s by default. */
  advanceWaitMs?: number;
  /** Due-work handlers to register besides the built-in ones (tests register fakes). */
  dueWork?: ServiceOptions['dueWork'];
  /** How long after its period ends the bill run finalizes a period-end draft. */
  invoiceFinalizationDelayMs?: number;
};

const exposedHeaders = ['X-Request-ID', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'Retry-After', 'Idempotent-Replayed'];

/** A plain OPTIONS (not a CORS preflight) answers 200 with no body, as FlexPrice does. */
const options: Middleware = async (ctx, next) => {
  if (ctx.method !== 'OPTIONS') return next();
  ctx.status = 200;
};

/**
 * request id → access log → CORS → error envelope → rate limit → routes → 404.
 * Per operation: API key (secured ones) → key type allowed? → body → Idempotency-Key (POST) → validation → handler.
 */
export function createApp(opts: AppOptions): { app: Koa; services: Services } {
  const { orm, clock, log } = opts;
  const services = createServices(orm, clock, log, {
    webhookPolicy: opts.webhookPolicy ?? { allowPrivate: false },
    rejectedEventWindowMs: opts.rejectedEventWindowMs ?? 600_000,
    advanceWaitMs: opts.advanceWaitMs ?? 10_000,
    dueWork: opts.dueWork,
    onError: (err, what) => log.warn({ err }, `${what} failed`),
    invoiceFinalizationDelayMs: opts.invoiceFinalizationDelayMs ?? 0,
  });
  // Every operation with a body in the spec gets it read, DELETE included (FlexPrice's
  // `DELETE /prices/{id}` takes an optional `{end_date}`).
  const body = jsonBody({ limit: opts.bodyLimit, exactNumbers: false });
  // Event routes keep their own durability (group commit, dedup by event_id) outside a request
  // transaction, and a test clock's advance commits its claim before its due work runs in the background.
  const replay = idempotency(services.idempotency, { requestTransaction: true });
  const replayOutside = idempotency(services.idempotency, { requestTransaction: false });
  const commitsAsItGoes = (row: OperationRow) => row.path.startsWith('/events') || row.operationId === 'advanceTestClock';
  const ingestBody = jsonBody({ limit: opts.eventsBodyLimit ?? '32mb', exactNumbers: true, splitWhat: 'the batch' });
  const prepare = (row: OperationRow): Middleware[] => [
    ...(row.secured ? [authorize(row)] : []),
    ...(row.hasBody ? [eventIngestionPaths.has(row.path) ? ingestBody : body] : []),
    ...(row.secured && row.method === 'post' ? [commitsAsItGoes(row) ? replayOutside : replay] : []),
  ];
  const router = new Router();
  mountDocs(router);
  mountOperations<RequestContext>(router, createHandlers(services), {
    authenticate: authenticate(services.apiKeys),
    prepare,
    context: (ctx) => ({ auth: ctx.state.auth, requestId: ctx.state.requestId }),
    validateResponses: opts.validateResponses,
  });
  const app = new Koa({ proxy: false });
  app.use(requestId);
  app.use(accessLog(log));
  app.use(cors({ origin: '*', allowMethods: 'GET,POST,PUT,DELETE,OPTIONS', maxAge: 86400, exposeHeaders: exposedHeaders }));
  app.use(options);
  app.use(errorMapper(log));
  if (opts.rateLimit) app.use(opts.rateLimit(services.apiKeys));
  // FlexPrice routes Tally does not serve yet: 501, and before the contract router so that a literal
  // path such as /customers/usage is never read as /customers/{id}.
  app.use(notImplementedRouter(authenticate(services.apiKeys)).routes());
  app.use(router.routes());
  app.use(methodNotAllowed(router));
  app.use(notFoundRoute);
  return { app, services };
}
