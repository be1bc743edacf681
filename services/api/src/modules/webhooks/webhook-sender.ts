import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Agent, buildConnector } from 'undici';
import { refusedAddress, type AddressPolicy } from './url-safety.ts';

/** What one POST to an endpoint came to. */
export type SendResult = {
  /** null when no answer came (refused address, connection error, timeout). */
  statusCode: number | null;
  /** The first bytes of the answer, as text (NUL characters dropped: PostgreSQL text cannot hold them). */
  responseBody: string;
  error: string | null;
  durationMs: number;
};

export type SenderOptions = AddressPolicy & {
  /** The whole attempt — connect, send, answer — must end within this. */
  timeoutMs: number;
  /** Bytes of the answer read at most; the rest is never read (the connection is dropped). */
  maxResponseBytes: number;
};

class AddressRefused extends Error {}

/**
 * A `lookup` that refuses any resolved address the policy refuses. It runs when the connection is
 * made, so the address checked is the address connected to: a name that resolved to a public
 * address when the endpoint was saved and to 169.254.169.254 now (DNS rebinding) is refused now.
 */
function guardedLookup(policy: AddressPolicy): LookupFunction {
  return ((hostname: string, options: LookupOptions, callback: (...args: unknown[]) => void) => {
    dnsLookup(hostname, { ...options, verbatim: true, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err);
      for (const a of addresses) {
        const refused = refusedAddress(a.address, policy);
        if (refused) return callback(new AddressRefused(`${hostname} resolves to ${refused}`));
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(new Error(`${hostname} has no address`));
      callback(null, first.address, first.family);
    });
  }) as LookupFunction;
}

/** An IP literal in the URL skips `lookup`, so it is checked before connecting. */
function refusedLiteral(host: string | undefined | null, policy: AddressPolicy): string | undefined {
  const bare = (host ?? '').replace(/^\[(.*)\]$/, '$1');
  return isIP(bare) ? refusedAddress(bare, policy) : undefined;
}

/**
 * POSTs deliveries through an undici agent whose every connection is checked against the address
 * policy — an IP literal before connecting, a name by the lookup that resolves it — never following
 * a redirect (a 3xx is an answer like any other non-2xx: a failure), reading at most
 * `maxResponseBytes` of the answer, and giving up after `timeoutMs` whatever the receiver does.
 * Connections are kept alive between deliveries to the same endpoint, over HTTP/1.1.
 *
 * undici rather than `node:http`: a delivery to a local receiver cost 100 µs of CPU through
 * `http.request` and 30 µs through undici — on the event loop the API and (on PGlite) the database share.
 */
export class WebhookSender {
  readonly #options: SenderOptions;
  readonly #agent: Agent;

  constructor(options: SenderOptions) {
    this.#options = options;
    // undici's own timers are a backstop: the attempt's timer (below) ends it first, and says so.
    const backstop = options.timeoutMs + 1000;
    const connect = buildConnector({ lookup: guardedLookup(options), allowH2: false, timeout: backstop });
    this.#agent = new Agent({
      allowH2: false,
      pipelining: 1,
      connect: (opts, callback) => {
        const refused = refusedLiteral(opts.hostname, options);
        if (refused) return callback(new AddressRefused(refused), null);
        return connect(opts, callback);
      },
      headersTimeout: backstop,
      bodyTimeout: backstop,
    });
  }

  async send(url: string, headers: Record<string, string>, body: string): Promise<SendResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return { statusCode: null, responseBody: '', error: `invalid URL: ${url}`, durationMs: elapsed() };
    }
    if (target.protocol !== 'https:' && target.protocol !== 'http:') return { statusCode: null, responseBody: '', error: `unsupported protocol ${target.protocol}`, durationMs: elapsed() };
    const abort = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      abort.abort();
    }, this.#options.timeoutMs);
    let statusCode: number | null = null;
    const chunks: Buffer[] = [];
    let received = 0;
    try {
      const response = await this.#agent.request({
        origin: target.origin,
        path: `${target.pathname}${target.search}`,
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', 'user-agent': 'Tally-Webhooks/1' },
        body,
        signal: abort.signal,
      });
      statusCode = response.statusCode;
      for await (const chunk of response.body as AsyncIterable<Buffer>) {
        chunks.push(chunk);
        received += chunk.length;
        // Enough read: the rest of a large (or endless) answer is not our concern.
        if (received >= this.#options.maxResponseBytes) {
          response.body.destroy();
          break;
        }
      }
      const ok = statusCode >= 200 && statusCode < 300;
      return this.#result(statusCode, chunks, ok ? null : `endpoint answered ${statusCode}`, elapsed());
    } catch (err) {
      if (timedOut) return this.#result(statusCode, chunks, `timed out after ${this.#options.timeoutMs} ms${statusCode === null ? '' : ` (status ${statusCode} received, body unfinished)`}`, elapsed());
      const e = err as NodeJS.ErrnoException;
      if (statusCode !== null) {
        // The answer's status came and its body broke off: judged by the status, as before.
        const ok = statusCode >= 200 && statusCode < 300;
        return this.#result(statusCode, chunks, ok ? null : `endpoint answered ${statusCode}`, elapsed());
      }
      const refused = e instanceof AddressRefused ? e : e.cause instanceof AddressRefused ? e.cause : undefined;
      if (refused) return this.#result(null, chunks, `address refused: ${refused.message}`, elapsed());
      return this.#result(null, chunks, `${e.code ?? 'error'}: ${e.message}`, elapsed());
    } finally {
      clearTimeout(timer);
    }
  }

  #result(statusCode: number | null, chunks: Buffer[], error: string | null, durationMs: number): SendResult {
    // NUL characters dropped: PostgreSQL text cannot hold them.
    const text = Buffer.concat(chunks).subarray(0, this.#options.maxResponseBytes).toString('utf8').replaceAll('\u0000', '');
    return { statusCode, responseBody: text, error, durationMs };
  }

  /** Closes kept-alive connections. */
  close(): void {
    void this.#agent.destroy().catch(() => undefined);
  }
}
