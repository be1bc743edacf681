import type { components, operations } from '@tally/contract';
import { throwIfProblems, type Problems } from '../../errors/problems.ts';
import { pageOf, type Page } from '../../listing/pagination.ts';
import { recordFields } from '../../wire/record-fields.ts';
import type { WebhookEndpoint } from './webhook-endpoint.entity.ts';
import type { WebhookEventType } from './webhook-outbox.ts';

type CreateRequest = components['schemas']['CreateWebhookEndpointRequest'];
type UpdateRequest = components['schemas']['UpdateWebhookEndpointRequest'];
type ListParams = operations['listWebhookEndpoints']['parameters']['query'];
export type WebhookEndpointResponse = components['schemas']['WebhookEndpointResponse'];

/** An endpoint to create: the URL trimmed, the filter without repeats (empty = every event). */
export type NewWebhookEndpoint = {
  url: string;
  description: string;
  eventTypes: WebhookEventType[];
  disabled: boolean;
  metadata: Record<string, string>;
};

/** Changes to an endpoint: `undefined` leaves a field as it is. */
export type WebhookEndpointChanges = Partial<NewWebhookEndpoint>;

function parseUrl(url: string | undefined, errors: Problems): string | undefined {
  if (url === undefined) return undefined;
  const trimmed = url.trim();
  if (trimmed === '') errors.url = 'must not be blank';
  return trimmed;
}

function parseEventTypes(types: WebhookEventType[] | undefined, errors: Problems): WebhookEventType[] | undefined {
  if (types === undefined) return undefined;
  types.forEach((t, i) => {
    if (types.indexOf(t) !== i) errors[`event_types[${i}]`] = `lists ${t} a second time`;
  });
  return types;
}

export function fromCreateWebhookEndpointRequest(body: CreateRequest): NewWebhookEndpoint {
  const errors: Problems = {};
  const url = parseUrl(body.url, errors) ?? '';
  const eventTypes = parseEventTypes(body.event_types, errors) ?? [];
  throwIfProblems(errors);
  return { url, description: body.description ?? '', eventTypes, disabled: body.disabled ?? false, metadata: body.metadata ?? {} };
}

export function fromUpdateWebhookEndpointRequest(body: UpdateRequest): WebhookEndpointChanges {
  const errors: Problems = {};
  const changes: WebhookEndpointChanges = {
    url: parseUrl(body.url, errors),
    description: body.description,
    eventTypes: parseEventTypes(body.event_types, errors),
    disabled: body.disabled,
    metadata: body.metadata,
  };
  throwIfProblems(errors);
  return changes;
}

export function fromWebhookEndpointListRequest(query: ListParams | undefined): Page {
  return pageOf(query ?? {});
}

/** Entity → wire; the secret only when given (the answers of create and rotate). */
export function toWebhookEndpointResponse(e: WebhookEndpoint, secret?: string): WebhookEndpointResponse {
  return {
    id: e.id,
    url: e.url,
    description: e.description,
    event_types: e.eventTypes as WebhookEventType[],
    disabled: e.disabled,
    disabled_reason: e.disabledReason ?? null,
    disabled_at: e.disabledAt ? e.disabledAt.toISOString() : null,
    metadata: e.metadata ?? {},
    ...(secret !== undefined ? { secret } : {}),
    previous_secret_expires_at: e.previousSecretExpiresAt ? e.previousSecretExpiresAt.toISOString() : null,
    ...recordFields(e),
  };
}

/** The endpoint as a Tally system event carries it (`webhook_endpoint.*`): never its secret. */
export type EndpointEventFields = {
  id: string;
  url: string;
  description: string;
  event_types: string[];
  disabled: boolean;
  disabled_reason: string | null;
  disabled_at: string | null;
  metadata: Record<string, string>;
};

export function toEndpointEventPayload(e: EndpointEventFields, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { webhook_endpoint: { ...e, ...extra } };
}
