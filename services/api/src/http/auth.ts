import type { Context, Middleware } from 'koa';
import { AppError } from '../errors/app-error.ts';
import type { ApiKeyAuth, ApiKeyService } from '../modules/api-keys/api-key.service.ts';

/** The outcome of checking a request's `x-api-key`: who is calling, or the 401 to answer. */
export type KeyCheck = { auth: ApiKeyAuth; refusal?: undefined } | { auth?: undefined; refusal: AppError };

/** The part of ApiKeyService that authentication and rate limiting use. */
export type KeyAuthenticator = Pick<ApiKeyService, 'authenticate' | 'isKnown'>;

/**
 * Checks the request's key once: the rate limiter (which must know whether a key is real before it
 * counts it) and the operation's `authenticate` share the outcome through `ctx.state`. Only a
 * refused key (401) is an outcome; anything else (the database is down) is thrown.
 */
export async function checkKey(ctx: Context, keys: KeyAuthenticator): Promise<KeyCheck> {
  if (ctx.state.keyCheck) return ctx.state.keyCheck as KeyCheck;
  let check: KeyCheck;
  try {
    check = { auth: await keys.authenticate(ctx.get('x-api-key') || undefined) };
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== 'unauthorized') throw err;
    check = { refusal: err };
  }
  ctx.state.keyCheck = check;
  return check;
}

/** `x-api-key` → tenant, environment and key type on `ctx.state.auth`; 401 in the error envelope otherwise. */
export function authenticate(keys: KeyAuthenticator): Middleware {
  return async (ctx, next) => {
    const check = await checkKey(ctx, keys);
    if (check.refusal) throw check.refusal;
    ctx.state.auth = check.auth;
    await next();
  };
}
