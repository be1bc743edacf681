import { defineEntity, p } from '@mikro-orm/core';
import { environmentRecord } from '../../db/base-properties.ts';

export const secretTypes = ['private_key', 'publishable_key', 'integration'] as const;
export type SecretType = (typeof secretTypes)[number];

/** An API key. Only the SHA-256 of the key is stored; `displayId` is what lists show. */
export const SecretSchema = defineEntity(environmentRecord('Secret', 'secrets', {
  name: p.string().length(255),
  type: p.string().length(32).$type<SecretType>(),
  provider: p.string().length(32).default('flexprice'),
  keyHash: p.string().length(64).unique('secrets_key_hash_uq'),
  displayId: p.string().length(32),
  expiresAt: p.datetime().nullable(),
  lastUsedAt: p.datetime().nullable(),
}, { listIndex: 'secrets_env_status_idx' }));
export class Secret extends SecretSchema.class {}
SecretSchema.setClass(Secret);
