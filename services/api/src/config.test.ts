import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    expect(loadConfig({})).toEqual({
      port: 8080,
      host: '0.0.0.0',
      databaseUrl: undefined,
      dataDir: resolve(process.cwd(), '.data'),
      apiKey: undefined,
      logLevel: 'info',
      validateResponses: false,
      bodyLimit: '1mb',
      eventsBodyLimit: '32mb',
      rateLimit: { perWindow: 1000, eventsPerWindow: 20000, failedAuthPerWindow: 30, windowSeconds: 60 },
      webhooks: {
        allowPrivate: false,
        timeoutMs: 10_000,
        leaseMs: 40_000,
        concurrency: 64,
        perEndpointConcurrency: 32,
        retentionMs: 30 * 24 * 3600 * 1000,
        pollMs: 1000,
        worker: true,
        rejectedEventWindowMs: 600_000,
      },
      billing: { worker: true, pollMs: 10_000, advanceWaitMs: 10_000, finalizationDelayMs: 0 },
    });
  });

  it('treats empty variables as unset', () => {
    const env = {
      PORT: '', HOST: '', DATABASE_URL: '', TALLY_DATA_DIR: '', TALLY_API_KEY: '', LOG_LEVEL: '', TALLY_BODY_LIMIT: '', TALLY_EVENTS_BODY_LIMIT: '',
      TALLY_RATE_LIMIT_PER_MINUTE: '', TALLY_EVENTS_RATE_LIMIT_PER_MINUTE: '', TALLY_FAILED_AUTH_RATE_LIMIT_PER_MINUTE: '', TALLY_RATE_LIMIT_WINDOW_SECONDS: '',
      TALLY_WEBHOOK_ALLOW_PRIVATE: '', TALLY_WEBHOOK_TIMEOUT_SECONDS: '', TALLY_WEBHOOK_LEASE_SECONDS: '', TALLY_WEBHOOK_CONCURRENCY: '',
      TALLY_WEBHOOK_ENDPOINT_CONCURRENCY: '', TALLY_WEBHOOK_RETENTION_DAYS: '', TALLY_WEBHOOK_POLL_MS: '', TALLY_WEBHOOK_WORKER: '',
      TALLY_WEBHOOK_REJECTED_EVENT_WINDOW_SECONDS: '', TALLY_BILLING_WORKER: '', TALLY_BILLING_POLL_SECONDS: '', TALLY_TEST_CLOCK_ADVANCE_WAIT_SECONDS: '', TALLY_INVOICE_FINALIZATION_DELAY_SECONDS: '',
    };
    expect(loadConfig(env)).toEqual(loadConfig({}));
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: 'postgres://u@db:5432/tally',
      TALLY_DATA_DIR: '/var/lib/tally',
      TALLY_API_KEY: 'sk_mine',
      LOG_LEVEL: 'silent',
      TALLY_VALIDATE_RESPONSES: '1',
      TALLY_BODY_LIMIT: '32mb',
      TALLY_EVENTS_BODY_LIMIT: '64mb',
      TALLY_RATE_LIMIT_PER_MINUTE: '50',
      TALLY_EVENTS_RATE_LIMIT_PER_MINUTE: '500',
      TALLY_FAILED_AUTH_RATE_LIMIT_PER_MINUTE: '7',
      TALLY_RATE_LIMIT_WINDOW_SECONDS: '2',
      TALLY_WEBHOOK_ALLOW_PRIVATE: '1',
      TALLY_WEBHOOK_TIMEOUT_SECONDS: '2',
      TALLY_WEBHOOK_LEASE_SECONDS: '5',
      TALLY_WEBHOOK_CONCURRENCY: '8',
      TALLY_WEBHOOK_ENDPOINT_CONCURRENCY: '2',
      TALLY_WEBHOOK_RETENTION_DAYS: '7',
      TALLY_WEBHOOK_POLL_MS: '200',
      TALLY_WEBHOOK_WORKER: '0',
      TALLY_WEBHOOK_REJECTED_EVENT_WINDOW_SECONDS: '0',
      TALLY_BILLING_WORKER: '0',
      TALLY_BILLING_POLL_SECONDS: '3',
      TALLY_TEST_CLOCK_ADVANCE_WAIT_SECONDS: '0',
      TALLY_INVOICE_FINALIZATION_DELAY_SECONDS: '3600',
    });
    expect(config).toEqual({
      port: 0,
      host: '127.0.0.1',
      databaseUrl: 'postgres://u@db:5432/tally',
      dataDir: '/var/lib/tally',
      apiKey: 'sk_mine',
      logLevel: 'silent',
      validateResponses: true,
      bodyLimit: '32mb',
      eventsBodyLimit: '64mb',
      rateLimit: { perWindow: 50, eventsPerWindow: 500, failedAuthPerWindow: 7, windowSeconds: 2 },
      webhooks: {
        allowPrivate: true,
        timeoutMs: 2000,
        leaseMs: 5000,
        concurrency: 8,
        perEndpointConcurrency: 2,
        retentionMs: 7 * 24 * 3600 * 1000,
        pollMs: 200,
        worker: false,
        rejectedEventWindowMs: 0,
      },
      billing: { worker: false, pollMs: 3000, advanceWaitMs: 0, finalizationDelayMs: 3_600_000 },
    });
  });

  it('refuses a webhook lease no longer than the delivery timeout', () => {
    expect(() => loadConfig({ TALLY_WEBHOOK_TIMEOUT_SECONDS: '10', TALLY_WEBHOOK_LEASE_SECONDS: '10' })).toThrow(
      'TALLY_WEBHOOK_LEASE_SECONDS must be longer than TALLY_WEBHOOK_TIMEOUT_SECONDS',
    );
    expect(() => loadConfig({ TALLY_WEBHOOK_ALLOW_PRIVATE: 'yes' })).toThrow('TALLY_WEBHOOK_ALLOW_PRIVATE must be 1 or 0, got "yes"');
  });

  it('refuses a billing poll that is not a positive number of seconds, and a wait that is not a whole number of seconds', () => {
    expect(() => loadConfig({ TALLY_BILLING_POLL_SECONDS: '0' })).toThrow('TALLY_BILLING_POLL_SECONDS must be a positive integer, got "0"');
    expect(() => loadConfig({ TALLY_TEST_CLOCK_ADVANCE_WAIT_SECONDS: '2.5' })).toThrow('TALLY_TEST_CLOCK_ADVANCE_WAIT_SECONDS must be a non-negative integer, got "2.5"');
    expect(() => loadConfig({ TALLY_BILLING_WORKER: 'off' })).toThrow('TALLY_BILLING_WORKER must be 1 or 0, got "off"');
  });

  it('resolves a relative data dir against where npm was started (INIT_CWD)', () => {
    expect(loadConfig({ INIT_CWD: '/home/me/project' }).dataDir).toBe('/home/me/project/.data');
    expect(loadConfig({ INIT_CWD: '/home/me/project', TALLY_DATA_DIR: 'db' }).dataDir).toBe('/home/me/project/db');
    expect(loadConfig({ TALLY_DATA_DIR: 'db' }).dataDir).toBe(resolve(process.cwd(), 'db'));
  });

  it('validates responses under tests and when asked, not otherwise', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).validateResponses).toBe(true);
    expect(loadConfig({ TALLY_VALIDATE_RESPONSES: '1' }).validateResponses).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production', TALLY_VALIDATE_RESPONSES: '0' }).validateResponses).toBe(false);
  });

  it('accepts the ends of the port range', () => {
    expect(loadConfig({ PORT: '65535' }).port).toBe(65535);
    expect(loadConfig({ PORT: '1' }).port).toBe(1);
  });

  it.each(['abc', '8080x', '-1', '65536', '80.5', 'Infinity', ' ', '0x50', '1e3'])('refuses PORT=%s, naming the variable and the value', (value) => {
    expect(() => loadConfig({ PORT: value })).toThrow(`PORT must be an integer 0–65535, got "${value}"`);
  });

  it.each(['verbose', 'INFO', 'warning'])('refuses LOG_LEVEL=%s and lists the levels', (value) => {
    expect(() => loadConfig({ LOG_LEVEL: value })).toThrow(
      `LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "${value}"`,
    );
  });

  it('accepts every pino level', () => {
    for (const level of ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) expect(loadConfig({ LOG_LEVEL: level }).logLevel).toBe(level);
  });

  it('refuses a rate limit that is not a positive integer, naming the variable', () => {
    expect(() => loadConfig({ TALLY_RATE_LIMIT_PER_MINUTE: '0' })).toThrow('TALLY_RATE_LIMIT_PER_MINUTE must be a positive integer, got "0"');
    expect(() => loadConfig({ TALLY_RATE_LIMIT_WINDOW_SECONDS: '1.5' })).toThrow('TALLY_RATE_LIMIT_WINDOW_SECONDS');
  });
});
