import type { components, operations } from '@tally/contract';
import { parseTimeWindow } from '../../wire/date-input.ts';
import { parseExactJson } from '../../wire/exact-json.ts';
import { throwIfProblems, type Problems } from '../../errors/problems.ts';
import { pageOf } from '../../listing/pagination.ts';
import { deliveryBody } from './webhook-body.ts';
import type { AttemptRow, DeliveryRow, WebhookEventFilter, WebhookEventRow } from './webhook-event.repo.ts';
import type { WebhookEventType } from './webhook-outbox.ts';

type ListParams = operations['listWebhookEvents']['parameters']['query'];
type RetryRequest = components['schemas']['RetryWebhookEventRequest'];
export type WebhookEventResponse = components['schemas']['WebhookEventResponse'];
export type WebhookDeliveryResponse = components['schemas']['WebhookDeliveryResponse'];
type DeliveryState = components['schemas']['WebhookDeliveryState'];

export type { WebhookEventFilter } from './webhook-event.repo.ts';

export function fromWebhookEventListRequest(query: ListParams | undefined): WebhookEventFilter {
  const q = query ?? {};
  const errors: Problems = {};
  const { start: startTime, end: endTime } = parseTimeWindow(q, errors);
  const page = pageOf(q);
  throwIfProblems(errors);
  return { page, eventType: q.event_type, entityType: q.entity_type, entityId: q.entity_id, startTime, endTime };
}

/** Which endpoint to re-deliver to, if one is named. */
export function fromRetryWebhookEventRequest(body: RetryRequest | undefined): { endpointId?: string } {
  return { endpointId: body?.endpoint_id };
}

export function toWebhookEventResponse(row: WebhookEventRow): WebhookEventResponse {
  return {
    id: row.id,
    event_type: row.event_type as WebhookEventType,
    entity_type: row.entity_type,
    entity_id: row.entity_id,
    payload: parseExactJson(deliveryBody(row.event_type, row.payload)) as Record<string, unknown>,
    environment_id: row.environment_id,
    tenant_id: row.tenant_id,
    created_at: row.created_at.toISOString(),
  };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toWebhookDeliveryResponses(deliveries: DeliveryRow[], attempts: AttemptRow[]): WebhookDeliveryResponse[] {
  return deliveries.map((d) => ({
    event_id: d.event_id,
    endpoint_id: d.endpoint_id,
    endpoint_url: d.endpoint_url ?? '',
    state: d.state as DeliveryState,
    attempt_count: Number(d.attempts),
    next_attempt_at: d.state === 'pending' || d.state === 'delivering' ? iso(d.next_attempt_at) : null,
    last_status_code: d.last_status_code,
    last_error: d.last_error,
    succeeded_at: iso(d.succeeded_at),
    created_at: d.created_at.toISOString(),
    updated_at: d.updated_at.toISOString(),
    attempts: attempts
      .filter((a) => a.endpoint_id === d.endpoint_id)
      .map((a) => ({
        attempt: Number(a.attempt),
        started_at: a.started_at.toISOString(),
        duration_ms: Number(a.duration_ms),
        status_code: a.status_code,
        response_body: a.response_body,
        error: a.error,
      })),
  }));
}
