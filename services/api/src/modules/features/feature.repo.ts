import type { RequiredEntityData } from '@mikro-orm/core';
import { scopeOf, type AuthContext } from '../../auth-context.ts';
import { findPage, type PageOf } from '../../db/find-page.ts';
import type { Tx } from '../../db/transactions.ts';
import { likePattern } from '../../listing/filter-conditions.ts';
import { listConditions } from '../../listing/list-where.ts';
import { byId, distinctIds } from '../../lookup.ts';
import type { FeatureQuery } from './feature.convert.ts';
import { Feature } from './feature.entity.ts';
import { featureSearchFields } from './feature.search.ts';

/** How other modules read features: in their own unit of work, within the caller's environment. */
export type FeatureReader = {
  /** Any status. */
  get(tx: Tx, auth: AuthContext, id: string): Promise<Feature | null>;
  /** The features with these ids (any status) by id; unset ids are skipped, and none asked means no query. */
  getMany(tx: Tx, auth: AuthContext, ids: (string | null | undefined)[]): Promise<Map<string, Feature>>;
};

/** Every query of features, always within the caller's environment. */
export class FeatureRepo implements FeatureReader {
  get(tx: Tx, auth: AuthContext, id: string): Promise<Feature | null> {
    return tx.findOne(Feature, { ...scopeOf(auth), id });
  }

  async getMany(tx: Tx, auth: AuthContext, ids: (string | null | undefined)[]): Promise<Map<string, Feature>> {
    const wanted = distinctIds(ids);
    return byId(wanted.length ? await tx.find(Feature, { ...scopeOf(auth), id: { $in: wanted } }) : []);
  }

  async isLookupKeyTaken(tx: Tx, auth: AuthContext, lookupKey: string): Promise<boolean> {
    return (await tx.count(Feature, { ...scopeOf(auth), lookupKey, status: 'published' })) > 0;
  }

  page(tx: Tx, auth: AuthContext, query: FeatureQuery): Promise<PageOf<Feature>> {
    const where: Record<string, unknown>[] = [scopeOf(auth)];
    if (query.featureIds?.length) where.push({ id: { $in: query.featureIds } });
    if (query.meterIds?.length) where.push({ meterId: { $in: query.meterIds } });
    if (query.lookupKey) where.push({ lookupKey: query.lookupKey });
    if (query.lookupKeys?.length) where.push({ lookupKey: { $in: query.lookupKeys } });
    if (query.nameContains) where.push({ name: { $ilike: likePattern(query.nameContains) } });
    return findPage(tx, Feature, listConditions(query, featureSearchFields, 'feature'), query.page, where);
  }

  /** Stored when the unit of work commits. */
  add(tx: Tx, feature: RequiredEntityData<Feature>): Feature {
    return tx.create(Feature, feature);
  }
}
