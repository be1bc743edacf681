import { scopeOf, type AuthContext } from '../../auth-context.ts';
import { ExactDecimal, formatDecimal } from '../../billing/money/index.ts';
import type { Tx } from '../../db/transactions.ts';
import { ProrationCredit } from './proration-credit.entity.ts';

/** The proration credits line items received (proration-credit.entity.ts). */
export class ProrationCreditRepo {
  add(tx: Tx, row: Partial<ProrationCredit>): ProrationCredit {
    return tx.create(ProrationCredit, row as ProrationCredit);
  }

  /** What these line items were credited for the period starting at `periodStart`, summed. */
  async creditedFor(tx: Tx, auth: AuthContext, subscriptionId: string, lineItemIds: string[], periodStart: Date): Promise<string> {
    if (!lineItemIds.length) return '0';
    const rows = await tx.find(ProrationCredit, { ...scopeOf(auth), subscriptionId, subscriptionLineItemId: { $in: lineItemIds }, periodStart, status: 'published' });
    return formatDecimal(rows.reduce((s, r) => s.plus(r.amount), new ExactDecimal(0)));
  }
}
