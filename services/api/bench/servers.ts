import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { memoryOf, spawnNode, tail, waitForLogLine, type Spawned } from './processes.ts';

export const apiDir = fileURLToPath(new URL('..', import.meta.url));

export type RunningProcess = { url: string; pid: number; logFile: string; stop(): Promise<void>; memory(): ReturnType<typeof memoryOf> };

export type TallyOptions = {
  /** PostgreSQL database for the server; PGlite under `dataDir` when absent. */
  databaseUrl?: string;
  dataDir: string;
  apiKey: string;
  logLevel: string;
  logFile: string;
  /** More environment for the server (the webhooks phase's settings). */
  env?: Record<string, string>;
  /** The entry script, relative to services/api: `src/main.ts` unless given (the webhooks phase's adds its generator). */
  script?: string;
  /** How long to wait for the server to be ready (180 s unless given). */
  readyTimeoutMs?: number;
};

const levelsThatPrintListening = new Set(['trace', 'debug', 'info']);

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function waitForHealth(spawned: Spawned, url: string, logFile: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    if (spawned.child.exitCode !== null || spawned.child.signalCode !== null) {
      throw new Error(`Tally exited (${spawned.child.exitCode ?? spawned.child.signalCode}) before it was ready; last output:\n${tail(logFile)}`);
    }
    if (Date.now() > deadline) throw new Error(`Tally did not answer /health within ${timeoutMs / 1000} s; last output:\n${tail(logFile)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * The real server, exactly as `npm start` runs it (`node src/main.ts`), with rate limits out of
 * the way. At a log level that prints the "listening" line it binds port 0 and the URL is read
 * from that line; at quieter levels the bench picks a free port and polls /health.
 */
export async function startTally(options: TallyOptions): Promise<RunningProcess> {
  // A log file of its own: an older run's "listening" line would name a dead port.
  if (existsSync(options.logFile)) throw new Error(`log file ${options.logFile} already exists`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    TALLY_VALIDATE_RESPONSES: '',
    HOST: '127.0.0.1',
    PORT: '0',
    TALLY_DATA_DIR: options.dataDir,
    TALLY_API_KEY: options.apiKey,
    LOG_LEVEL: options.logLevel,
    TALLY_RATE_LIMIT_PER_MINUTE: '1000000000',
    TALLY_EVENTS_RATE_LIMIT_PER_MINUTE: '1000000000',
    DATABASE_URL: options.databaseUrl ?? '',
    INIT_CWD: apiDir,
    ...options.env,
  };
  const quiet = !levelsThatPrintListening.has(options.logLevel);
  if (quiet) env.PORT = String(await freePort());
  const spawned = spawnNode(join(apiDir, options.script ?? 'src/main.ts'), { cwd: apiDir, env, logFile: options.logFile });
  let url: string;
  try {
    if (quiet) {
      url = `http://127.0.0.1:${env.PORT}`;
      await waitForHealth(spawned, url, options.logFile, options.readyTimeoutMs ?? 180_000);
    } else {
      url = await waitForLogLine(spawned, options.logFile, (l) => (typeof l.url === 'string' && /listening/.test(String(l.msg)) ? l.url : undefined), options.readyTimeoutMs ?? 180_000);
    }
  } catch (err) {
    await spawned.stop(5_000);
    throw err;
  }
  return { url, pid: spawned.pid, logFile: options.logFile, stop: () => spawned.stop(), memory: () => memoryOf(spawned.pid) };
}

/** The floor: a bare Koa app (bare-koa.ts) answering POST /v1/events with 202 JSON. */
export async function startBareKoa(logFile: string): Promise<RunningProcess> {
  const spawned = spawnNode(join(apiDir, 'bench/bare-koa.ts'), {
    cwd: apiDir,
    env: { ...process.env, NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1' },
    logFile,
  });
  try {
    const url = await waitForLogLine(spawned, logFile, (l) => (typeof l.url === 'string' ? l.url : undefined), 60_000);
    return { url, pid: spawned.pid, logFile, stop: () => spawned.stop(), memory: () => memoryOf(spawned.pid) };
  } catch (err) {
    await spawned.stop(5_000);
    throw err;
  }
}
