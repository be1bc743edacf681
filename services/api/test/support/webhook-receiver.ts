import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a receiver got. */
export type Delivery = { id: string; headers: Record<string, string>; body: string; json: any; receivedAt: number; finishedAt?: number };

/** What the receiver answers the n-th request (0-based): a status (and body), after an optional delay, or nothing ever. */
export type Answer = { status: number; body?: string; delayMs?: number } | 'hang';

export type Receiver = {
  url: string;
  deliveries: Delivery[];
  /** Resolves once `n` requests have arrived (or throws after `timeoutMs`). */
  waitFor(n: number, timeoutMs?: number): Promise<Delivery[]>;
  close(): Promise<void>;
};

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));
}

/** A real HTTP receiver on 127.0.0.1 (a random port) that records every webhook POSTed to it. */
export async function startReceiver(answer: (delivery: Delivery, n: number) => Answer = () => ({ status: 200, body: 'ok' })): Promise<Receiver> {
  const deliveries: Delivery[] = [];
  const waiters: Array<() => void> = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = flatHeaders(req.headers);
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      const delivery: Delivery = { id: headers['webhook-id'] ?? '', headers, body, json, receivedAt: Date.now() };
      const n = deliveries.push(delivery) - 1;
      for (const w of waiters.splice(0)) w();
      const a = answer(delivery, n);
      if (a === 'hang') return;
      const reply = () => {
        delivery.finishedAt = Date.now();
        res.writeHead(a.status, { 'content-type': 'text/plain' }).end(a.body ?? '');
      };
      if (a.delayMs) setTimeout(reply, a.delayMs);
      else reply();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    deliveries,
    async waitFor(n, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (deliveries.length < n) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`expected ${n} deliveries, got ${deliveries.length}`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, Math.min(left, 50));
          waiters.push(() => {
            clearTimeout(t);
            resolve();
          });
        });
      }
      return deliveries.slice(0, n);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
