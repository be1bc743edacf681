import type { AuthContext } from '../../auth-context.ts';
import type { Tx } from '../../db/transactions.ts';
import { notFound } from '../../errors/app-error.ts';
import type { CustomerReader } from './customer.repo.ts';

/** A list query of another module that may name its customer by `external_customer_id`. */
export type CustomerFilter = { customerId?: string; externalCustomerId?: string };

/**
 * The query with its `external_customer_id` turned into the customer's id: 404 naming
 * `external_customer_id` when no live customer has it, and null (an empty page) when the query also
 * names another customer by id.
 */
export async function byCustomerId<Q extends CustomerFilter>(tx: Tx, auth: AuthContext, customers: CustomerReader, query: Q): Promise<Q | null> {
  if (query.externalCustomerId === undefined) return query;
  const customer = await customers.getPublished(tx, auth, { externalId: query.externalCustomerId });
  if (!customer) throw notFound('Customer', 'external_customer_id', query.externalCustomerId);
  if (query.customerId !== undefined && query.customerId !== customer.id) return null;
  return { ...query, customerId: customer.id };
}
