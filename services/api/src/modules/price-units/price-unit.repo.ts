import { scopeOf, type AuthContext } from '../../auth-context.ts';
import type { Tx } from '../../db/transactions.ts';
import { byId, distinctIds } from '../../lookup.ts';
import { PriceUnit } from './price-unit.entity.ts';

/** How other modules read price units: in their own unit of work, within the caller's environment. */
export type PriceUnitReader = {
  /** The units with these ids (any status) by id; unset ids are skipped, and none asked means no query. */
  getMany(tx: Tx, auth: AuthContext, ids: (string | null | undefined)[]): Promise<Map<string, PriceUnit>>;
};

/** Every query of price units, always within the caller's environment. */
export class PriceUnitRepo implements PriceUnitReader {
  async getMany(tx: Tx, auth: AuthContext, ids: (string | null | undefined)[]): Promise<Map<string, PriceUnit>> {
    const wanted = distinctIds(ids);
    return byId(wanted.length ? await tx.find(PriceUnit, { ...scopeOf(auth), id: { $in: wanted } }) : []);
  }
}
