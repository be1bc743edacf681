import { listResponse, pageOf } from '../../listing/pagination.ts';
import type { HandlersOf } from '../../request-context.ts';
import { fromCreateApiKeyRequest, toSecretResponse } from './api-key.convert.ts';
import type { ApiKeyService } from './api-key.service.ts';

type ApiKeyHandlers = HandlersOf<'listApiKeys' | 'createApiKey' | 'deleteApiKey'>;

export function apiKeyHandlers(keys: ApiKeyService): ApiKeyHandlers {
  return {
    listApiKeys: async ({ query }, ctx) => {
      const page = pageOf(query ?? {});
      return listResponse(await keys.list(ctx.auth, { page, status: query?.status }), page, toSecretResponse);
    },
    createApiKey: async ({ body }, ctx) => {
      const { apiKey, secret } = await keys.create(ctx.auth, fromCreateApiKeyRequest(body));
      return { api_key: apiKey, secret: toSecretResponse(secret) };
    },
    deleteApiKey: async ({ path }, ctx) => keys.delete(ctx.auth, path.id),
  };
}
