import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { copyColumns } from './dataset.ts';

/**
 * Lets the event loop run. PGlite answers from WASM without any I/O, so a chain of awaited queries
 * runs entirely in microtasks and starves the loop: no timer, no signal (Ctrl-C) gets through until
 * the chain ends. Long PGlite sequences call this between steps.
 */
export const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Direct access to the database the server uses, for the baselines and the bulk loads. */
export type BenchDatabase = {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** COPY of ready-made text-format chunks into `events`; returns the row count COPY reports. */
  copyEvents(chunks: Iterable<string>): Promise<number>;
  close(): Promise<void>;
};

const copySql = `COPY events (${copyColumns.map((c) => `"${c}"`).join(', ')}) FROM STDIN`;

/** PostgreSQL through one `pg` client; COPY FROM STDIN through pg-copy-streams. */
export async function openPostgres(url: string): Promise<BenchDatabase> {
  const client = new pg.Client({ connectionString: url, application_name: 'tally-bench' });
  await client.connect();
  return {
    async query<T>(sql: string, params: unknown[] = []) {
      return (await client.query(sql, params)).rows as T[];
    },
    async copyEvents(chunks) {
      const stream = client.query(copyFrom(copySql));
      await pipeline(Readable.from(chunks, { objectMode: false }), stream);
      return Number(stream.rowCount);
    },
    close: () => client.end(),
  };
}

/**
 * PGlite on a data directory, in this process. PGlite has one connection and no lock, so the
 * server must be stopped while this is open. COPY reads a Blob through the virtual /dev/blob.
 */
export async function openPglite(dataDir: string): Promise<BenchDatabase> {
  const db = await PGlite.create({ dataDir });
  return {
    async query<T>(sql: string, params: unknown[] = []) {
      return (await db.query<T>(sql, params)).rows;
    },
    async copyEvents(chunks) {
      let rows = 0;
      for (const chunk of chunks) {
        await breathe();
        const result = await db.query(copySql.replace('FROM STDIN', "FROM '/dev/blob'"), [], { blob: new Blob([chunk]) });
        rows += result.affectedRows ?? 0;
      }
      return rows;
    },
    close: () => db.close(),
  };
}

/** A fresh database on the server `serverUrl` points at, dropped by `drop()`. */
export async function createPostgresDatabase(serverUrl: string): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = `tally_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** Groups COPY lines into chunks of about `rows` lines, so a chunk is one write or one Blob. */
export function* chunked(lines: Iterable<string>, rows: number): Generator<string> {
  let parts: string[] = [];
  for (const line of lines) {
    parts.push(line);
    if (parts.length >= rows) {
      yield parts.join('');
      parts = [];
    }
  }
  if (parts.length) yield parts.join('');
}
