import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export interface RunningTally {
  /** API base, `<url>/v1`. */
  baseUrl: string;
  apiKey: string;
  stop: () => Promise<void>;
}

/**
 * Starts the real Tally service (`node services/api/src/main.ts`) on a free port with a fresh
 * embedded database, and resolves once it logs that it is listening.
 */
export async function startTally(): Promise<RunningTally> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tally-sdk-ts-'));
  const apiKey = `sk_test_${randomBytes(16).toString('hex')}`;
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', TALLY_DATA_DIR: dataDir, TALLY_API_KEY: apiKey, LOG_LEVEL: 'info', TALLY_VALIDATE_RESPONSES: '1', TALLY_WEBHOOK_ALLOW_PRIVATE: '1' };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, ['src/main.ts'], { cwd: join(repoRoot, 'services/api'), env, stdio: ['ignore', 'pipe', 'pipe'] });
  const stop = async () => {
    await stopProcess(child);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const url = await listeningUrl(child);
    return { baseUrl: `${url}/v1`, apiKey, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const seen: string[] = [];
    const timer = setTimeout(() => reject(new Error(`Tally did not log "listening" within 60 s:\n${seen.join('\n')}`)), 60_000);
    child.stderr?.on('data', (chunk: Buffer) => seen.push(chunk.toString()));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      seen.push(line);
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg?.includes('listening') && entry.url) {
          clearTimeout(timer);
          resolvePromise(entry.url);
        }
      } catch {
        // not a log line
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Tally exited with ${code} before listening:\n${seen.join('\n')}`));
    });
  });
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolvePromise) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolvePromise();
    });
    child.kill('SIGTERM');
  });
}
