import { createLogger } from '../../../src/logger.ts';
import { createServices, type Services } from '../../../src/services.ts';
import type { TestServer } from '../../support/test-server.ts';

/**
 * `count` more instances of the use-case layer over the test server's database, as other processes
 * would run beside it: each has its own due-work runner (tests run them side by side to show
 * background work happens once).
 */
export function runnersOf(server: TestServer, count: number): Services[] {
  return Array.from({ length: count }, () => createServices(server.orm, server.clock, createLogger('silent' as never)));
}

/** The scope of the test server's default environment, customers not on a test clock. */
export const defaultScope = (server: TestServer) => ({ testClockId: null, tenantId: server.bootstrap.tenantId, environmentId: server.bootstrap.defaultEnvironmentId });
