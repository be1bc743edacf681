import { scopeOf, type AuthContext } from '../../auth-context.ts';
import type { PageOf } from '../../db/find-page.ts';
import { RecordRepo } from '../../db/record-repo.ts';
import type { Tx } from '../../db/transactions.ts';
import { oneOf } from '../../listing/list-where.ts';
import type { CreditGrantQuery } from './credit-grant.convert.ts';
import { CreditGrant, type CreditGrantScope } from './credit-grant.entity.ts';
import { creditGrantSearchFields } from './credit-grant.search.ts';

/** Every query of credit grants. */
export class CreditGrantRepo extends RecordRepo<CreditGrant> {
  constructor() {
    super(CreditGrant, creditGrantSearchFields, 'credit grant');
  }

  /** The published templates of a plan or an addon, newest first. */
  templatesOf(tx: Tx, auth: AuthContext, scope: Extract<CreditGrantScope, 'PLAN' | 'ADDON'>, ownerId: string): Promise<CreditGrant[]> {
    const owner = scope === 'PLAN' ? { planId: ownerId } : { addonId: ownerId };
    return tx.find(CreditGrant, { ...scopeOf(auth), scope, ...owner, status: 'published' }, { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
  }

  /** A subscription's published copies of a plan's grants. */
  copiesOfPlan(tx: Tx, auth: AuthContext, subscriptionId: string, planId: string): Promise<CreditGrant[]> {
    return tx.find(CreditGrant, { ...scopeOf(auth), scope: 'SUBSCRIPTION', subscriptionId, planId, status: 'published' }, { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  }

  /** A subscription's published copies of an addon's grants. */
  copiesOfAddon(tx: Tx, auth: AuthContext, subscriptionId: string, addonId: string): Promise<CreditGrant[]> {
    return tx.find(CreditGrant, { ...scopeOf(auth), scope: 'SUBSCRIPTION', subscriptionId, addonId, status: 'published' }, { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  }

  page(tx: Tx, auth: AuthContext, query: CreditGrantQuery): Promise<PageOf<CreditGrant>> {
    const where = [...oneOf('id', query.creditGrantIds), ...oneOf('planId', query.planIds), ...oneOf('subscriptionId', query.subscriptionIds)];
    if (query.scope) where.push({ scope: query.scope });
    return this.findPage(tx, auth, query, where);
  }
}
