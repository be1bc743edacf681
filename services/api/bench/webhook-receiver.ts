/**
 * The webhook bench's receiver: answers every POST 200 at once and notes when it arrived (wall
 * clock, ms: the generator in the server process stamps commits with the same clock) under its
 * `webhook-id` — the event's id. `GET /stats` answers what arrived; `POST /reset` forgets it. A child
 * process, like the servers. The body is read to its end (the receipt is the whole delivery) but
 * not parsed: the load generator of the ceiling sends no `webhook-id` and is just counted.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

let receipts: Array<[string, number]> = [];
let count = 0;

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    if (req.method === 'GET' && req.url === '/stats') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ count, receipts }));
      return;
    }
    if (req.method === 'POST' && req.url === '/reset') {
      receipts = [];
      count = 0;
      res.writeHead(204).end();
      return;
    }
    const at = Date.now();
    count++;
    const id = req.headers['webhook-id'];
    if (typeof id === 'string') receipts.push([id, at]);
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(JSON.stringify({ url: `http://127.0.0.1:${port}` }));
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
