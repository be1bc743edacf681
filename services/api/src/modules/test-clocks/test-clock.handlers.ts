import { listResponse } from '../../listing/pagination.ts';
import type { HandlersOf } from '../../request-context.ts';
import { fromAdvanceTestClockRequest, fromCreateTestClockRequest, fromTestClockListRequest, toTestClockResponse } from './test-clock.convert.ts';
import type { TestClockService } from './test-clock.service.ts';

type TestClockHandlers = HandlersOf<'createTestClock' | 'getTestClock' | 'listTestClocks' | 'deleteTestClock' | 'advanceTestClock'>;

export function testClockHandlers(clocks: TestClockService): TestClockHandlers {
  return {
    createTestClock: async ({ body }, ctx) => toTestClockResponse(await clocks.create(ctx.auth, fromCreateTestClockRequest(body))),
    getTestClock: async ({ path }, ctx) => toTestClockResponse(await clocks.get(ctx.auth, path.id)),
    listTestClocks: async ({ query }, ctx) => {
      const list = fromTestClockListRequest(query);
      return listResponse(await clocks.list(ctx.auth, list), list.page, toTestClockResponse);
    },
    deleteTestClock: async ({ path }, ctx) => clocks.delete(ctx.auth, path.id),
    advanceTestClock: async ({ path, body }, ctx) => toTestClockResponse(await clocks.advance(ctx.auth, path.id, fromAdvanceTestClockRequest(body))),
  };
}
