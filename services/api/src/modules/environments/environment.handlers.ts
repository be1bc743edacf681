import { pageOf } from '../../listing/pagination.ts';
import type { HandlersOf } from '../../request-context.ts';
import { toEnvironmentResponse } from './environment.convert.ts';
import type { EnvironmentService } from './environment.service.ts';

type EnvironmentHandlers = HandlersOf<'listEnvironments' | 'createEnvironment' | 'getEnvironment' | 'updateEnvironment'>;

export function environmentHandlers(environments: EnvironmentService): EnvironmentHandlers {
  return {
    listEnvironments: async ({ query }, ctx) => {
      const page = pageOf(query ?? {});
      const { items, total } = await environments.list(ctx.auth, page);
      // FlexPrice's own envelope for environments: the request offset, not the next one.
      return { environments: items.map(toEnvironmentResponse), total, offset: page.offset, limit: page.limit };
    },
    createEnvironment: async ({ body }, ctx) => toEnvironmentResponse(await environments.create(ctx.auth, body)),
    getEnvironment: async ({ path }, ctx) => toEnvironmentResponse(await environments.get(ctx.auth, path.id)),
    updateEnvironment: async ({ path, body }, ctx) => toEnvironmentResponse(await environments.update(ctx.auth, path.id, body)),
  };
}
