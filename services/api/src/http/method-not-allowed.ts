import type Router from '@koa/router';
import type { Middleware } from 'koa';
import { AppError } from '../errors/app-error.ts';

/** The methods a path answers: its routes', HEAD with GET, and OPTIONS (answered on every path). */
function allowedOn(router: Router, path: string): string[] {
  const methods = new Set<string>();
  for (const layer of router.match(path, 'GET').path) for (const m of layer.methods) methods.add(m);
  if (!methods.size) return [];
  methods.add('OPTIONS');
  return [...methods];
}

/**
 * A known path asked with a method it does not have (`PATCH /v1/customers/{id}`, `TRACE`) answers
 * 405 with an `Allow` header, in the error envelope; a path nobody serves goes on to the 404.
 * Mounted after the router, which passes on what it did not answer.
 */
export function methodNotAllowed(router: Router): Middleware {
  return async (ctx, next) => {
    const allowed = ctx.body === undefined && ctx.status === 404 ? allowedOn(router, ctx.path) : [];
    if (!allowed.length) return next();
    ctx.set('Allow', allowed.join(', '));
    const message = `Method ${ctx.method} is not allowed on ${ctx.path}; allowed: ${allowed.join(', ')}`;
    throw new AppError('invalid_operation', message, { method: ctx.method, allowed }, 405);
  };
}
