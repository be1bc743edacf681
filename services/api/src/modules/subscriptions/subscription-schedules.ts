import type { AuthContext } from '../../auth-context.ts';
import type { Tx } from '../../db/transactions.ts';
import { AppError, notFound } from '../../errors/app-error.ts';
import { orNotFound } from '../../errors/not-found.ts';
import { touch } from '../../records.ts';
import type { ServiceContext } from '../../service-context.ts';
import type { CustomerTime } from '../invoices/index.ts';
import { record } from '../webhooks/index.ts';
import type { CancellationConfiguration, ScheduleType, SubscriptionSchedule } from './subscription-schedule.entity.ts';
import { SubscriptionScheduleRepo, type ScheduleQuery } from './subscription-schedule.repo.ts';
import type { SubscriptionRepo } from './subscription.repo.ts';
import { subscriptionEvent } from './subscription.webhook.ts';

/** A schedule and "now" for its customer (for `days_until_execution`). */
export type ScheduleView = { schedule: SubscriptionSchedule; now: Date };

/** Which schedule to call off: by id, or a subscription's pending one of a type. */
export type ScheduleTarget = { id: string } | { subscriptionId: string; type: ScheduleType };

const cancellationKeys = ['cancellation_type', 'cancellation_reason', 'effective_date'];
const orNull = (iso: string | null) => (iso === null ? null : new Date(iso));

/** Subscription schedules (docs/api/subscriptions.md#schedules): read, and called off. */
export class SubscriptionSchedules {
  readonly #ctx: ServiceContext;
  readonly #subscriptions: SubscriptionRepo;
  readonly #time: CustomerTime;
  readonly #repo = new SubscriptionScheduleRepo();

  constructor(ctx: ServiceContext, subscriptions: SubscriptionRepo, time: CustomerTime) {
    this.#ctx = ctx;
    this.#subscriptions = subscriptions;
    this.#time = time;
  }

  /** Every schedule of a subscription (404 for an unknown one), soonest first. */
  ofSubscription(auth: AuthContext, subscriptionId: string): Promise<{ items: ScheduleView[]; total: number }> {
    return this.#ctx.db.read(async (tx) => {
      orNotFound(await this.#subscriptions.get(tx, auth, subscriptionId), 'Subscription', 'id', subscriptionId);
      const page = await this.#repo.page(tx, auth, { subscriptionId, pendingOnly: false, limit: 1000, offset: 0 });
      return { items: await this.#views(tx, auth, page.items), total: page.total };
    });
  }

  list(auth: AuthContext, query: ScheduleQuery): Promise<{ items: ScheduleView[]; total: number }> {
    return this.#ctx.db.read(async (tx) => {
      const page = await this.#repo.page(tx, auth, query);
      return { items: await this.#views(tx, auth, page.items), total: page.total };
    });
  }

  get(auth: AuthContext, id: string): Promise<ScheduleView> {
    return this.#ctx.db.read(async (tx) => (await this.#views(tx, auth, [orNotFound(await this.#repo.get(tx, auth, id), 'Subscription schedule', 'id', id)]))[0]!);
  }

  /**
   * Calls off a pending schedule in one unit of work holding the subscription's lock (the bill run
   * takes it too, so a schedule is never called off while it executes): a cancellation's changes to
   * the subscription are put back.
   */
  cancel(auth: AuthContext, target: ScheduleTarget): Promise<SubscriptionSchedule> {
    return this.#ctx.db.run(async (tx) => {
      const found = 'id' in target ? await this.#repo.get(tx, auth, target.id) : (await this.#repo.pendingOf(tx, auth, target.subscriptionId, target.type))[0];
      if (!found) {
        if ('id' in target) throw notFound('Subscription schedule', 'schedule_id', target.id);
        throw new AppError('not_found', `subscription ${target.subscriptionId} has no pending ${target.type} schedule`, { subscription_id: target.subscriptionId, schedule_type: target.type });
      }
      const sub = orNotFound(await this.#subscriptions.locked(tx, auth, found.subscriptionId), 'Subscription', 'id', found.subscriptionId);
      const schedule = (await this.#repo.locked(tx, auth, found.id))!;
      if (schedule.scheduleStatus !== 'pending') {
        throw new AppError('invalid_operation', `schedule ${schedule.id} is ${schedule.scheduleStatus}; only a pending schedule can be cancelled`, { id: schedule.id, status: schedule.scheduleStatus });
      }
      const now = await this.#time.nowFor(tx, auth, sub.customerId);
      if (schedule.scheduleType === 'cancellation') {
        const original = schedule.configuration as CancellationConfiguration;
        sub.cancelAt = orNull(original.original_cancel_at);
        sub.endDate = orNull(original.original_end_date);
        sub.cancelAtPeriodEnd = original.original_cancel_at_period_end;
        sub.cancelledAt = null;
        // A period cut short by the cancellation gets its end back (unless the bill run has moved on).
        if (sub.currentPeriodEnd.getTime() === schedule.scheduledAt.getTime()) sub.currentPeriodEnd = new Date(original.original_current_period_end);
        sub.metadata = Object.fromEntries(Object.entries(sub.metadata).filter(([k]) => !cancellationKeys.includes(k)));
        sub.version += 1;
        touch(sub, auth, now);
        await record(tx, auth, subscriptionEvent('subscription.updated', sub, now));
      }
      schedule.scheduleStatus = 'cancelled';
      schedule.cancelledAt = now;
      touch(schedule, auth, now);
      return schedule;
    });
  }

  async #views(tx: Tx, auth: AuthContext, schedules: SubscriptionSchedule[]): Promise<ScheduleView[]> {
    const nowByCustomer = new Map<string, Date>();
    for (const s of schedules) if (!nowByCustomer.has(s.customerId)) nowByCustomer.set(s.customerId, await this.#time.nowFor(tx, auth, s.customerId));
    return schedules.map((schedule) => ({ schedule, now: nowByCustomer.get(schedule.customerId)! }));
  }
}
