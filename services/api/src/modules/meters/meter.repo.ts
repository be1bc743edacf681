import type { AuthContext } from '../../auth-context.ts';
import type { PageOf } from '../../db/find-page.ts';
import { RecordRepo } from '../../db/record-repo.ts';
import type { Tx } from '../../db/transactions.ts';
import type { MeterQuery } from './meter.convert.ts';
import { Meter } from './meter.entity.ts';
import { meterSearchFields } from './meter.search.ts';

/** How other modules read meters (any status: a disabled meter still describes the usage measured with it). */
export type MeterReader = Pick<MeterRepo, 'get' | 'getMany'>;

/** Every query of meters. */
export class MeterRepo extends RecordRepo<Meter> {
  constructor() {
    super(Meter, meterSearchFields, 'meter');
  }

  page(tx: Tx, auth: AuthContext, query: MeterQuery): Promise<PageOf<Meter>> {
    const where: Record<string, unknown>[] = [];
    if (query.eventName) where.push({ eventName: query.eventName });
    if (query.meterIds?.length) where.push({ id: { $in: query.meterIds } });
    return this.findPage(tx, auth, query, where);
  }
}
