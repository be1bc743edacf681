import type { components } from '@tally/contract';
import type { AuthContext } from '../../auth-context.ts';
import type { Tx } from '../../db/transactions.ts';
import { newId } from '../../ids.ts';
import { WebhookEventRepo } from './webhook-event.repo.ts';

export type WebhookEventType = components['schemas']['WebhookEventType'];

/**
 * A state change to announce. `payload` is the entity part of the delivered body — FlexPrice's
 * trimmed object under its entity key (`{customer: {…}}`) — built by the emitting module at the
 * moment of the change: a delivery says what happened, not what is true when it is sent.
 */
export type NewWebhookEvent = {
  eventType: WebhookEventType;
  entityType: string;
  entityId: string;
  payload: Record<string, unknown>;
  /** When the change happened: the emitting use case's time (its injected clock). */
  at: Date;
  /** Only this endpoint receives the event (test events). */
  endpointId?: string;
};

const events = new WebhookEventRepo();

/**
 * Writes system events into the outbox inside `tx`, the unit of work of the change they announce:
 * they exist (and wake the delivery workers) only if that change commits. Returns their ids
 * (`sys_event_<ULID>`), which are also the `webhook-id` of every delivery.
 */
export async function recordAll(tx: Tx, auth: AuthContext, list: NewWebhookEvent[]): Promise<string[]> {
  const rows = list.map((e) => ({
    id: newId('systemEvent'),
    tenantId: auth.tenantId,
    environmentId: auth.environmentId,
    eventType: e.eventType,
    entityType: e.entityType,
    entityId: e.entityId,
    endpointId: e.endpointId ?? null,
    payload: JSON.stringify(e.payload),
    createdAt: e.at,
  }));
  await events.insert(tx, rows);
  return rows.map((r) => r.id);
}

/** {@link recordAll} for one event: the one-line call every announcing use case makes in its transaction. */
export async function record(tx: Tx, auth: AuthContext, event: NewWebhookEvent): Promise<string> {
  const [id] = await recordAll(tx, auth, [event]);
  return id!;
}
