import type { RequiredEntityData } from '@mikro-orm/core';
import { scopeOf, type AuthContext } from '../../auth-context.ts';
import { findPage, type PageOf } from '../../db/find-page.ts';
import type { Tx } from '../../db/transactions.ts';
import { listConditions } from '../../listing/list-where.ts';
import type { PlanQuery } from './plan.convert.ts';
import { Plan } from './plan.entity.ts';
import { planSearchFields } from './plan.search.ts';

/** How other modules read plans: in their own unit of work, within the caller's environment. */
export type PlanReader = {
  /** Any status: an archived plan stays readable by id. */
  get(tx: Tx, auth: AuthContext, id: string): Promise<Plan | null>;
  page(tx: Tx, auth: AuthContext, query: PlanQuery): Promise<PageOf<Plan>>;
};

/** Every query of plans, always within the caller's environment. */
export class PlanRepo implements PlanReader {
  get(tx: Tx, auth: AuthContext, id: string): Promise<Plan | null> {
    return tx.findOne(Plan, { ...scopeOf(auth), id });
  }

  async isLookupKeyTaken(tx: Tx, auth: AuthContext, lookupKey: string): Promise<boolean> {
    return (await tx.count(Plan, { ...scopeOf(auth), lookupKey, status: 'published' })) > 0;
  }

  page(tx: Tx, auth: AuthContext, query: PlanQuery): Promise<PageOf<Plan>> {
    const where: Record<string, unknown>[] = [scopeOf(auth)];
    if (query.planIds?.length) where.push({ id: { $in: query.planIds } });
    if (query.lookupKey) where.push({ lookupKey: query.lookupKey });
    if (query.metadata && Object.keys(query.metadata).length) where.push({ metadata: { $contains: query.metadata } });
    return findPage(tx, Plan, listConditions(query, planSearchFields, 'plan'), query.page, where);
  }

  /** Stored when the unit of work commits. */
  add(tx: Tx, plan: RequiredEntityData<Plan>): Plan {
    return tx.create(Plan, plan);
  }
}
