import { defineEntity, p } from '@mikro-orm/core';
import { recordProperties, scopeProperties } from '../../db/base-properties.ts';

/**
 * A URL that receives the environment's system events, and the secret that signs them. `secret` is
 * kept as it is (a signature needs it); after a rotation the previous one also signs until
 * `previousSecretExpiresAt`. `failingSince` is the start of the current run of failed attempts
 * (null after any success): five days of it disables the endpoint. Deleted by `status = 'archived'`.
 */
export const WebhookEndpointSchema = defineEntity({
  name: 'WebhookEndpoint',
  tableName: 'webhook_endpoints',
  properties: {
    id: p.string().length(64).primary(),
    ...scopeProperties(),
    url: p.text(),
    description: p.text().default(''),
    eventTypes: p.json<string[]>().default('[]'),
    disabled: p.boolean().default(false),
    disabledReason: p.text().nullable(),
    disabledAt: p.datetime().nullable(),
    failingSince: p.datetime().nullable(),
    metadata: p.json<Record<string, string>>().default('{}'),
    secret: p.string().length(128),
    previousSecret: p.string().length(128).nullable(),
    previousSecretExpiresAt: p.datetime().nullable(),
    ...recordProperties(),
  },
  indexes: [{ name: 'webhook_endpoints_env_status_created_idx', properties: ['tenantId', 'environmentId', 'status', 'createdAt'] }],
});
export class WebhookEndpoint extends WebhookEndpointSchema.class {}
WebhookEndpointSchema.setClass(WebhookEndpoint);
