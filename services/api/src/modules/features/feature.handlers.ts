import type { Handlers } from '@tally/contract';
import { listResponse } from '../../listing/pagination.ts';
import type { RequestContext } from '../../request-context.ts';
import {
  fromCloneFeatureRequest,
  fromCreateFeatureRequest,
  fromFeatureListRequest,
  fromUpdateFeatureRequest,
  toFeatureResponse,
  type FeatureQuery,
} from './feature.convert.ts';
import type { FeatureService, FeatureView } from './feature.service.ts';

type FeatureHandlers = Pick<
  Handlers<RequestContext>,
  'createFeature' | 'getFeature' | 'listFeatures' | 'queryFeature' | 'updateFeature' | 'deleteFeature' | 'cloneFeature'
>;

const toResponse = (v: FeatureView) => toFeatureResponse(v.feature, v.meter);

export function featureHandlers(features: FeatureService): FeatureHandlers {
  const list = async (ctx: RequestContext, query: FeatureQuery) => listResponse(await features.list(ctx.auth, query), query.page, toResponse);
  return {
    createFeature: async ({ body }, ctx) => toResponse(await features.create(ctx.auth, fromCreateFeatureRequest(body))),
    getFeature: async ({ path }, ctx) => toResponse(await features.get(ctx.auth, path.id)),
    updateFeature: async ({ path, body }, ctx) => toResponse(await features.update(ctx.auth, path.id, fromUpdateFeatureRequest(body))),
    deleteFeature: async ({ path }, ctx) => {
      await features.delete(ctx.auth, path.id);
      return { message: 'feature deleted successfully' };
    },
    cloneFeature: async ({ path, body }, ctx) => toResponse(await features.clone(ctx.auth, path.id, fromCloneFeatureRequest(body))),
    listFeatures: ({ query }, ctx) => list(ctx, fromFeatureListRequest(query)),
    queryFeature: ({ body }, ctx) => list(ctx, fromFeatureListRequest(body)),
  };
}
