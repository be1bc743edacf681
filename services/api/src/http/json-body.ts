import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Middleware } from 'koa';
import { AppError } from '../errors/app-error.ts';
import { parseExactJson } from '../wire/exact-json.ts';
import { maxJsonDepth } from '@tally/contract';

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
      throw new AppError('validation_error', `Unsupported Content-Encoding "${encoding}": send identity, gzip, deflate or br`, {
        'Content-Encoding': 'must be identity, gzip, deflate or br',
      });
  }
}

const notJson = () => new AppError('validation_error', 'Invalid request format: the body is not valid JSON', { body: 'is not valid JSON' });
const utf8 = new TextDecoder('utf-8', { fatal: true });

export type JsonBodyOptions = {
  /** Largest body, counted after decompression; past it, 400 naming the limit. */
  limit: string;
  /** Keep every digit of numbers a double cannot hold (event properties are aggregated exactly). */
  exactNumbers: boolean;
  /** What the too-large message tells the client to split (`it`, or `the batch` for event batches). */
  splitWhat?: string;
};

/**
 * The one body reader of the API. The body is read as JSON whatever its Content-Type (as FlexPrice
 * binds it), gzip/deflate/br accepted, and refused with 400 `validation_error` naming `body` when
 * it is too large, not UTF-8 (invalid bytes are never replaced by U+FFFD) or not JSON. What the
 * JSON holds (NUL, lone surrogates, `__proto__` keys, depth) is checked with every other input by
 * the contract runtime.
 */
export function jsonBody(options: JsonBodyOptions): Middleware {
  const maxBytes = byteSize(options.limit);
  const tooLarge = () =>
    new AppError('validation_error', `Request body exceeds the maximum size of ${options.limit}; split ${options.splitWhat ?? 'it'} into smaller requests`, {
      body: `must be at most ${options.limit}`,
    });
  const parse = (text: string): unknown => {
    if (!options.exactNumbers) return JSON.parse(text);
    try {
      return parseExactJson(text);
    } catch (err) {
      // The reviver of the exact parse recurses; JSON.parse alone does not.
      if (err instanceof RangeError) {
        throw new AppError('validation_error', `Invalid request format: the body is nested too deeply (JSON may nest at most ${maxJsonDepth} levels)`, {
          body: `is nested too deeply: JSON may nest at most ${maxJsonDepth} levels`,
        });
      }
      throw err;
    }
  };
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
    let text: string;
    try {
      text = utf8.decode(Buffer.concat(chunks, size));
    } catch {
      throw new AppError('validation_error', 'Invalid request format: the body is not valid UTF-8', { body: 'is not valid UTF-8' });
    }
    if (text.trim() !== '') {
      try {
        (ctx.request as { body?: unknown }).body = parse(text);
      } catch (err) {
        if (err instanceof AppError) throw err;
        throw notJson();
      }
    }
    await next();
  };
}
