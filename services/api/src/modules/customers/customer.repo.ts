import { scopeOf, type AuthContext } from '../../auth-context.ts';
import type { PageOf } from '../../db/find-page.ts';
import { RecordRepo } from '../../db/record-repo.ts';
import type { Tx } from '../../db/transactions.ts';
import type { CustomerQuery } from './customer.convert.ts';
import { Customer } from './customer.entity.ts';
import { customerSearchFields } from './customer.search.ts';
import { metadataContaining, oneOf } from '../../listing/list-where.ts';

/** How other modules read customers: a published one by id or external id, or several by id (any status), in the caller's unit of work. */
export type CustomerReader = Pick<CustomerRepo, 'getPublished' | 'getMany'>;

/** Every query of customers. A deleted customer (`status: deleted`) is gone for every read but lists asking for it. */
export class CustomerRepo extends RecordRepo<Customer> {
  constructor() {
    super(Customer, customerSearchFields, 'customer');
  }

  /** A customer that is not deleted, by id or external id. */
  findLive(tx: Tx, auth: AuthContext, by: { id?: string; externalId?: string }): Promise<Customer | null> {
    return tx.findOne(Customer, { ...scopeOf(auth), ...by, status: { $ne: 'deleted' } });
  }

  /** Whether another published customer has this external id. */
  async isExternalIdTaken(tx: Tx, auth: AuthContext, externalId: string, exceptId?: string): Promise<boolean> {
    const clash = await tx.count(Customer, { ...scopeOf(auth), externalId, status: 'published', ...(exceptId ? { id: { $ne: exceptId } } : {}) });
    return clash > 0;
  }

  /** The live customers on a test clock. */
  liveOnTestClock(tx: Tx, auth: AuthContext, testClockId: string): Promise<Customer[]> {
    return tx.find(Customer, { ...scopeOf(auth), testClockId, status: { $ne: 'deleted' } }, { orderBy: { id: 'asc' } });
  }

  page(tx: Tx, auth: AuthContext, query: CustomerQuery): Promise<PageOf<Customer>> {
    const where = [...oneOf('id', query.customerIds), ...oneOf('externalId', query.externalIds), ...metadataContaining(query.metadata)];
    if (query.externalId !== undefined) where.push({ externalId: query.externalId });
    if (query.email !== undefined) where.push({ email: query.email });
    return this.findPage(tx, auth, query, where);
  }
}
