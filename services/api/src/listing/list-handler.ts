import type { AuthContext } from '../auth-context.ts';
import { listResponse, type ListResponse, type Page } from './pagination.ts';

/**
 * The one shape of a list or search operation: run the resource's list use case with the query
 * (built alike from GET parameters or a search body) and answer each row converted for the wire.
 */
export function listHandler<Q extends { page: Page }, T, R>(
  list: (auth: AuthContext, query: Q) => Promise<{ items: T[]; total: number }>,
  toResponse: (item: T) => R,
): (ctx: { auth: AuthContext }, query: Q) => Promise<ListResponse<R>> {
  return async (ctx, query) => listResponse(await list(ctx.auth, query), query.page, toResponse);
}
