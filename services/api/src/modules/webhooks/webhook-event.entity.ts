import { defineEntity, p } from '@mikro-orm/core';
import { scopeProperties } from '../../db/base-properties.ts';

/**
 * The outbox: one row per announced state change, written in the transaction of the change.
 * `payload` is the delivered body's entity part, a snapshot built when the change was made.
 * `fannedOutAt` is null until the worker has created the event's deliveries; `endpointId` names
 * the only endpoint a test event goes to.
 */
export const WebhookEventSchema = defineEntity({
  name: 'WebhookEvent',
  tableName: 'webhook_events',
  properties: {
    id: p.string().length(64).primary(),
    ...scopeProperties(),
    eventType: p.string().length(100),
    entityType: p.string().length(64),
    entityId: p.string().length(255),
    endpointId: p.string().length(64).nullable(),
    payload: p.json<Record<string, unknown>>(),
    createdAt: p.datetime(),
    fannedOutAt: p.datetime().nullable(),
  },
  indexes: [
    { name: 'webhook_events_env_created_idx', properties: ['tenantId', 'environmentId', 'createdAt'] },
    { name: 'webhook_events_entity_idx', properties: ['tenantId', 'environmentId', 'entityType', 'entityId'] },
    { name: 'webhook_events_fan_out_idx', properties: ['id'], where: 'fanned_out_at is null' },
    { name: 'webhook_events_created_idx', properties: ['createdAt'] },
  ],
});
export class WebhookEvent extends WebhookEventSchema.class {}
WebhookEventSchema.setClass(WebhookEvent);
