import type { AuthContext } from '../../auth-context.ts';
import type { PageOf } from '../../db/find-page.ts';
import { RecordRepo } from '../../db/record-repo.ts';
import type { Tx } from '../../db/transactions.ts';
import type { PlanQuery } from './plan.convert.ts';
import { Plan } from './plan.entity.ts';
import { planSearchFields } from './plan.search.ts';
import { metadataContaining, oneOf } from '../../listing/list-where.ts';

/** How other modules read plans (any status: an archived plan stays readable by id). */
export type PlanReader = Pick<PlanRepo, 'get' | 'getMany' | 'page'>;

/** Every query of plans. */
export class PlanRepo extends RecordRepo<Plan> {
  constructor() {
    super(Plan, planSearchFields, 'plan');
  }

  page(tx: Tx, auth: AuthContext, query: PlanQuery): Promise<PageOf<Plan>> {
    const where = [...oneOf('id', query.planIds), ...metadataContaining(query.metadata)];
    if (query.lookupKey) where.push({ lookupKey: query.lookupKey });
    return this.findPage(tx, auth, query, where);
  }
}
