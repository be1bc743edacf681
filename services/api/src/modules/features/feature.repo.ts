import { scopeOf, type AuthContext } from '../../auth-context.ts';
import type { PageOf } from '../../db/find-page.ts';
import { RecordRepo } from '../../db/record-repo.ts';
import type { Tx } from '../../db/transactions.ts';
import { likePattern } from '../../listing/filter-conditions.ts';
import { oneOf } from '../../listing/list-where.ts';
import type { FeatureQuery } from './feature.convert.ts';
import { Feature } from './feature.entity.ts';
import { featureSearchFields } from './feature.search.ts';

/** How other modules read features (any status). */
export type FeatureReader = Pick<FeatureRepo, 'get' | 'getMany' | 'publishedOfMeters'>;

/** Every query of features. */
export class FeatureRepo extends RecordRepo<Feature> {
  constructor() {
    super(Feature, featureSearchFields, 'feature');
  }

  page(tx: Tx, auth: AuthContext, query: FeatureQuery): Promise<PageOf<Feature>> {
    const where = [...oneOf('id', query.featureIds), ...oneOf('meterId', query.meterIds), ...oneOf('lookupKey', query.lookupKeys)];
    if (query.lookupKey) where.push({ lookupKey: query.lookupKey });
    if (query.nameContains) where.push({ name: { $ilike: likePattern(query.nameContains) } });
    return this.findPage(tx, auth, query, where);
  }

  /** The published features counting these meters (one indexed query). */
  publishedOfMeters(tx: Tx, auth: AuthContext, meterIds: string[]): Promise<Feature[]> {
    if (!meterIds.length) return Promise.resolve([]);
    return tx.find(Feature, { ...scopeOf(auth), meterId: { $in: [...new Set(meterIds)] }, status: 'published' }, { orderBy: { id: 'asc' } });
  }
}
