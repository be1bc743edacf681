import { DriverException, UniqueConstraintViolationException } from '@mikro-orm/core';
import { RequestValidationError } from '@tally/contract';
import type { Middleware } from 'koa';
import { PricingError } from '../billing/pricing/index.ts';
import { AppError } from '../errors/app-error.ts';
import type { Logger } from '../logger.ts';
import { envelope, type ErrorEnvelope } from './envelope.ts';

type HttpishError = Error & { status?: number; statusCode?: number; expose?: boolean };

/** Turns any thrown error into the envelope; causes of 5xx are logged with the request id, never returned. */
export function toEnvelope(err: unknown): ErrorEnvelope {
  if (err instanceof AppError) return envelope(err.code, err.message, err.details, err.status);
  if (err instanceof RequestValidationError) return envelope('validation_error', err.message, err.fields);
  // The pricing engine's refusals are plain domain errors; each problem names a field of the request.
  if (err instanceof PricingError) {
    const message = `Request validation failed: ${err.problems.map((p) => `${p.field} ${p.message}`).join('; ')}`;
    return envelope('validation_error', message, Object.fromEntries(err.problems.map((p) => [p.field, p.message])));
  }
  if (err instanceof UniqueConstraintViolationException) return envelope('already_exists', 'A resource with this identifier already exists');
  if (err instanceof DriverException) return envelope('database_error', 'The database failed to process the request');
  // An http-error thrown by Koa itself (ctx.throw / ctx.assert) for a client mistake.
  const e = err as HttpishError;
  const status = e?.status ?? e?.statusCode;
  if (status && status >= 400 && status < 500 && e.expose) return envelope('validation_error', e.message, undefined, status);
  return envelope('internal_error', 'An unexpected error occurred');
}

export function errorMapper(log: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      const body = toEnvelope(err);
      // 501 is an answer (a FlexPrice route Tally does not serve yet), not a failure of the server.
      if (body.http_status_code >= 500 && body.code !== 'not_implemented') log.error({ err, request_id: ctx.state.requestId }, 'request failed');
      ctx.status = body.http_status_code;
      ctx.body = body;
    }
  };
}

/** Unknown routes answer 404 in the same envelope. */
export const notFoundRoute: Middleware = async (ctx) => {
  if (ctx.body === undefined && ctx.status === 404) {
    throw new AppError('not_found', `Route ${ctx.method} ${ctx.path} not found`);
  }
};
