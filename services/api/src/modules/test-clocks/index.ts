/** Test clocks (Tally extension), as other modules and the composition root use them. */
export {
  TestClockService,
  type ClockAdvanceHooks,
  type ClockDueWork,
  type ClockScope,
  type TestClockDeletionHook,
  type TestClockServiceOptions,
} from './test-clock.service.ts';
export { TestClockReader, type CustomerTime, type TestClockView } from './test-clock.reader.ts';
export type { TestClockStatus } from './test-clock.entity.ts';
