import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, Socket as NetSocket, type LookupFunction, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
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

/** A socket that never connects: the request fails with `error`. */
function failedSocket(error: Error, callback?: (err: Error | null, socket: Socket) => void): Socket {
  const socket = new NetSocket();
  if (callback) callback(error, socket);
  else process.nextTick(() => socket.destroy(error));
  return socket;
}

class GuardedHttpAgent extends http.Agent {
  readonly #policy: AddressPolicy;
  constructor(policy: AddressPolicy, options: http.AgentOptions) {
    super(options);
    this.#policy = policy;
  }
  override createConnection(options: http.ClientRequestArgs, callback?: (err: Error | null, socket: Socket) => void): Socket {
    const refused = refusedLiteral(options.host, this.#policy);
    if (refused) return failedSocket(new AddressRefused(refused), callback);
    // @ts-expect-error http.Agent#createConnection exists at run time; @types/node leaves it out.
    return super.createConnection({ ...options, lookup: guardedLookup(this.#policy) }, callback);
  }
}

class GuardedHttpsAgent extends https.Agent {
  readonly #policy: AddressPolicy;
  constructor(policy: AddressPolicy, options: https.AgentOptions) {
    super(options);
    this.#policy = policy;
  }
  override createConnection(options: http.ClientRequestArgs, callback?: (err: Error | null, socket: Socket) => void): Socket {
    const refused = refusedLiteral(options.host, this.#policy);
    if (refused) return failedSocket(new AddressRefused(refused), callback);
    // @ts-expect-error https.Agent#createConnection exists at run time; @types/node leaves it out.
    return super.createConnection({ ...options, lookup: guardedLookup(this.#policy) }, callback);
  }
}

/**
 * POSTs deliveries: through agents whose every connection is checked against the address policy,
 * never following a redirect (a 3xx is an answer like any other non-2xx: a failure), reading at
 * most `maxResponseBytes` of the answer, and giving up after `timeoutMs` whatever the receiver does.
 * Connections are kept alive between deliveries to the same endpoint.
 */
export class WebhookSender {
  readonly #options: SenderOptions;
  readonly #http: http.Agent;
  readonly #https: https.Agent;

  constructor(options: SenderOptions) {
    this.#options = options;
    const agentOptions = { keepAlive: true, maxFreeSockets: 16, scheduling: 'lifo' as const };
    this.#http = new GuardedHttpAgent(options, agentOptions);
    this.#https = new GuardedHttpsAgent(options, agentOptions);
  }

  send(url: string, headers: Record<string, string>, body: string): Promise<SendResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    return new Promise((resolve) => {
      let settled = false;
      const chunks: Buffer[] = [];
      let received = 0;
      let statusCode: number | null = null;
      const finish = (error: string | null) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const text = Buffer.concat(chunks).subarray(0, this.#options.maxResponseBytes).toString('utf8').replaceAll('\u0000', '');
        resolve({ statusCode, responseBody: text, error, durationMs: elapsed() });
      };
      let target: URL;
      try {
        target = new URL(url);
      } catch {
        return finish(`invalid URL: ${url}`);
      }
      const isHttps = target.protocol === 'https:';
      if (!isHttps && target.protocol !== 'http:') return finish(`unsupported protocol ${target.protocol}`);
      const payload = Buffer.from(body, 'utf8');
      const request = (isHttps ? https : http).request(target, {
        method: 'POST',
        agent: isHttps ? this.#https : this.#http,
        headers: { ...headers, 'content-type': 'application/json', 'content-length': String(payload.length), 'user-agent': 'Tally-Webhooks/1' },
      });
      const timer = setTimeout(() => {
        finish(`timed out after ${this.#options.timeoutMs} ms${statusCode === null ? '' : ` (status ${statusCode} received, body unfinished)`}`);
        request.destroy();
      }, this.#options.timeoutMs);
      request.on('error', (err: Error) => finish(err instanceof AddressRefused ? `address refused: ${err.message}` : `${(err as NodeJS.ErrnoException).code ?? 'error'}: ${err.message}`));
      request.on('response', (response) => {
        statusCode = response.statusCode ?? null;
        const ok = statusCode !== null && statusCode >= 200 && statusCode < 300;
        const outcome = () => (ok ? null : `endpoint answered ${statusCode}`);
        response.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (chunks.length === 0 || received - chunk.length < this.#options.maxResponseBytes) chunks.push(chunk);
          if (received >= this.#options.maxResponseBytes) {
            // Enough read: the rest of a large (or endless) answer is not our concern.
            finish(outcome());
            response.destroy();
          }
        });
        response.on('end', () => finish(outcome()));
        response.on('error', () => finish(outcome()));
        response.on('close', () => finish(outcome()));
      });
      request.end(payload);
    });
  }

  /** Closes idle kept-alive connections. */
  close(): void {
    this.#http.destroy();
    this.#https.destroy();
  }
}
