/**
 * The floor for single-event ingestion: the same framework (Koa, @koa/router, koa-body) with one
 * route that parses the JSON body and answers 202 with FlexPrice's body — no auth, no validation,
 * no database. The bench starts it as a child process, like the real server.
 */
import Router from '@koa/router';
import Koa from 'koa';
import { koaBody } from 'koa-body';
import type { AddressInfo } from 'node:net';

const app = new Koa();
const router = new Router();
router.post('/v1/events', koaBody(), (ctx) => {
  const body = ctx.request.body as { event_id?: string };
  ctx.status = 202;
  ctx.body = { message: 'Event accepted for processing', event_id: body.event_id ?? 'event_none' };
});
app.use(router.routes());
const server = app.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(JSON.stringify({ url: `http://127.0.0.1:${port}` }));
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
