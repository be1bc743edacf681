import type { Handlers } from '@tally/contract';
import { pageOf, paginationOf } from '../../listing/pagination.ts';
import type { RequestContext } from '../../request-context.ts';
import { toApiSecret } from './api-key.mapper.ts';
import type { ApiKeyService } from './api-key.service.ts';

type ApiKeyHandlers = Pick<Handlers<RequestContext>, 'listApiKeys' | 'createApiKey' | 'deleteApiKey'>;

export function apiKeyHandlers(keys: ApiKeyService): ApiKeyHandlers {
  return {
    listApiKeys: async ({ query }, ctx) => {
      const page = pageOf(query ?? {});
      const { items, total } = await keys.list(ctx.auth, { page, status: query?.status });
      return { items: items.map(toApiSecret), pagination: paginationOf(total, page) };
    },
    createApiKey: async ({ body }, ctx) => {
      const { apiKey, secret } = await keys.create(ctx.auth, {
        name: body.name,
        type: body.type,
        expiresAt: body.expires_at ? new Date(body.expires_at) : undefined,
        environmentId: body.environment_id,
      });
      return { api_key: apiKey, secret: toApiSecret(secret) };
    },
    deleteApiKey: async ({ path }, ctx) => keys.delete(ctx.auth, path.id),
  };
}
