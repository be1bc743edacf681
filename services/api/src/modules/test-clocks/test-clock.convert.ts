import type { components } from '@tally/contract';
import type { QueryParams } from '../../wire/contract-types.ts';
import { throwIfProblems, type Problems } from '../../errors/problems.ts';
import { listQueryOf, type ListQuery } from '../../listing/list-query.ts';
import { parseDateInput } from '../../wire/date-input.ts';
import type { TestClock } from './test-clock.entity.ts';
import { testClockSearchFields } from './test-clock.search.ts';

type CreateRequest = components['schemas']['CreateTestClockRequest'];
type AdvanceRequest = components['schemas']['AdvanceTestClockRequest'];
export type TestClockResponse = components['schemas']['TestClockResponse'];

/** A clock's time lies where events may be stamped (from the Unix epoch) and ISO strings reach (year 9999). */
const earliest = new Date('1970-01-01T00:00:00Z');
const latest = new Date('9999-12-31T23:59:59Z');

export type NewTestClock = { name: string; frozenTime: Date };

function frozenTimeOf(value: string, problems: Problems): Date {
  const at = parseDateInput(value, 'frozen_time', problems);
  if (at && at < earliest) problems.frozen_time = `must not be before ${earliest.toISOString()}`;
  else if (at && at > latest) problems.frozen_time = `must not be after ${latest.toISOString()}`;
  return at ?? earliest;
}

export function fromCreateTestClockRequest(body: CreateRequest): NewTestClock {
  const problems: Problems = {};
  const frozenTime = frozenTimeOf(body.frozen_time, problems);
  throwIfProblems(problems);
  return { name: body.name ?? '', frozenTime };
}

/** Where an advance takes the clock; whether that is forward is the service's check (it knows the clock). */
export function fromAdvanceTestClockRequest(body: AdvanceRequest): Date {
  const problems: Problems = {};
  const frozenTime = frozenTimeOf(body.frozen_time, problems);
  throwIfProblems(problems);
  return frozenTime;
}

export function fromTestClockListRequest(input: QueryParams<'listTestClocks'> | undefined): ListQuery {
  return listQueryOf({ limit: input?.limit, offset: input?.offset }, testClockSearchFields, 'test_clock');
}

function statusDetails(c: TestClock): TestClockResponse['status_details'] {
  const target = c.advanceTarget?.toISOString() ?? c.frozenTime.toISOString();
  if (c.clockStatus === 'advancing') return { advancing: { target_frozen_time: target } };
  if (c.clockStatus === 'internal_failure') {
    return { internal_failure: { target_frozen_time: target, failed_at: (c.failedAt ?? c.frozenTime).toISOString(), message: c.failureMessage ?? '' } };
  }
  return {};
}

/**
 * Entity → wire: Stripe's clock (`frozen_time`, `status`, `status_details`) with FlexPrice's record
 * fields, except `status`, which is the clock's own (a deleted clock is never shown).
 */
export function toTestClockResponse(c: TestClock): TestClockResponse {
  return {
    id: c.id,
    name: c.name,
    frozen_time: c.frozenTime.toISOString(),
    status: c.clockStatus,
    status_details: statusDetails(c),
    environment_id: c.environmentId,
    tenant_id: c.tenantId,
    created_at: c.createdAt.toISOString(),
    updated_at: c.updatedAt.toISOString(),
    created_by: c.createdBy ?? '',
    updated_by: c.updatedBy ?? '',
  };
}
