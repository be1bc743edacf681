import { defineEntity, p } from '@mikro-orm/core';
import { environmentKeyed } from '../../db/base-properties.ts';

/**
 * The first response to a POST sent with an `Idempotency-Key`, replayed to retries for 24 hours.
 * `state` is `in_progress` while the first request runs, so a concurrent duplicate cannot run too.
 */
export const IdempotencyRecordSchema = defineEntity(environmentKeyed('IdempotencyRecord', 'idempotency_keys', {
  key: p.string().length(255).primary(),
  fingerprint: p.string().length(64),
  state: p.string().length(20),
  responseStatus: p.integer().nullable(),
  responseBody: p.json<unknown>().nullable(),
  createdAt: p.datetime(),
  expiresAt: p.datetime().index('idempotency_keys_expires_idx'),
}));
export class IdempotencyRecord extends IdempotencyRecordSchema.class {}
IdempotencyRecordSchema.setClass(IdempotencyRecord);
