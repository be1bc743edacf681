import { throwIfProblems, type Problems } from '../../errors/problems.ts';
import type { Schemas } from '../../wire/contract-types.ts';
import { parseDateInput } from '../../wire/date-input.ts';
import type { SubscriptionPause } from './subscription-pause.entity.ts';
import type { PauseRequest, ResumeRequest } from './subscription-pauses.ts';

export function fromPauseRequest(body: Schemas['PauseSubscriptionRequest']): PauseRequest {
  const errors: Problems = {};
  const mode = body.pause_mode ?? 'immediate';
  const start = parseDateInput(body.pause_start, 'pause_start', errors);
  const end = parseDateInput(body.pause_end, 'pause_end', errors);
  if (mode === 'scheduled' && !start && errors.pause_start === undefined) errors.pause_start = 'is required for a scheduled pause';
  if (mode !== 'scheduled' && body.pause_start !== undefined) errors.pause_start = `is not allowed for pause_mode ${mode}`;
  if (body.pause_end !== undefined && body.pause_days !== undefined) errors.pause_days = 'cannot be sent with pause_end; send one';
  throwIfProblems(errors);
  return { mode, start, end, days: body.pause_days ?? null, reason: body.reason || null, dryRun: body.dry_run === true, metadata: body.metadata ?? {} };
}

export function fromResumeRequest(body: Schemas['ResumeSubscriptionRequest']): ResumeRequest {
  return { mode: body.resume_mode ?? 'immediate', dryRun: body.dry_run === true, metadata: body.metadata ?? null };
}

export function toPauseResponse(p: SubscriptionPause): Schemas['SubscriptionPauseResponse'] {
  return {
    id: p.id,
    subscription_id: p.subscriptionId,
    pause_status: p.pauseStatus,
    pause_mode: p.pauseMode,
    ...(p.resumeMode ? { resume_mode: p.resumeMode } : {}),
    pause_start: p.pauseStart.toISOString(),
    ...(p.pauseEnd ? { pause_end: p.pauseEnd.toISOString() } : {}),
    ...(p.resumedAt ? { resumed_at: p.resumedAt.toISOString() } : {}),
    original_period_start: p.originalPeriodStart.toISOString(),
    original_period_end: p.originalPeriodEnd.toISOString(),
    ...(p.reason ? { reason: p.reason } : {}),
    metadata: p.metadata ?? {},
    environment_id: p.environmentId,
    tenant_id: p.tenantId,
    status: p.status,
    created_at: p.createdAt.toISOString(),
    updated_at: p.updatedAt.toISOString(),
    ...(p.createdBy ? { created_by: p.createdBy } : {}),
    ...(p.updatedBy ? { updated_by: p.updatedBy } : {}),
  };
}
