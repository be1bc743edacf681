/**
 * The webhook bench's receiver: answers every POST 200 at once and notes when it arrived, by the
 * key the bench gave the change (`customer.external_id`, or an entitlement's plan `entity_id`).
 * `GET /stats` answers what arrived; `POST /reset` forgets it. A child process, like the servers.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

let receipts: Array<[string, number]> = [];
let count = 0;
const now = () => performance.timeOrigin + performance.now();

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
    const at = now();
    count++;
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { customer?: { external_id?: string }; entitlement?: { entity_id?: string } };
      const key = body.customer?.external_id ?? body.entitlement?.entity_id;
      if (key) receipts.push([key, at]);
    } catch {
      // the ceiling's load generator sends the same JSON; anything else is just counted
    }
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
