import type { Server, ServerResponse } from 'node:http';

/**
 * Graceful stop for a keep-alive HTTP server. `server.close()` alone stops accepting and closes the
 * connections idle at that moment, but a connection busy then stays open after its response until
 * the client's keep-alive runs out (seconds), and may even carry new requests. So: responses sent
 * while draining say `Connection: close`, connections are closed as soon as they fall idle, and
 * whatever is still open after `timeoutMs` is cut.
 */
export function drainable(server: Server): { drain(timeoutMs: number): Promise<void> } {
  const open = new Set<ServerResponse>();
  let draining = false;
  server.on('request', (_req, res: ServerResponse) => {
    if (draining) res.setHeader('Connection', 'close');
    open.add(res);
    res.once('close', () => open.delete(res));
  });
  return {
    drain(timeoutMs) {
      draining = true;
      for (const res of open) if (!res.headersSent) res.setHeader('Connection', 'close');
      return new Promise<void>((resolve) => {
        const sweep = setInterval(() => server.closeIdleConnections(), 50);
        const deadline = setTimeout(() => server.closeAllConnections(), timeoutMs);
        server.close(() => {
          clearInterval(sweep);
          clearTimeout(deadline);
          resolve();
        });
        server.closeIdleConnections();
      });
    },
  };
}
