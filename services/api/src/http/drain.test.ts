import { once } from 'node:events';
import { Agent, createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { drainable } from './drain.ts';

let server: Server | undefined;
afterEach(() => {
  server?.closeAllConnections();
  server?.close();
  server = undefined;
});

/** A server whose `/slow` answers only when `release()` is called. */
async function slowServer() {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const s = createServer(async (req, res) => {
    if (req.url === '/slow') await released;
    res.end('done');
  });
  const { drain } = drainable(s);
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  server = s;
  return { port: (s.address() as AddressInfo).port, drain, release };
}

/** A keep-alive GET, resolving with the response and its body. */
function get(port: number, path: string, agent: Agent) {
  return new Promise<{ res: IncomingMessage; body: string }>((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d)).on('end', () => resolve({ res, body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('drainable', () => {
  it('lets a request in flight finish, tells its client to close, and resolves once it has', async () => {
    const { port, drain, release } = await slowServer();
    const agent = new Agent({ keepAlive: true, keepAliveMsecs: 60_000 });
    // A keep-alive connection that is idle when the drain starts.
    expect((await get(port, '/fast', agent)).res.headers.connection).toBe('keep-alive');

    const inFlight = get(port, '/slow', agent);
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    let drained = false;
    const draining = drain(10_000).then(() => (drained = true));
    await new Promise((r) => setTimeout(r, 100));
    expect(drained).toBe(false);

    release();
    const { res, body } = await inFlight;
    expect(body).toBe('done');
    expect(res.headers.connection).toBe('close');
    await draining;
    expect(Date.now() - started).toBeLessThan(2_000);
    agent.destroy();
  });

  it('cuts a request that outlasts the deadline', async () => {
    const { port, drain } = await slowServer();
    const agent = new Agent({ keepAlive: true });
    const stuck = get(port, '/slow', agent);
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await drain(300);
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(250);
    expect(waited).toBeLessThan(2_000);
    await expect(stuck).rejects.toThrow(/socket hang up|ECONNRESET/);
    agent.destroy();
  });
});
