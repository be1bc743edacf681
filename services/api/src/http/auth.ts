import type { Middleware } from 'koa';
import type { ApiKeyService } from '../modules/api-keys/api-key.service.ts';

/** `x-api-key` → tenant + environment on `ctx.state.auth`; 401 in the error envelope otherwise. */
export function authenticate(keys: ApiKeyService): Middleware {
  return async (ctx, next) => {
    ctx.state.auth = await keys.authenticate(ctx.get('x-api-key') || undefined);
    await next();
  };
}
