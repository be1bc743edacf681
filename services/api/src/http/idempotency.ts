import { createHash } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import type { AuthContext } from '../auth-context.ts';
import { AppError, invalidFields } from '../errors/app-error.ts';
import type { IdempotencyService, StoredResponse } from '../modules/idempotency/index.ts';
import { toEnvelope } from './error-mapper.ts';

/** Same method, path, query and JSON body → same fingerprint. */
function fingerprintOf(method: string, path: string, query: string, body: unknown): string {
  return createHash('sha256').update(`${method} ${path}?${query}\n${JSON.stringify(body ?? null)}`).digest('hex');
}

/** A 5xx that a handler answered without throwing: its transaction must not commit. */
class ServerErrorAnswer extends Error {}

/**
 * `Idempotency-Key` on POST: the first request's status and body are kept for 24 h and replayed to
 * retries with `Idempotent-Replayed: true`; the same key on a different request is refused (422);
 * a duplicate arriving while the first still runs gets 409.
 *
 * With `requestTransaction`, the request runs inside one transaction that also stores its answer, so the
 * use case's writes and the stored response commit together or not at all: a request whose answer
 * cannot be stored writes nothing, answers 500 and frees its key, and a retry runs it once. A 4xx
 * writes nothing by itself, so its answer is stored on its own. 5xx answers are never kept.
 * Without it (event ingestion, whose writes are deduplicated by `event_id` and batched
 * across requests) the answer is stored after the request, as a best effort.
 */
export function idempotency(store: IdempotencyService, options: { requestTransaction: boolean }): Middleware {
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
    if (!claim.claimed) return replay(ctx, key, fingerprint, claim.record);
    // Never leave the key claimed: whatever happens next either stores an answer or frees it.
    const release = () => store.release(auth, key).catch(() => undefined);
    try {
      if (options.requestTransaction) {
        await store.inTransaction(async (tx) => {
          await next();
          if (ctx.status >= 500) throw new ServerErrorAnswer();
          await store.complete(auth, key, ctx.status, ctx.body, tx);
        });
      } else {
        await next();
        if (ctx.status >= 500) await release();
        else await store.complete(auth, key, ctx.status, ctx.body);
      }
    } catch (err) {
      if (err instanceof ServerErrorAnswer) return void (await release());
      const envelope = toEnvelope(err);
      if (envelope.http_status_code >= 500) await release();
      else await store.complete(auth, key, envelope.http_status_code, envelope).catch(release);
      throw err;
    }
  };
}

function replay(ctx: Context, key: string, fingerprint: string, record: StoredResponse): void {
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
}
