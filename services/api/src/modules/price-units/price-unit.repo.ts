import type { RequiredEntityData } from '@mikro-orm/core';
import { scopeOf, type AuthContext } from '../../auth-context.ts';
import { findPage, type PageOf } from '../../db/find-page.ts';
import type { Tx } from '../../db/transactions.ts';
import { listConditions } from '../../listing/list-where.ts';
import { byId, distinctIds } from '../../lookup.ts';
import type { PriceUnitQuery } from './price-unit.convert.ts';
import { PriceUnit } from './price-unit.entity.ts';
import { priceUnitSearchFields } from './price-unit.search.ts';

/** How other modules read price units: in their own unit of work, within the caller's environment. */
export type PriceUnitReader = {
  /** The published unit with this code. */
  getPublishedByCode(tx: Tx, auth: AuthContext, code: string): Promise<PriceUnit | null>;
  /** The units with these ids (any status) by id; unset ids are skipped, and none asked means no query. */
  getMany(tx: Tx, auth: AuthContext, ids: (string | null | undefined)[]): Promise<Map<string, PriceUnit>>;
};

/** Every query of price units, always within the caller's environment. */
export class PriceUnitRepo implements PriceUnitReader {
  /** Any status: a deleted (archived) unit stays readable. */
  get(tx: Tx, auth: AuthContext, id: string): Promise<PriceUnit | null> {
    return tx.findOne(PriceUnit, { ...scopeOf(auth), id });
  }

  getPublishedByCode(tx: Tx, auth: AuthContext, code: string): Promise<PriceUnit | null> {
    return tx.findOne(PriceUnit, { ...scopeOf(auth), code, status: 'published' });
  }

  async getMany(tx: Tx, auth: AuthContext, ids: (string | null | undefined)[]): Promise<Map<string, PriceUnit>> {
    const wanted = distinctIds(ids);
    return byId(wanted.length ? await tx.find(PriceUnit, { ...scopeOf(auth), id: { $in: wanted } }) : []);
  }

  async isCodeTaken(tx: Tx, auth: AuthContext, code: string): Promise<boolean> {
    return (await tx.count(PriceUnit, { ...scopeOf(auth), code, status: 'published' })) > 0;
  }

  page(tx: Tx, auth: AuthContext, query: PriceUnitQuery): Promise<PageOf<PriceUnit>> {
    const where: Record<string, unknown>[] = [scopeOf(auth)];
    if (query.priceUnitIds?.length) where.push({ id: { $in: query.priceUnitIds } });
    return findPage(tx, PriceUnit, listConditions(query, priceUnitSearchFields, 'price unit'), query.page, where);
  }

  /** Stored when the unit of work commits. */
  add(tx: Tx, unit: RequiredEntityData<PriceUnit>): PriceUnit {
    return tx.create(PriceUnit, unit);
  }
}
