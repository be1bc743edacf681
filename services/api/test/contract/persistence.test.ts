import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import { ApiClient } from '../support/api-client.ts';

// These tests run the server as `npm start` does: an embedded PGlite on disk, whatever DATABASE_URL
// says. An on-disk initdb takes a few seconds, hence the long timeouts.
const slow = { timeout: 120_000 };

const dirs: string[] = [];
const running = new Set<RunningServer>();
const children = new Set<ChildProcess>();

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tally-persist-'));
  dirs.push(dir);
  return dir;
}

const configFor = (dataDir: string, extra: Record<string, string> = {}) =>
  loadConfig({ TALLY_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', NODE_ENV: 'test', ...extra });

async function start(dataDir: string, extra: Record<string, string> = {}): Promise<RunningServer> {
  const server = await startServer(configFor(dataDir, extra));
  running.add(server);
  return server;
}

async function stop(server: RunningServer): Promise<void> {
  await server.close();
  running.delete(server);
}

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  for (const server of running) await server.close().catch(() => {});
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('an embedded database on disk', () => {
  const dataDir = tempDir();
  const keyFile = join(dataDir, 'bootstrap-api-key');
  let apiKey: string;
  let customerIds: string[];

  it('writes a working bootstrap key to <dataDir>/bootstrap-api-key, readable by the owner only', slow, async () => {
    const server = await start(dataDir);
    expect(existsSync(keyFile)).toBe(true);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const content = readFileSync(keyFile, 'utf8');
    expect(content).toMatch(/^sk_[0-9A-HJKMNP-TV-Z]{26}\n$/);
    apiKey = content.trim();
    expect(server.bootstrap.createdApiKey).toBe(apiKey);
    expect(existsSync(join(dataDir, 'tally.lock'))).toBe(true);

    const api = new ApiClient(server.url, apiKey);
    expect((await api.get('/v1/customers')).status).toBe(200);
    customerIds = [];
    for (const [external_id, name] of [['p-1', 'Persisted One'], ['p-2', 'Persisted Two']]) {
      const res = await api.post('/v1/customers', { external_id, name, metadata: { plan: 'gold' } });
      expect(res.status).toBe(201);
      customerIds.push(res.body.id);
    }

    // A second process on the same directory while the first runs is refused, naming the directory.
    const second = startServer(configFor(dataDir));
    await expect(second).rejects.toThrow(/Another Tally process/);
    await expect(second).rejects.toThrow(dataDir);
    // The first one is unharmed.
    expect((await api.get('/v1/customers')).body.pagination.total).toBe(2);

    await stop(server);
    expect(existsSync(join(dataDir, 'tally.lock'))).toBe(false);
  });

  it('keeps data across a restart and makes no second key', slow, async () => {
    const before = statSync(keyFile);
    const server = await start(dataDir);
    expect(server.bootstrap.createdApiKey).toBeUndefined();
    expect(readFileSync(keyFile, 'utf8')).toBe(`${apiKey}\n`);
    expect(statSync(keyFile).mtimeMs).toBe(before.mtimeMs);

    const api = new ApiClient(server.url, apiKey);
    const customers = await api.get('/v1/customers?order=asc&sort=created_at');
    expect(customers.status).toBe(200);
    expect(customers.body.pagination.total).toBe(2);
    expect(customers.body.items.map((c: { id: string }) => c.id).sort()).toEqual([...customerIds].sort());
    expect((await api.get('/v1/customers/external/p-1')).body).toMatchObject({ id: customerIds[0], name: 'Persisted One', metadata: { plan: 'gold' } });

    const keys = await api.get('/v1/secrets/api/keys');
    expect(keys.body.items).toHaveLength(1);
    expect(keys.body.items[0]).toMatchObject({ name: 'Bootstrap key', display_id: `${apiKey.slice(0, 5)}***${apiKey.slice(-2)}` });
    const envs = await api.get('/v1/environments');
    expect(envs.body.environments.map((e: { name: string }) => e.name)).toEqual(['Development', 'Production']);
    await stop(server);
  });
});

describe('TALLY_API_KEY', () => {
  it('makes that key work and writes no bootstrap file, also after a restart without it', slow, async () => {
    const dataDir = tempDir();
    const chosen = `sk_test_${randomBytes(12).toString('hex')}`;
    const server = await start(dataDir, { TALLY_API_KEY: chosen });
    expect(server.bootstrap.createdApiKey).toBeUndefined();
    expect(existsSync(join(dataDir, 'bootstrap-api-key'))).toBe(false);

    const api = new ApiClient(server.url, chosen);
    const keys = await api.get('/v1/secrets/api/keys');
    expect(keys.status).toBe(200);
    expect(keys.body.items).toEqual([expect.objectContaining({ name: 'TALLY_API_KEY', display_id: `${chosen.slice(0, 5)}***${chosen.slice(-2)}` })]);
    expect((await api.post('/v1/customers', { external_id: 'k-1', name: 'Keyed' })).status).toBe(201);
    await stop(server);

    // The key is stored: without the variable it still works and no other key is made.
    const again = await start(dataDir);
    expect(again.bootstrap.createdApiKey).toBeUndefined();
    expect(existsSync(join(dataDir, 'bootstrap-api-key'))).toBe(false);
    const api2 = new ApiClient(again.url, chosen);
    expect((await api2.get('/v1/customers/external/k-1')).body.name).toBe('Keyed');
    expect((await api2.get('/v1/secrets/api/keys')).body.items).toHaveLength(1);

    // Revoked through the API, the key works again once the operator starts with it.
    const other = await api2.post('/v1/secrets/api/keys', { name: 'other', type: 'private_key' });
    const chosenId = (await api2.get('/v1/secrets/api/keys')).body.items.find((k: { name: string }) => k.name === 'TALLY_API_KEY').id;
    expect((await api2.delete(`/v1/secrets/api/keys/${chosenId}`)).status).toBe(204);
    expect((await api2.get('/v1/customers')).status).toBe(401);
    await stop(again);

    const revived = await start(dataDir, { TALLY_API_KEY: chosen });
    expect((await new ApiClient(revived.url, chosen).get('/v1/customers/external/k-1')).status).toBe(200);
    const keys3 = (await new ApiClient(revived.url, other.body.api_key).get('/v1/secrets/api/keys')).body.items;
    expect(keys3.map((k: { name: string }) => k.name).sort()).toEqual(['TALLY_API_KEY', 'other']);
    await stop(revived);
  });
});

describe('the real process', () => {
  it('stops on SIGTERM with exit code 0 and releases the data directory', slow, async () => {
    const dataDir = tempDir();
    const child = spawn(process.execPath, ['src/main.ts'], {
      cwd: new URL('../..', import.meta.url).pathname,
      env: { PATH: process.env.PATH, TALLY_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    const lines: Array<Record<string, any>> = [];
    let stderr = '';
    let partial = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => {
        const text = partial + d.toString();
        const complete = text.split('\n');
        partial = complete.pop()!;
        for (const line of complete) {
          if (!line.trim()) continue;
          const entry = JSON.parse(line);
          lines.push(entry);
          if (typeof entry.msg === 'string' && entry.msg.includes('listening')) resolve(entry.url);
        }
      });
      exited.then(({ code }) => reject(new Error(`tally exited (${code}) before listening: ${stderr}`)));
    });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const key = readFileSync(join(dataDir, 'bootstrap-api-key'), 'utf8').trim();
    const warned = lines.find((l) => l.level === 40 && l.saved_to);
    expect(warned?.saved_to).toBe(join(dataDir, 'bootstrap-api-key'));
    const api = new ApiClient(url, key);
    const created = await api.post('/v1/customers', { external_id: 'sig-1', name: 'Before SIGTERM' });
    expect(created.status).toBe(201);
    expect(existsSync(join(dataDir, 'tally.lock'))).toBe(true);

    // A request in flight when SIGTERM arrives still completes: its body is only half sent.
    let finishBody!: () => void;
    const rest = new Promise<void>((resolve) => (finishBody = resolve));
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(encoder.encode('{"external_id": "sig-2", '));
        await rest;
        controller.enqueue(encoder.encode('"name": "During SIGTERM"}'));
        controller.close();
      },
    });
    const inFlight = fetch(`${url}/v1/customers`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
    // Let the request reach the server before the signal.
    await new Promise((r) => setTimeout(r, 300));
    const signalledAt = Date.now();
    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    finishBody();
    const during = await inFlight;
    expect(during.status).toBe(201);
    expect(((await during.json()) as { external_id: string }).external_id).toBe('sig-2');
    // The client is told not to reuse the connection, so it does not hold the shutdown up.
    expect(during.headers.get('connection')).toBe('close');

    const { code, signal } = await exited;
    // Well before the 10 s drain deadline: nothing waited for a keep-alive to run out.
    expect(Date.now() - signalledAt).toBeLessThan(8_000);
    children.delete(child);
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(lines.some((l) => l.signal === 'SIGTERM' && /shutting down/.test(l.msg))).toBe(true);
    expect(existsSync(join(dataDir, 'tally.lock'))).toBe(false);

    // What it wrote survived the shutdown.
    const server = await start(dataDir);
    const after = new ApiClient(server.url, key);
    expect((await after.get('/v1/customers/external/sig-1')).body.name).toBe('Before SIGTERM');
    expect((await after.get('/v1/customers/external/sig-2')).body.name).toBe('During SIGTERM');
    await stop(server);
  });
});
