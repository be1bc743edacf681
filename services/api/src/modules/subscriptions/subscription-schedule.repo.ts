import { LockMode } from '@mikro-orm/core';
import { scopeOf, type AuthContext } from '../../auth-context.ts';
import { RecordRepo } from '../../db/record-repo.ts';
import type { Tx } from '../../db/transactions.ts';
import { newId } from '../../ids.ts';
import { newRecord } from '../../records.ts';
import type { Subscription } from './subscription.entity.ts';
import { SubscriptionSchedule, type ScheduleStatus, type ScheduleType } from './subscription-schedule.entity.ts';

export type ScheduleQuery = { subscriptionId?: string; subscriptionIds?: string[]; types?: ScheduleType[]; statuses?: ScheduleStatus[]; pendingOnly: boolean; limit: number; offset: number };

/** Every query of subscription schedules. */
export class SubscriptionScheduleRepo extends RecordRepo<SubscriptionSchedule> {
  constructor() {
    super(SubscriptionSchedule, {}, 'subscription schedule');
  }

  /** A pending schedule of the subscription at `at`, with what it will do (`configuration`), in the caller's unit of work. */
  addPending(tx: Tx, auth: AuthContext, sub: Subscription, type: ScheduleType, at: Date, configuration: Record<string, unknown>, now: Date): SubscriptionSchedule {
    return this.add(tx, {
      id: newId('subscriptionSchedule'),
      subscriptionId: sub.id,
      customerId: sub.customerId,
      scheduleType: type,
      scheduleStatus: 'pending',
      scheduledAt: at,
      configuration,
      executionResult: null,
      executedAt: null,
      cancelledAt: null,
      errorMessage: null,
      metadata: {},
      ...newRecord(auth, now),
    });
  }

  /** The schedule, locked until the unit of work ends. */
  locked(tx: Tx, auth: AuthContext, id: string): Promise<SubscriptionSchedule | null> {
    return tx.findOne(SubscriptionSchedule, { ...scopeOf(auth), id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  }

  /** The subscription's pending schedules (of one type when given), soonest first. */
  pendingOf(tx: Tx, auth: AuthContext, subscriptionId: string, type?: ScheduleType): Promise<SubscriptionSchedule[]> {
    return tx.find(
      SubscriptionSchedule,
      { ...scopeOf(auth), subscriptionId, scheduleStatus: 'pending', ...(type ? { scheduleType: type } : {}) },
      { orderBy: { scheduledAt: 'asc', id: 'asc' } },
    );
  }

  /** A page of schedules, soonest first; and how many there are. */
  async page(tx: Tx, auth: AuthContext, q: ScheduleQuery): Promise<{ items: SubscriptionSchedule[]; total: number }> {
    const where: Record<string, unknown>[] = [scopeOf(auth)];
    if (q.subscriptionId) where.push({ subscriptionId: q.subscriptionId });
    if (q.subscriptionIds?.length) where.push({ subscriptionId: { $in: q.subscriptionIds } });
    if (q.types?.length) where.push({ scheduleType: { $in: q.types } });
    if (q.statuses?.length) where.push({ scheduleStatus: { $in: q.statuses } });
    if (q.pendingOnly) where.push({ scheduleStatus: 'pending' });
    const [items, total] = await tx.findAndCount(SubscriptionSchedule, { $and: where }, { orderBy: { scheduledAt: 'asc', id: 'asc' }, limit: q.limit, offset: q.offset });
    return { items, total };
  }
}
