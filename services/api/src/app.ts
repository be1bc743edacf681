import { readFileSync } from 'node:fs';
import cors from '@koa/cors';
import Router from '@koa/router';
import type { MikroORM } from '@mikro-orm/core';
import { mountOperations } from '@tally/contract';
import Koa from 'koa';
import { koaBody } from 'koa-body';
import type { Clock } from './clock.ts';
import { createHandlers } from './handlers.ts';
import { accessLog } from './http/access-log.ts';
import { authenticate } from './http/auth.ts';
import { errorMapper, notFoundRoute } from './http/error-mapper.ts';
import { requestId } from './http/request-id.ts';
import type { Logger } from './logger.ts';
import type { RequestContext } from './request-context.ts';
import { createServices, type Services } from './services.ts';

const bundledSpec = new URL('../../../spec/dist/openapi.json', import.meta.url);

export type AppOptions = {
  orm: MikroORM;
  clock: Clock;
  log: Logger;
  bodyLimit: string;
  validateResponses: boolean;
};

/** The Koa application: request id → log → CORS → errors → body → routes (auth per operation) → 404. */
export function createApp(options: AppOptions): { app: Koa; services: Services } {
  const { orm, clock, log } = options;
  const services = createServices(orm, clock, log);
  const app = new Koa({ proxy: false });
  const router = new Router();
  const spec = readFileSync(bundledSpec);
  router.get('/swagger/doc.json', (ctx) => {
    ctx.type = 'application/json';
    ctx.body = spec;
  });
  mountOperations<RequestContext>(router, createHandlers(orm, services), {
    authenticate: authenticate(services.apiKeys),
    context: (ctx) => ({ auth: ctx.state.auth, requestId: ctx.state.requestId }),
    validateResponses: options.validateResponses,
  });
  app.use(requestId);
  app.use(accessLog(log));
  app.use(cors({ origin: '*', allowMethods: 'GET,POST,PUT,DELETE,OPTIONS', maxAge: 86400, exposeHeaders: ['X-Request-ID'] }));
  app.use(errorMapper(log, options.bodyLimit));
  app.use(koaBody({ jsonLimit: options.bodyLimit, text: false, urlencoded: false, multipart: false, jsonStrict: true }));
  app.use(router.routes());
  app.use(notFoundRoute);
  return { app, services };
}
