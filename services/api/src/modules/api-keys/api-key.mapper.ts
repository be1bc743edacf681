import type { components } from '@tally/contract';
import type { Secret } from './secret.entity.ts';

export type SecretResponse = components['schemas']['SecretResponse'];

export function toApiSecret(s: Secret): SecretResponse {
  return {
    id: s.id,
    name: s.name,
    type: s.type,
    provider: 'flexprice',
    display_id: s.displayId,
    ...(s.expiresAt ? { expires_at: s.expiresAt.toISOString() } : {}),
    ...(s.lastUsedAt ? { last_used_at: s.lastUsedAt.toISOString() } : {}),
    status: s.status as SecretResponse['status'],
    environment_id: s.environmentId,
    roles: [],
    user_type: 'service_account',
    created_at: s.createdAt.toISOString(),
    updated_at: s.updatedAt.toISOString(),
  };
}
