import type { Handlers } from '@tally/contract';
import { parseExpand } from '../../listing/expand.ts';
import { pageOf, paginationOf } from '../../listing/pagination.ts';
import { sortParam } from '../../listing/sort-param.ts';
import type { RequestContext } from '../../request-context.ts';
import { parseCloneFeature, parseCreateFeature, parseUpdateFeature } from './feature.convert.ts';
import { toApiFeature } from './feature.mapper.ts';
import { featureSearchFields } from './feature.search.ts';
import type { FeatureQuery, FeatureService, FeatureView } from './feature.service.ts';

type FeatureHandlers = Pick<
  Handlers<RequestContext>,
  'createFeature' | 'getFeature' | 'listFeatures' | 'queryFeature' | 'updateFeature' | 'deleteFeature' | 'cloneFeature'
>;

/** FlexPrice's `expand` (a comma list); features can expand `meters` only. */
const expandsMeters = (expand: string | undefined): boolean => parseExpand(expand, ['meters']).has('meters');

const toApi = (v: FeatureView) => toApiFeature(v.feature, v.meter);

/** Feature operations: map the wire to the service's inputs and back; nothing else. */
export function featureHandlers(features: FeatureService): FeatureHandlers {
  const list = async (ctx: RequestContext, query: FeatureQuery) => {
    const { items, total } = await features.list(ctx.auth, query);
    return { items: items.map(toApi), pagination: paginationOf(total, query.page) };
  };
  return {
    createFeature: async ({ body }, ctx) => toApi(await features.create(ctx.auth, parseCreateFeature(body))),
    getFeature: async ({ path }, ctx) => toApi(await features.get(ctx.auth, path.id)),
    updateFeature: async ({ path, body }, ctx) => toApi(await features.update(ctx.auth, path.id, parseUpdateFeature(body))),
    deleteFeature: async ({ path }, ctx) => {
      await features.delete(ctx.auth, path.id);
      return { message: 'feature deleted successfully' };
    },
    cloneFeature: async ({ path, body }, ctx) => toApi(await features.clone(ctx.auth, path.id, parseCloneFeature(body))),
    listFeatures: async ({ query }, ctx) =>
      list(ctx, {
        page: pageOf(query ?? {}),
        status: query?.status,
        order: query?.order,
        sort: sortParam(query?.sort, query?.order, featureSearchFields, 'feature'),
        featureIds: query?.feature_ids,
        meterIds: query?.meter_ids,
        lookupKey: query?.lookup_key,
        lookupKeys: query?.lookup_keys,
        nameContains: query?.name_contains,
        startTime: query?.start_time,
        endTime: query?.end_time,
        expandMeters: expandsMeters(query?.expand),
      }),
    queryFeature: async ({ body }, ctx) =>
      list(ctx, {
        page: pageOf(body),
        status: body.status,
        order: body.order,
        sort: body.sort,
        filters: body.filters,
        featureIds: body.feature_ids,
        meterIds: body.meter_ids,
        lookupKey: body.lookup_key,
        lookupKeys: body.lookup_keys,
        nameContains: body.name_contains,
        startTime: body.start_time,
        endTime: body.end_time,
        expandMeters: expandsMeters(body.expand),
      }),
  };
}
