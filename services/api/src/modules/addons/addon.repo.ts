import type { RequiredEntityData } from '@mikro-orm/core';
import { scopeOf, type AuthContext } from '../../auth-context.ts';
import { findPage, type PageOf } from '../../db/find-page.ts';
import type { Tx } from '../../db/transactions.ts';
import { listConditions } from '../../listing/list-where.ts';
import type { AddonQuery } from './addon.convert.ts';
import { Addon } from './addon.entity.ts';
import { addonSearchFields } from './addon.search.ts';

/** How other modules read addons: in their own unit of work, within the caller's environment. */
export type AddonReader = {
  /** Any status: an archived addon stays readable by id. */
  get(tx: Tx, auth: AuthContext, id: string): Promise<Addon | null>;
  /** Only a published addon: an archived one's key may since belong to another. */
  getPublishedByLookupKey(tx: Tx, auth: AuthContext, lookupKey: string): Promise<Addon | null>;
  page(tx: Tx, auth: AuthContext, query: AddonQuery): Promise<PageOf<Addon>>;
};

/** Every query of addons, always within the caller's environment. */
export class AddonRepo implements AddonReader {
  get(tx: Tx, auth: AuthContext, id: string): Promise<Addon | null> {
    return tx.findOne(Addon, { ...scopeOf(auth), id });
  }

  getPublishedByLookupKey(tx: Tx, auth: AuthContext, lookupKey: string): Promise<Addon | null> {
    return tx.findOne(Addon, { ...scopeOf(auth), lookupKey, status: 'published' });
  }

  async isLookupKeyTaken(tx: Tx, auth: AuthContext, lookupKey: string): Promise<boolean> {
    return (await tx.count(Addon, { ...scopeOf(auth), lookupKey, status: 'published' })) > 0;
  }

  page(tx: Tx, auth: AuthContext, query: AddonQuery): Promise<PageOf<Addon>> {
    const where: Record<string, unknown>[] = [scopeOf(auth)];
    if (query.addonIds?.length) where.push({ id: { $in: query.addonIds } });
    if (query.lookupKeys?.length) where.push({ lookupKey: { $in: query.lookupKeys } });
    return findPage(tx, Addon, listConditions(query, addonSearchFields, 'addon'), query.page, where);
  }

  /** Stored when the unit of work commits. */
  add(tx: Tx, addon: RequiredEntityData<Addon>): Addon {
    return tx.create(Addon, addon);
  }
}
