import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Middleware } from 'koa';
import { AppError } from '../errors/app-error.ts';
import { ForbiddenKeyError, parseExactJson } from '../exact-json.ts';

/** The operations whose bodies carry batches of events (FlexPrice caps these at 32 MiB). */
export const eventIngestionPaths = new Set(['/events', '/events/bulk']);

const units: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** `32mb` → bytes, as the `bytes` package reads sizes (1 kb = 1024 b). */
export function byteSize(limit: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(limit.trim());
  if (!m) throw new Error(`not a size: "${limit}" (use e.g. 512kb, 32mb)`);
  return Math.floor(Number(m[1]) * units[(m[2] ?? 'b').toLowerCase()]);
}

function decoded(req: Readable, encoding: string): Readable {
  switch (encoding) {
    case '':
    case 'identity':
      return req;
    case 'gzip':
    case 'x-gzip':
      return req.pipe(createGunzip());
    case 'deflate':
      return req.pipe(createInflate());
    case 'br':
      return req.pipe(createBrotliDecompress());
    default:
      throw new AppError('validation_error', `Unsupported Content-Encoding "${encoding}": send identity, gzip, deflate or br`);
  }
}

/**
 * Body reading for event ingestion: its own, larger limit (past it, 400 `validation_error` naming
 * the limit, counted after decompression), gzip/deflate/br accepted, and numbers kept exact (see
 * exact-json.ts). The body is read as JSON whatever its content type, as FlexPrice binds it.
 */
export function eventsBody(limit: string): Middleware {
  const maxBytes = byteSize(limit);
  const tooLarge = () =>
    new AppError('validation_error', `Request body exceeds the maximum size of ${limit}; split the batch into smaller requests`, {
      body: `must be at most ${limit}`,
    });
  return async (ctx, next) => {
    if (Number(ctx.get('content-length')) > maxBytes) throw tooLarge();
    const stream = decoded(ctx.req, ctx.get('content-encoding').trim().toLowerCase());
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of stream) {
        size += (chunk as Buffer).length;
        if (size > maxBytes) throw tooLarge();
        chunks.push(chunk as Buffer);
      }
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw new AppError('validation_error', 'Invalid request format: the body could not be read (bad compression?)', { body: 'could not be read' });
    }
    const text = Buffer.concat(chunks, size).toString('utf8');
    if (text.trim() !== '') {
      try {
        (ctx.request as { body?: unknown }).body = parseExactJson(text);
      } catch (err) {
        if (err instanceof ForbiddenKeyError) throw new AppError('validation_error', `Invalid request format: ${err.message}`, { body: err.message });
        throw new AppError('validation_error', 'Invalid request format: the body is not valid JSON', { body: 'is not valid JSON' });
      }
    }
    await next();
  };
}
