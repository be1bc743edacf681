import { defineEntity, p } from '@mikro-orm/core';

/**
 * The first response to a POST sent with an `Idempotency-Key`, replayed to retries for 24 hours.
 * `state` is `in_progress` while the first request runs, so a concurrent duplicate cannot run too.
 */
export const IdempotencyRecordSchema = defineEntity({
  name: 'IdempotencyRecord',
  tableName: 'idempotency_keys',
  properties: {
    tenantId: p.string().length(64).primary(),
    environmentId: p.string().length(64).primary(),
    key: p.string().length(255).primary(),
    fingerprint: p.string().length(64),
    state: p.string().length(20),
    responseStatus: p.integer().nullable(),
    responseBody: p.json<unknown>().nullable(),
    createdAt: p.datetime(),
    expiresAt: p.datetime().index('idempotency_keys_expires_idx'),
  },
});
export class IdempotencyRecord extends IdempotencyRecordSchema.class {}
IdempotencyRecordSchema.setClass(IdempotencyRecord);
