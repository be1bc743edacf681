import { scopeOf, type AuthContext } from '../../auth-context.ts';
import { combineUsage, type UsageOutcome, type UsagePlan } from '../../billing/usage/index.ts';
import { rawQuery, type Tx } from '../../db/transactions.ts';
import { usagePartials, usageStatement } from './usage-sql.ts';

/** The usage query: one aggregation statement over the caller's events (usage-sql.ts writes it). */
export class UsageRepo {
  async aggregate(tx: Tx, auth: AuthContext, plan: UsagePlan): Promise<UsageOutcome> {
    const statement = usageStatement(plan, scopeOf(auth));
    const rows = await rawQuery<Record<string, unknown>>(tx, statement.sql, statement.params);
    return combineUsage(plan, usagePartials(rows));
  }
}
