import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../logger.ts';
import { errorMapper } from './error-mapper.ts';
import { jsonBody } from './json-body.ts';

/** A bare Koa app with the server's error mapper and body reader, echoing what it parsed. */
function appWith(options: Parameters<typeof jsonBody>[0]) {
  const app = new Koa();
  app.use(errorMapper({ error: () => undefined } as unknown as Logger));
  app.use(jsonBody(options));
  app.use((ctx) => {
    const body = (ctx.request as { body?: unknown }).body;
    ctx.body = { parsed: body === undefined ? '(none)' : JSON.stringify(body) };
  });
  return app;
}

let plainUrl = '';
let exactUrl = '';
const servers: Array<{ close(): void; closeAllConnections(): void }> = [];

beforeAll(async () => {
  for (const [options, set] of [
    [{ limit: '1kb', exactNumbers: false }, (u: string) => (plainUrl = u)],
    [{ limit: '1mb', exactNumbers: true }, (u: string) => (exactUrl = u)],
  ] as const) {
    const server = appWith(options).listen(0, '127.0.0.1');
    await once(server, 'listening');
    servers.push(server);
    set(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  }
});
afterAll(() => {
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
});

const post = async (url: string, body: string | Uint8Array, headers: Record<string, string> = {}) => {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('jsonBody', () => {
  it('parses JSON whatever the content type, and leaves an empty body undefined', async () => {
    expect(await post(plainUrl, '{"a":1}', { 'content-type': 'text/plain' })).toEqual({ status: 200, body: { parsed: '{"a":1}' } });
    expect(await post(plainUrl, '  ')).toEqual({ status: 200, body: { parsed: '(none)' } });
  });

  it('refuses a body over the limit with 400 naming the limit', async () => {
    const res = await post(plainUrl, JSON.stringify({ name: 'x'.repeat(2000) }));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 'validation_error',
      message: 'Request body exceeds the maximum size of 1kb; split it into smaller requests',
      details: { body: 'must be at most 1kb' },
    });
    // Counted after decompression: a small gzip of a large body is still too large.
    const zipped = gzipSync(JSON.stringify({ name: 'x'.repeat(5000) }));
    expect(zipped.length).toBeLessThan(1024);
    expect((await post(plainUrl, zipped, { 'content-encoding': 'gzip' })).body.details).toEqual({ body: 'must be at most 1kb' });
  });

  it('refuses malformed JSON with 400 on the body', async () => {
    expect(await post(plainUrl, '{"name": ')).toMatchObject({
      status: 400,
      body: { code: 'validation_error', message: 'Invalid request format: the body is not valid JSON', details: { body: 'is not valid JSON' } },
    });
  });

  it('refuses bytes that are not UTF-8 instead of storing U+FFFD', async () => {
    for (const bad of [
      [0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0x61, 0xff, 0xfe, 0x62, 0x22, 0x7d], // {"n":"a\xFF\xFEb"}
      [0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d], // {"n":"\xC3("}: a broken two-byte sequence
      [0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d], // a UTF-8-encoded surrogate (CESU-8)
    ]) {
      for (const url of [plainUrl, exactUrl]) {
        expect(await post(url, new Uint8Array(bad))).toMatchObject({
          status: 400,
          body: { code: 'validation_error', message: 'Invalid request format: the body is not valid UTF-8', details: { body: 'is not valid UTF-8' } },
        });
      }
    }
    // Real non-ASCII text passes untouched.
    expect((await post(plainUrl, Buffer.from('{"n":"Zürich € 🚀"}'))).body.parsed).toBe('{"n":"Zürich € 🚀"}');
  });

  it('reads nesting far past the limit without overflowing the stack (the contract runtime then refuses it)', async () => {
    const deep = '['.repeat(200) + ']'.repeat(200);
    expect((await post(plainUrl, deep)).status).toBe(200);
    expect((await post(exactUrl, '['.repeat(300) + ']'.repeat(300))).status).toBe(200);
    // The exact parse recurses: past what its stack holds, the answer is still a 400 that says why.
    expect(await post(exactUrl, '['.repeat(100_000) + ']'.repeat(100_000))).toMatchObject({
      status: 400,
      body: { code: 'validation_error', details: { body: 'is nested too deeply: JSON may nest at most 32 levels' } },
    });
  });

  it('keeps exact numbers only where asked', async () => {
    expect((await post(exactUrl, '{"v":12345678901234567891}')).body.parsed).toBe('{"v":12345678901234567891}');
    expect((await post(plainUrl, '{"v":12345678901234567891}')).body.parsed).toBe('{"v":12345678901234567000}');
  });

  it('refuses an unknown Content-Encoding naming the header', async () => {
    expect((await post(plainUrl, '{}', { 'content-encoding': 'compress' })).body).toMatchObject({
      code: 'validation_error',
      details: { 'Content-Encoding': 'must be identity, gzip, deflate or br' },
    });
  });
});
