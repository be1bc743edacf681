import type { PGlite } from '@electric-sql/pglite';
import type { MikroORM } from '@mikro-orm/core';
import pg from 'pg';
import type { DatabaseTarget } from './orm.ts';

export type Unlisten = () => Promise<void>;

/**
 * Calls `onNotify` for every `NOTIFY` on `channel` (sent by a transaction, so only once it
 * commits). PostgreSQL: a dedicated connection (pool connections are shared and cannot hold a
 * LISTEN), reconnected after a loss — callers keep a polling fallback for the gap. PGlite: its
 * in-process `listen` on the ORM's own instance.
 */
export async function listen(orm: MikroORM, target: DatabaseTarget, channel: string, onNotify: () => void, onError: (err: unknown) => void): Promise<Unlisten> {
  if (target.kind !== 'postgresql') {
    const pglite = (await orm.em.getConnection().getNativeClient()) as PGlite;
    return pglite.listen(channel, onNotify);
  }
  let closed = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: target.url });
    c.on('notification', (message) => {
      if (message.channel === channel) onNotify();
    });
    c.on('error', (err) => {
      onError(err);
      reconnect(c);
    });
    c.on('end', () => reconnect(c));
    client = c;
    await c.connect();
    await c.query(`listen ${pg.escapeIdentifier(channel)}`);
    // Anything sent while no connection listened is found by the poll; this catches it up sooner.
    onNotify();
  };
  const reconnect = (c: pg.Client) => {
    if (closed || client !== c || retry) return;
    client = undefined;
    void c.end().catch(() => undefined);
    retry = setTimeout(() => {
      retry = undefined;
      connect().catch((err: unknown) => {
        onError(err);
        if (client) reconnect(client);
      });
    }, 1000);
    retry.unref();
  };
  await connect();
  return async () => {
    closed = true;
    clearTimeout(retry);
    await client?.end().catch(() => undefined);
  };
}
