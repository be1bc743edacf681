import { scopeOf, type AuthContext } from '../../auth-context.ts';
import type { PageOf } from '../../db/find-page.ts';
import { RecordRepo } from '../../db/record-repo.ts';
import type { Tx } from '../../db/transactions.ts';
import type { MeterQuery } from './meter.convert.ts';
import { Meter, type MeterFilter } from './meter.entity.ts';
import { meterSearchFields } from './meter.search.ts';
import { oneOf } from '../../listing/list-where.ts';

/** How other modules read meters (any status: a disabled meter still describes the usage measured with it). */
export type MeterReader = Pick<MeterRepo, 'get' | 'getMany'>;

/** Every query of meters. */
export class MeterRepo extends RecordRepo<Meter> {
  constructor() {
    super(Meter, meterSearchFields, 'meter');
  }

  page(tx: Tx, auth: AuthContext, query: MeterQuery): Promise<PageOf<Meter>> {
    const where = oneOf('id', query.meterIds);
    if (query.eventName) where.push({ eventName: query.eventName });
    return this.findPage(tx, auth, query, where);
  }

  /** What every published meter of the environment counts: its event name and filters. */
  async publishedDefinitions(tx: Tx, auth: AuthContext): Promise<Array<{ eventName: string; filters: MeterFilter[] }>> {
    const meters = await tx.find(Meter, { ...scopeOf(auth), status: 'published' }, { fields: ['eventName', 'filters'] });
    return meters.map((m) => ({ eventName: m.eventName, filters: m.filters ?? [] }));
  }
}
