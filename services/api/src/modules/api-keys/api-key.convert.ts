import type { components } from '@tally/contract';
import type { NewApiKey } from './api-key.service.ts';
import type { Secret } from './secret.entity.ts';

export type SecretResponse = components['schemas']['SecretResponse'];
type CreateRequest = components['schemas']['CreateAPIKeyRequest'];

export function fromCreateApiKeyRequest(body: CreateRequest): NewApiKey {
  return { name: body.name, type: body.type, expiresAt: body.expires_at ? new Date(body.expires_at) : undefined, environmentId: body.environment_id };
}

export function toSecretResponse(s: Secret): SecretResponse {
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
