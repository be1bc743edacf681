import { scopeOf, type AuthContext } from '../../auth-context.ts';
import { ExactDecimal, formatDecimal } from '../../billing/money/index.ts';
import type { Tx } from '../../db/transactions.ts';
import { ProrationCredit } from './proration-credit.entity.ts';

/** The proration credits line items received (proration-credit.entity.ts). */
export class ProrationCreditRepo {
  add(tx: Tx, row: Partial<ProrationCredit>): ProrationCredit {
    return tx.create(ProrationCredit, row as ProrationCredit);
  }

  /** What each line item of the subscription was credited for the period starting at `periodStart`, by line item id. */
  async creditedBy(tx: Tx, auth: AuthContext, subscriptionId: string, periodStart: Date): Promise<Map<string, string>> {
    const rows = await tx.find(ProrationCredit, { ...scopeOf(auth), subscriptionId, periodStart, status: 'published' });
    const sums = new Map<string, ExactDecimal>();
    for (const r of rows) sums.set(r.subscriptionLineItemId, (sums.get(r.subscriptionLineItemId) ?? new ExactDecimal(0)).plus(r.amount));
    return new Map([...sums].map(([id, sum]) => [id, formatDecimal(sum)]));
  }

  /** What these line items were credited for the period starting at `periodStart`, summed. */
  async creditedFor(tx: Tx, auth: AuthContext, subscriptionId: string, lineItemIds: string[], periodStart: Date): Promise<string> {
    if (!lineItemIds.length) return '0';
    const rows = await tx.find(ProrationCredit, { ...scopeOf(auth), subscriptionId, subscriptionLineItemId: { $in: lineItemIds }, periodStart, status: 'published' });
    return formatDecimal(rows.reduce((s, r) => s.plus(r.amount), new ExactDecimal(0)));
  }
}
