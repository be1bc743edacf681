import type { Middleware } from 'koa';
import { ulid } from '../ids.ts';

const acceptable = /^[\w\-.:]{1,128}$/;

/** Reuses a sane client `X-Request-ID` or makes a ULID; always echoed on the response. */
export const requestId: Middleware = async (ctx, next) => {
  const given = ctx.get('X-Request-ID');
  const id = given && acceptable.test(given) ? given : ulid();
  ctx.state.requestId = id;
  ctx.set('X-Request-ID', id);
  await next();
};
