import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import type { DatabaseTarget } from '../../src/db/orm.ts';
import { createLogger } from '../../src/logger.ts';
import { startServer, type RunningServer, type StartOptions } from '../../src/server.ts';
import { adminQuery, databaseUrl } from './database.ts';
import { ApiClient } from './api-client.ts';
import { TestClock } from './test-clock.ts';

export type TestServer = RunningServer & {
  /** A client authenticated with the bootstrap key of the default (development) environment. */
  api: ApiClient;
  apiKey: string;
  clock: TestClock;
  /** A client with another key, or none. */
  as(apiKey: string | undefined): ApiClient;
  stop(): Promise<void>;
};

/** What a test adds to the server: due-work handlers (fakes) registered after the built-in ones. */
export type TestServerOptions = Pick<StartOptions, 'dueWork'>;

/**
 * A Tally server on a random port over a fresh database: an in-memory PGlite loaded from the
 * migrated snapshot, or (when DATABASE_URL is set) a new PostgreSQL database copied from the template.
 */
export async function startTestServer(env: Record<string, string> = {}, options: TestServerOptions = {}): Promise<TestServer> {
  const templateUrl = inject('postgresTemplateUrl');
  let database: DatabaseTarget;
  let dropDatabase: (() => Promise<void>) | undefined;
  if (templateUrl) {
    const name = `tally_test_${randomBytes(6).toString('hex')}`;
    const template = new URL(templateUrl).pathname.slice(1);
    // Admin statements go through the `postgres` database: a connection to the template itself
    // would make a concurrent CREATE DATABASE … TEMPLATE fail ("being accessed by other users").
    const admin = databaseUrl(templateUrl, 'postgres');
    await adminQuery(admin, `create database ${name} template ${template}`);
    database = { kind: 'postgresql', url: databaseUrl(templateUrl, name) };
    dropDatabase = () => adminQuery(admin, `drop database if exists ${name} with (force)`);
  } else {
    database = { kind: 'pglite-memory', loadDataDir: new File([readFileSync(inject('pgliteSnapshot'))], 'pgdata.tar') };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'tally-data-'));
  const config = {
    ...loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      TALLY_DATA_DIR: dataDir,
      // High enough that only the rate-limit tests, which set their own, ever meet it.
      TALLY_RATE_LIMIT_PER_MINUTE: '1000000',
      TALLY_FAILED_AUTH_RATE_LIMIT_PER_MINUTE: '1000000',
      // The bill run is driven by the tests (server.billing.tick(), test/support/billing.ts) on the test clock.
      TALLY_BILLING_WORKER: '0',
      ...env,
    }),
    validateResponses: true,
  };
  const clock = new TestClock();
  const server = await startServer(config, { database, clock, log: createLogger((process.env.TEST_LOG_LEVEL ?? 'silent') as never), dueWork: options.dueWork });
  const apiKey = config.apiKey ?? server.bootstrap.createdApiKey;
  if (!apiKey) throw new Error('the test server has no API key');
  return {
    ...server,
    apiKey,
    clock,
    api: new ApiClient(server.url, apiKey),
    as: (key) => new ApiClient(server.url, key),
    stop: async () => {
      await server.close();
      await dropDatabase?.();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A client with a new API key of the tenant's production environment, for isolation checks. */
export async function productionApi(server: TestServer): Promise<{ api: ApiClient; environmentId: string }> {
  const envs = (await server.api.get('/v1/environments')).body.environments as Array<{ id: string; type: string }>;
  const environmentId = envs.find((e) => e.type === 'production')!.id;
  const key = await server.api.post('/v1/secrets/api/keys', { name: 'production', type: 'private_key', environment_id: environmentId });
  if (key.status !== 201) throw new Error(`could not create a production key: ${key.status} ${JSON.stringify(key.body)}`);
  return { api: server.as(key.body.api_key), environmentId };
}
