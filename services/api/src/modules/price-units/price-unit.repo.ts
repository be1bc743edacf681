import type { AuthContext } from '../../auth-context.ts';
import type { PageOf } from '../../db/find-page.ts';
import { RecordRepo } from '../../db/record-repo.ts';
import type { Tx } from '../../db/transactions.ts';
import type { PriceUnitQuery } from './price-unit.convert.ts';
import { PriceUnit } from './price-unit.entity.ts';
import { priceUnitSearchFields } from './price-unit.search.ts';
import { oneOf } from '../../listing/list-where.ts';

/** How other modules read price units: by id (any status), or the published one with a code. */
export type PriceUnitReader = Pick<PriceUnitRepo, 'getMany' | 'getPublished'>;

/** Every query of price units. */
export class PriceUnitRepo extends RecordRepo<PriceUnit> {
  constructor() {
    super(PriceUnit, priceUnitSearchFields, 'price unit');
  }

  page(tx: Tx, auth: AuthContext, query: PriceUnitQuery): Promise<PageOf<PriceUnit>> {
    return this.findPage(tx, auth, query, oneOf('id', query.priceUnitIds));
  }
}
