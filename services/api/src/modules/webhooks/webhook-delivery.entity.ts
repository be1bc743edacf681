import { defineEntity, p } from '@mikro-orm/core';
import { scopeProperties } from '../../db/base-properties.ts';

export const deliveryStates = ['pending', 'delivering', 'succeeded', 'failed'] as const;
export type DeliveryState = (typeof deliveryStates)[number];

/**
 * One event to one endpoint. `attempts` counts claims (it is also the fencing token: a result is
 * recorded only by the claim that made it). While `delivering`, `nextAttemptAt` is the end of the
 * claim's lease: a claim not finished by then is taken to be lost (its holder died) and the
 * delivery is due again, with the same `webhook-id`.
 */
export const WebhookDeliverySchema = defineEntity({
  name: 'WebhookDelivery',
  tableName: 'webhook_deliveries',
  properties: {
    eventId: p.string().length(64).primary(),
    endpointId: p.string().length(64).primary(),
    ...scopeProperties(),
    state: p.string().length(20).$type<DeliveryState>(),
    attempts: p.integer().default(0),
    maxAttempts: p.integer(),
    nextAttemptAt: p.datetime().nullable(),
    lastStatusCode: p.integer().nullable(),
    lastError: p.text().nullable(),
    succeededAt: p.datetime().nullable(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
  indexes: [
    { name: 'webhook_deliveries_due_idx', properties: ['nextAttemptAt'], where: "state in ('pending', 'delivering')" },
    { name: 'webhook_deliveries_updated_idx', properties: ['updatedAt'] },
  ],
});
export class WebhookDelivery extends WebhookDeliverySchema.class {}
WebhookDeliverySchema.setClass(WebhookDelivery);

/** The log of every attempt: what was answered, how fast, or why nothing was. */
export const WebhookDeliveryAttemptSchema = defineEntity({
  name: 'WebhookDeliveryAttempt',
  tableName: 'webhook_delivery_attempts',
  properties: {
    eventId: p.string().length(64).primary(),
    endpointId: p.string().length(64).primary(),
    attempt: p.integer().primary(),
    startedAt: p.datetime(),
    durationMs: p.integer(),
    statusCode: p.integer().nullable(),
    responseBody: p.text().default(''),
    error: p.text().nullable(),
  },
  indexes: [{ name: 'webhook_delivery_attempts_started_idx', properties: ['startedAt'] }],
});
export class WebhookDeliveryAttempt extends WebhookDeliveryAttemptSchema.class {}
WebhookDeliveryAttemptSchema.setClass(WebhookDeliveryAttempt);
