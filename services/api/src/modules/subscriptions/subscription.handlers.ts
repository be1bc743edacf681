import { listResponse } from '../../listing/pagination.ts';
import type { HandlersOf } from '../../request-context.ts';
import {
  embedsOf,
  fromActivateRequest,
  fromCreateSubscriptionRequest,
  fromSubscriptionListRequest,
  fromUpdateSubscriptionRequest,
  type SubscriptionQuery,
} from './subscription.convert.ts';
import { toSubscriptionResponse, toSubscriptionResponseV2 } from './subscription-response.ts';
import type { SubscriptionService } from './subscription.service.ts';
import type { SubscriptionCancellations } from './subscription-cancel.service.ts';
import { fromCancelSubscriptionRequest, toCancelSubscriptionResponse } from './subscription-cancel.convert.ts';
import type { SubscriptionSchedules } from './subscription-schedules.ts';
import type { SubscriptionPauses } from './subscription-pauses.ts';
import { fromPauseRequest, fromResumeRequest, toPauseResponse } from './subscription-pause.convert.ts';
import { fromScheduleListRequest, scheduleTargetOf, toScheduleResponse, toSchedulesResponse } from './subscription-schedule.convert.ts';
import type { AuthContext } from '../../auth-context.ts';
import type { SubscriptionPlanChanges } from './subscription-change.service.ts';
import { fromSubscriptionChangeV2Request, toSubscriptionChangeV2Response } from './subscription-change.convert.ts';

type SubscriptionHandlers = HandlersOf<
  'createSubscription' | 'getSubscription' | 'getSubscriptionV2' | 'updateSubscription' | 'listSubscriptions' | 'querySubscription' | 'activateSubscription' | 'cancelSubscription'
  | 'getSubscriptionSchedules' | 'listSchedules' | 'getSchedule' | 'cancelSchedule' | 'cancelScheduleByBody'
  | 'listSubscriptionSchedules' | 'listAllSubscriptionSchedules' | 'getSubscriptionSchedule' | 'cancelSubscriptionSchedule'
  | 'pauseSubscription' | 'resumeSubscription' | 'listSubscriptionPauses'
  | 'previewSubscriptionPlanChangeV2' | 'executeSubscriptionPlanChangeV2'
>;

/** The use cases of a subscription's life after its creation. */
export type SubscriptionChangeServices = { cancellations: SubscriptionCancellations; schedules: SubscriptionSchedules; pauses: SubscriptionPauses; planChanges: SubscriptionPlanChanges };

export function subscriptionHandlers(subscriptions: SubscriptionService, { cancellations, schedules, pauses, planChanges }: SubscriptionChangeServices): SubscriptionHandlers {
  const cancelled = { status: 'cancelled' as const, message: 'Schedule cancelled successfully' };
  const list = async (auth: AuthContext, query: SubscriptionQuery) => listResponse(await subscriptions.list(auth, query), query.page, toSubscriptionResponse);
  return {
    createSubscription: async ({ body }, ctx) => toSubscriptionResponse(await subscriptions.create(ctx.auth, fromCreateSubscriptionRequest(body))),
    getSubscription: async ({ path }, ctx) => toSubscriptionResponse(await subscriptions.get(ctx.auth, path.id)),
    getSubscriptionV2: async ({ path, query }, ctx) => toSubscriptionResponseV2(await subscriptions.get(ctx.auth, path.id, embedsOf(query?.expand, false))),
    updateSubscription: async ({ path, body }, ctx) => toSubscriptionResponse(await subscriptions.update(ctx.auth, path.id, fromUpdateSubscriptionRequest(body))),
    listSubscriptions: ({ query }, ctx) => list(ctx.auth, fromSubscriptionListRequest(query)),
    querySubscription: ({ body }, ctx) => list(ctx.auth, fromSubscriptionListRequest(body)),
    activateSubscription: async ({ path, body }, ctx) => toSubscriptionResponse(await subscriptions.activate(ctx.auth, path.id, fromActivateRequest(body))),
    cancelSubscription: async ({ path, body }, ctx) => toCancelSubscriptionResponse(await cancellations.cancel(ctx.auth, path.id, fromCancelSubscriptionRequest(body))),
    getSubscriptionSchedules: async ({ path }, ctx) => toSchedulesResponse(await schedules.ofSubscription(ctx.auth, path.id)),
    listSubscriptionSchedules: async ({ path }, ctx) => toSchedulesResponse(await schedules.ofSubscription(ctx.auth, path.subscription_id)),
    listSchedules: async ({ query }, ctx) => toSchedulesResponse(await schedules.list(ctx.auth, fromScheduleListRequest(query))),
    listAllSubscriptionSchedules: async ({ query }, ctx) => toSchedulesResponse(await schedules.list(ctx.auth, fromScheduleListRequest(query))),
    getSchedule: async ({ path }, ctx) => toScheduleResponse(await schedules.get(ctx.auth, path.id)),
    getSubscriptionSchedule: async ({ path }, ctx) => toScheduleResponse(await schedules.get(ctx.auth, path.id)),
    cancelSchedule: async ({ path, body }, ctx) => (await schedules.cancel(ctx.auth, scheduleTargetOf(body, path.id)), cancelled),
    cancelSubscriptionSchedule: async ({ path, body }, ctx) => (await schedules.cancel(ctx.auth, scheduleTargetOf(body, path.schedule_id)), cancelled),
    cancelScheduleByBody: async ({ body }, ctx) => (await schedules.cancel(ctx.auth, scheduleTargetOf(body)), cancelled),
    pauseSubscription: async ({ path, body }, ctx) => toPauseResponse(await pauses.pause(ctx.auth, path.id, fromPauseRequest(body))),
    resumeSubscription: async ({ path, body }, ctx) => toPauseResponse(await pauses.resume(ctx.auth, path.id, fromResumeRequest(body))),
    listSubscriptionPauses: async ({ path }, ctx) => (await pauses.list(ctx.auth, path.id)).map(toPauseResponse),
    previewSubscriptionPlanChangeV2: async ({ path, body }, ctx) => toSubscriptionChangeV2Response(await planChanges.preview(ctx.auth, path.id, fromSubscriptionChangeV2Request(body))),
    executeSubscriptionPlanChangeV2: async ({ path, body }, ctx) => toSubscriptionChangeV2Response(await planChanges.execute(ctx.auth, path.id, fromSubscriptionChangeV2Request(body))),
  };
}
