import { defineEntity, p } from '@mikro-orm/core';
import { environmentRecord } from '../../db/base-properties.ts';

export const testClockStatuses = ['ready', 'advancing', 'internal_failure'] as const;
/** Where a clock is: at rest, running an advance's due work, or stopped by a failure of it. */
export type TestClockStatus = (typeof testClockStatuses)[number];

/**
 * A test clock (Tally extension): simulated time for the customers created on it. `status` is the
 * record's life (`published`, `deleted`), as for every record; `clockStatus` is the clock's own
 * state, which the wire calls `status`. While `advancing`, `advanceTarget` is where the advance goes,
 * `advanceToken` names the process running it and `leaseUntil` is when another process may take it
 * over (the runner renews it as it goes). `failedAt` and `failureMessage` describe an
 * `internal_failure`.
 */
export const TestClockSchema = defineEntity(environmentRecord('TestClock', 'test_clocks', {
  name: p.string().length(255).default(''),
  frozenTime: p.datetime(),
  clockStatus: p.string().length(20).$type<TestClockStatus>().default('ready'),
  advanceTarget: p.datetime().nullable(),
  advanceToken: p.string().length(64).nullable(),
  leaseUntil: p.datetime().nullable(),
  failedAt: p.datetime().nullable(),
  failureMessage: p.text().nullable(),
}, {
  // The billing worker looks for advances whose process died (their lease ran out), over every environment.
  indexes: [{ name: 'test_clocks_advancing_idx', properties: ['leaseUntil'], where: "clock_status = 'advancing'" }],
}));
export class TestClock extends TestClockSchema.class {}
TestClockSchema.setClass(TestClock);
