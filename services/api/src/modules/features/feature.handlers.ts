import { listHandler } from '../../listing/list-handler.ts';
import type { HandlersOf } from '../../request-context.ts';
import { messageWhenDone } from '../../wire/message.ts';
import {
  fromCloneFeatureRequest,
  fromCreateFeatureRequest,
  fromFeatureListRequest,
  fromUpdateFeatureRequest,
  toFeatureResponse,
} from './feature.convert.ts';
import type { FeatureService, FeatureView } from './feature.service.ts';

type FeatureHandlers = HandlersOf<'createFeature' | 'getFeature' | 'listFeatures' | 'queryFeature' | 'updateFeature' | 'deleteFeature' | 'cloneFeature'>;

const toResponse = (v: FeatureView) => toFeatureResponse(v.feature, v.meter);

export function featureHandlers(features: FeatureService): FeatureHandlers {
  const list = listHandler(features.list.bind(features), toResponse);
  return {
    createFeature: async ({ body }, ctx) => toResponse(await features.create(ctx.auth, fromCreateFeatureRequest(body))),
    getFeature: async ({ path }, ctx) => toResponse(await features.get(ctx.auth, path.id)),
    updateFeature: async ({ path, body }, ctx) => toResponse(await features.update(ctx.auth, path.id, fromUpdateFeatureRequest(body))),
    deleteFeature: ({ path }, ctx) => messageWhenDone(features.delete(ctx.auth, path.id), 'feature deleted successfully'),
    cloneFeature: async ({ path, body }, ctx) => toResponse(await features.clone(ctx.auth, path.id, fromCloneFeatureRequest(body))),
    listFeatures: ({ query }, ctx) => list(ctx, fromFeatureListRequest(query)),
    queryFeature: ({ body }, ctx) => list(ctx, fromFeatureListRequest(body)),
  };
}
