import type { AuthContext } from '../../auth-context.ts';
import { AppError, invalidFields } from '../../errors/app-error.ts';
import { orNotFound } from '../../errors/not-found.ts';
import { newId } from '../../ids.ts';
import { newRecord, touch } from '../../records.ts';
import type { ServiceContext } from '../../service-context.ts';
import type { CustomerTime } from '../invoices/index.ts';
import type { PauseMode, ResumeMode, SubscriptionPause } from './subscription-pause.entity.ts';
import { SubscriptionPauseRepo } from './subscription-pause.repo.ts';
import { endPause, startPause } from './subscription-pausing.ts';
import type { SubscriptionRepo } from './subscription.repo.ts';

/** A pause to make, as far as the request alone can tell. */
export type PauseRequest = {
  mode: PauseMode;
  start: Date | null;
  end: Date | null;
  days: number | null;
  reason: string | null;
  dryRun: boolean;
  metadata: Record<string, string>;
};
export type ResumeRequest = { mode: ResumeMode; dryRun: boolean; metadata: Record<string, string> | null };

const refused = (message: string, details: Record<string, unknown>) => new AppError('invalid_operation', message, details);
const dayMs = 86_400_000;

/**
 * Pausing and resuming (docs/api/subscriptions.md#pausing) — a Tally extension of FlexPrice's
 * current API, where these routes are no longer served but its TypeScript SDK still calls them.
 */
export class SubscriptionPauses {
  readonly #ctx: ServiceContext;
  readonly #subscriptions: SubscriptionRepo;
  readonly #time: CustomerTime;
  readonly #pauses = new SubscriptionPauseRepo();

  constructor(ctx: ServiceContext, subscriptions: SubscriptionRepo, time: CustomerTime) {
    this.#ctx = ctx;
    this.#subscriptions = subscriptions;
    this.#time = time;
  }

  /**
   * Pauses an `active` subscription now (`immediate`), at `pause_start` (`scheduled`) or at its period
   * end (`period_end`), until `pause_end` / `pause_days` later or until resumed by hand. `dry_run`
   * answers the pause it would make and writes nothing.
   */
  pause(auth: AuthContext, id: string, req: PauseRequest): Promise<SubscriptionPause> {
    return this.#ctx.db.run(async (tx) => {
      const sub = orNotFound(await this.#subscriptions.locked(tx, auth, id), 'Subscription', 'id', id);
      const now = await this.#time.nowFor(tx, auth, sub.customerId);
      if (sub.subscriptionStatus !== 'active') throw refused(`subscription ${id} is ${sub.subscriptionStatus}; only an active subscription can be paused`, { id, subscription_status: sub.subscriptionStatus });
      if (sub.pauseStatus !== 'none') throw refused(`subscription ${id} already has a ${sub.pauseStatus} pause (${sub.activePauseId}); resume it first`, { id, pause_status: sub.pauseStatus });
      const start = req.mode === 'immediate' ? now : req.mode === 'period_end' ? sub.currentPeriodEnd : req.start!;
      if (req.mode === 'scheduled' && start <= now) throw invalidFields({ pause_start: 'must be in the future for a scheduled pause' });
      const end = req.end ?? (req.days !== null ? new Date(start.getTime() + req.days * dayMs) : null);
      if (end && end <= start) throw invalidFields({ pause_end: `must be after the pause's start (${start.toISOString()})` });
      if (sub.cancelAt && start >= sub.cancelAt) throw refused(`subscription ${id} is cancelled at ${sub.cancelAt.toISOString()}, before the pause would start`, { id, cancel_at: sub.cancelAt.toISOString() });
      const pause = {
        id: newId('subscriptionPause'),
        subscriptionId: sub.id,
        customerId: sub.customerId,
        pauseStatus: 'scheduled' as const,
        pauseMode: req.mode,
        resumeMode: end ? ('auto' as const) : null,
        pauseStart: start,
        pauseEnd: end,
        resumedAt: null,
        originalPeriodStart: sub.currentPeriodStart,
        originalPeriodEnd: sub.currentPeriodEnd,
        reason: req.reason,
        metadata: req.metadata,
        ...newRecord(auth, now),
      };
      if (req.dryRun) return { ...pause, id: '' } as unknown as SubscriptionPause;
      const stored = this.#pauses.add(tx, pause);
      sub.pauseStatus = 'scheduled';
      sub.activePauseId = stored.id;
      sub.pauseDueAt = start;
      touch(sub, auth, now);
      await tx.flush();
      if (req.mode === 'immediate') await startPause(tx, auth, sub, now);
      return stored;
    });
  }

  /**
   * Resumes now: an active pause ends (the period is pushed out by the time paused); a pause that has
   * not started is cancelled. FlexPrice's `resume_mode` is recorded; every mode resumes at once, as in
   * FlexPrice. `dry_run` answers the pause as it would end and writes nothing.
   */
  resume(auth: AuthContext, id: string, req: ResumeRequest): Promise<SubscriptionPause> {
    return this.#ctx.db.run(async (tx) => {
      const sub = orNotFound(await this.#subscriptions.locked(tx, auth, id), 'Subscription', 'id', id);
      const now = await this.#time.nowFor(tx, auth, sub.customerId);
      if (sub.pauseStatus === 'none' || !sub.activePauseId) throw refused(`subscription ${id} is not paused`, { id, subscription_status: sub.subscriptionStatus });
      const pause = orNotFound(await this.#pauses.get(tx, auth, sub.activePauseId), 'Subscription pause', 'id', sub.activePauseId);
      if (req.dryRun) return { ...pause, pauseStatus: sub.pauseStatus === 'active' ? 'completed' : 'cancelled', resumeMode: req.mode, resumedAt: now } as unknown as SubscriptionPause;
      if (req.metadata) pause.metadata = { ...pause.metadata, ...req.metadata };
      if (sub.pauseStatus === 'active') return endPause(tx, auth, sub, now, req.mode);
      pause.pauseStatus = 'cancelled';
      pause.resumeMode = req.mode;
      touch(pause, auth, now);
      sub.pauseStatus = 'none';
      sub.activePauseId = null;
      sub.pauseDueAt = null;
      touch(sub, auth, now);
      return pause;
    });
  }

  /** Every pause of the subscription (404 for an unknown one), latest first. */
  list(auth: AuthContext, id: string): Promise<SubscriptionPause[]> {
    return this.#ctx.db.read(async (tx) => {
      orNotFound(await this.#subscriptions.get(tx, auth, id), 'Subscription', 'id', id);
      return this.#pauses.ofSubscription(tx, auth, id);
    });
  }
}
