import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminQuery, databaseUrl } from './database.ts';

const serviceDir = new URL('../..', import.meta.url).pathname;

/** A Tally server running as its own process (`node src/main.ts`), for crash and multi-instance tests. */
export type ServerProcess = { process: ChildProcess; url: string; exited: Promise<number | null>; output: string[] };

/** Starts `node src/main.ts` and resolves with the URL from its "listening" log line. */
export function startProcess(env: NodeJS.ProcessEnv): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['src/main.ts'], { cwd: serviceDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        output.push(line);
        try {
          const entry = JSON.parse(line) as { url?: string; msg?: string };
          if (entry.url && entry.msg?.startsWith('Tally listening')) resolve({ process: child, url: entry.url, exited, output });
        } catch {
          // not a log line
        }
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    void exited.then((code) => reject(new Error(`server exited (${code}) before listening:\n${output.join('\n')}`)));
  });
}

export async function stopProcess(server: ServerProcess): Promise<void> {
  if (server.process.exitCode === null && server.process.signalCode === null) server.process.kill('SIGTERM');
  await server.exited;
}

/** Where a process test's servers keep their data, and how to throw it away. */
export type ProcessTarget = { env: NodeJS.ProcessEnv; cleanup: () => Promise<void> };

function baseEnv(dataDir: string, apiKey: string): NodeJS.ProcessEnv {
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  return { ...inherited, NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', TALLY_DATA_DIR: dataDir, TALLY_API_KEY: apiKey, LOG_LEVEL: 'info' };
}

/** A fresh PGlite data directory. */
export async function pgliteTarget(apiKey: string): Promise<ProcessTarget> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tally-process-'));
  return { env: baseEnv(dataDir, apiKey), cleanup: async () => rmSync(dataDir, { recursive: true, force: true }) };
}

/** A fresh database on the PostgreSQL server of DATABASE_URL. */
export async function postgresTarget(apiKey: string): Promise<ProcessTarget> {
  const server = process.env.DATABASE_URL as string;
  const admin = databaseUrl(server, 'postgres');
  const name = `tally_process_${randomBytes(5).toString('hex')}`;
  await adminQuery(admin, `create database ${name}`);
  const dataDir = mkdtempSync(join(tmpdir(), 'tally-process-'));
  return {
    env: { ...baseEnv(dataDir, apiKey), DATABASE_URL: databaseUrl(server, name) },
    cleanup: async () => {
      await adminQuery(admin, `drop database if exists ${name} with (force)`);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
