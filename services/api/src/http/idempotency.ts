import { createHash } from 'node:crypto';
import type { Middleware } from 'koa';
import type { AuthContext } from '../auth-context.ts';
import { AppError, invalidFields } from '../errors/app-error.ts';
import type { IdempotencyStore } from '../modules/idempotency/idempotency.store.ts';
import { toEnvelope } from './error-mapper.ts';

/** Same method, path, query and JSON body → same fingerprint. */
function fingerprintOf(method: string, path: string, query: string, body: unknown): string {
  return createHash('sha256').update(`${method} ${path}?${query}\n${JSON.stringify(body ?? null)}`).digest('hex');
}

/**
 * `Idempotency-Key` on POST: the first request's status and body are kept for 24 h and replayed to
 * retries with `Idempotent-Replayed: true`; the same key on a different request is refused (422);
 * a duplicate arriving while the first still runs gets 409. 5xx responses are not kept.
 */
export function idempotency(store: IdempotencyStore): Middleware {
  return async (ctx, next) => {
    const key = ctx.get('Idempotency-Key');
    // Sent but empty (often an unset variable): refused rather than read as "no key", which would
    // quietly take the retry safety away from a client that believes it has it.
    if (ctx.method === 'POST' && !key && ctx.headers['idempotency-key'] !== undefined) throw invalidFields({ 'Idempotency-Key': 'must not be empty' });
    if (ctx.method !== 'POST' || !key) return next();
    if (key.length > 255) throw invalidFields({ 'Idempotency-Key': 'must be at most 255 characters' });
    const auth = ctx.state.auth as AuthContext;
    const fingerprint = fingerprintOf(ctx.method, ctx.path, ctx.querystring, (ctx.request as { body?: unknown }).body);
    const claim = await store.claim(auth, key, fingerprint);
    if (!claim.claimed) {
      const { record } = claim;
      if (record.fingerprint !== fingerprint) {
        throw new AppError('idempotency_key_reused', `Idempotency-Key '${key}' was already used for a different request; use a new key for a new request`, {
          idempotency_key: key,
        });
      }
      if (record.state === 'in_progress') {
        throw new AppError('version_conflict', `A request with Idempotency-Key '${key}' is still being processed; retry shortly`, { idempotency_key: key });
      }
      ctx.status = record.status ?? 200;
      if (record.body !== null) ctx.body = record.body;
      ctx.set('Idempotent-Replayed', 'true');
      return;
    }
    try {
      await next();
    } catch (err) {
      const envelope = toEnvelope(err);
      if (envelope.http_status_code >= 500) await store.release(auth, key);
      else await store.complete(auth, key, envelope.http_status_code, envelope);
      throw err;
    }
    if (ctx.status >= 500) await store.release(auth, key);
    else await store.complete(auth, key, ctx.status, ctx.body);
  };
}
