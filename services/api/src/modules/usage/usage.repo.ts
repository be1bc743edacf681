import { scopeOf, type AuthContext } from '../../auth-context.ts';
import { combineUsage, type UsageOutcome, type UsagePlan } from '../../billing/usage/index.ts';
import { rawQuery, type Tx } from '../../db/transactions.ts';
import { combinedUsageStatement, usagePartials, usageStatement } from './usage-sql.ts';

/** The usage query: one aggregation statement over the caller's events (usage-sql.ts writes it). */
export class UsageRepo {
  async aggregate(tx: Tx, auth: AuthContext, plan: UsagePlan): Promise<UsageOutcome> {
    const statement = usageStatement(plan, scopeOf(auth));
    const rows = await rawQuery<Record<string, unknown>>(tx, statement.sql, statement.params);
    return combineUsage(plan, usagePartials(rows));
  }

  /** Several aggregations in one statement (one round trip), answered in plan order. */
  async aggregateMany(tx: Tx, auth: AuthContext, plans: readonly UsagePlan[]): Promise<UsageOutcome[]> {
    if (!plans.length) return [];
    const scope = scopeOf(auth);
    const statement = combinedUsageStatement(plans.map((plan) => usageStatement(plan, scope)));
    const rows = await rawQuery<{ q: number | string; r: string }>(tx, statement.sql, statement.params);
    const byPlan = plans.map((): Array<Record<string, unknown>> => []);
    for (const row of rows) byPlan[Number(row.q)]!.push(JSON.parse(row.r) as Record<string, unknown>);
    return plans.map((plan, i) => combineUsage(plan, usagePartials(byPlan[i]!)));
  }
}
