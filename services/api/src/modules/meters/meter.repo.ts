import type { RequiredEntityData } from '@mikro-orm/core';
import { scopeOf, type AuthContext } from '../../auth-context.ts';
import { findPage, type PageOf } from '../../db/find-page.ts';
import type { Tx } from '../../db/transactions.ts';
import { listConditions } from '../../listing/list-where.ts';
import { byId, distinctIds } from '../../lookup.ts';
import type { MeterQuery } from './meter.convert.ts';
import { Meter } from './meter.entity.ts';
import { meterSearchFields } from './meter.search.ts';

/** How other modules read meters: in their own unit of work, within the caller's environment. */
export type MeterReader = {
  /** Any status: a disabled meter still describes the usage measured with it. */
  get(tx: Tx, auth: AuthContext, id: string): Promise<Meter | null>;
  /** The meters with these ids (any status) by id; unset ids are skipped, and none asked means no query. */
  getMany(tx: Tx, auth: AuthContext, ids: (string | null | undefined)[]): Promise<Map<string, Meter>>;
};

/** Every query of meters, always within the caller's environment. */
export class MeterRepo implements MeterReader {
  get(tx: Tx, auth: AuthContext, id: string): Promise<Meter | null> {
    return tx.findOne(Meter, { ...scopeOf(auth), id });
  }

  async getMany(tx: Tx, auth: AuthContext, ids: (string | null | undefined)[]): Promise<Map<string, Meter>> {
    const wanted = distinctIds(ids);
    return byId(wanted.length ? await tx.find(Meter, { ...scopeOf(auth), id: { $in: wanted } }) : []);
  }

  page(tx: Tx, auth: AuthContext, query: MeterQuery): Promise<PageOf<Meter>> {
    const where: Record<string, unknown>[] = [scopeOf(auth)];
    if (query.eventName) where.push({ eventName: query.eventName });
    if (query.meterIds?.length) where.push({ id: { $in: query.meterIds } });
    return findPage(tx, Meter, listConditions(query, meterSearchFields, 'meter'), query.page, where);
  }

  /** Stored when the unit of work commits. */
  add(tx: Tx, meter: RequiredEntityData<Meter>): Meter {
    return tx.create(Meter, meter);
  }
}
