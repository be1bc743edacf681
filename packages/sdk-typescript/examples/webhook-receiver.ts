// A webhook receiver: verifies each delivery with the endpoint's secret, then handles it once.
// Run: TALLY_WEBHOOK_SECRET=whsec_… node packages/sdk-typescript/examples/webhook-receiver.ts
// (then create an endpoint pointing at http://127.0.0.1:4000/tally; start Tally with TALLY_WEBHOOK_ALLOW_PRIVATE=1 to deliver to this machine).
import { createServer } from 'node:http';
import { TallyWebhookVerificationError, verifyWebhook } from '@tally/sdk';

const secret = process.env.TALLY_WEBHOOK_SECRET ?? '';
const seen = new Set<string>(); // use your database: deliveries are at least once

createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    try {
      const event = verifyWebhook(Buffer.concat(chunks), req.headers, secret); // the raw body, before JSON parsing
      const id = String(req.headers['webhook-id']);
      if (!seen.has(id)) {
        seen.add(id);
        console.log(event.event_type, JSON.stringify(event));
      }
      res.writeHead(204).end(); // any 2xx within 10 s; anything else is retried
    } catch (err) {
      if (!(err instanceof TallyWebhookVerificationError)) throw err;
      res.writeHead(400).end(err.message);
    }
  });
}).listen(4000, '127.0.0.1');
