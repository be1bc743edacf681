/** API keys, as other modules and the HTTP edge may use them. */
export { ApiKeyProvisioning, ApiKeyService, type ApiKeyAuth, type NewApiKey } from './api-key.service.ts';
export type { SecretType } from './secret.entity.ts';
