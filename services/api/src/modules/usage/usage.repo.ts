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

  /**
   * Several usage queries in one statement (one round trip; billing reads every usage line of an
   * invoice at once): each query's rows as a JSON array in its own column, answered in order. Every
   * value of those rows is text already (`usagePartials`), so JSON carries them exactly.
   */
  async aggregateAll(tx: Tx, auth: AuthContext, plans: UsagePlan[]): Promise<UsageOutcome[]> {
    if (plans.length <= 1) return Promise.all(plans.map((plan) => this.aggregate(tx, auth, plan)));
    const statements = plans.map((plan) => usageStatement(plan, scopeOf(auth)));
    const columns = statements.map((s, i) => `(select coalesce(json_agg(q), '[]')::text from (${s.sql}) q) as r${i}`);
    const [row] = await rawQuery<Record<string, string>>(tx, `select ${columns.join(', ')}`, statements.flatMap((s) => s.params));
    return plans.map((plan, i) => combineUsage(plan, usagePartials(JSON.parse(row![`r${i}`]!) as Array<Record<string, unknown>>)));
  }
}
