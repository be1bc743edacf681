import { scopeOf, type AuthContext } from '../../auth-context.ts';
import type { PageOf } from '../../db/find-page.ts';
import { RecordRepo } from '../../db/record-repo.ts';
import type { Tx } from '../../db/transactions.ts';
import { oneOf } from '../../listing/list-where.ts';
import type { TaxRateQuery } from './tax-rate.convert.ts';
import { TaxRate } from './tax-rate.entity.ts';
import { taxRateSearchFields } from './tax-rate.search.ts';

/** A list given but holding no value (`?taxrate_ids=,`) matches nothing. */
const anyOf = (column: string, values: readonly string[] | undefined) => (values !== undefined && values.length === 0 ? [{ id: null }] : oneOf(column, values));

/** Every query of tax rates. */
export class TaxRateRepo extends RecordRepo<TaxRate> {
  constructor() {
    super(TaxRate, taxRateSearchFields, 'taxrate');
  }

  page(tx: Tx, auth: AuthContext, query: TaxRateQuery): Promise<PageOf<TaxRate>> {
    const where = [...anyOf('id', query.taxRateIds), ...anyOf('code', query.taxRateCodes)];
    if (query.scope !== undefined) where.push({ scope: query.scope });
    return this.findPage(tx, auth, query, where);
  }

  /** The published rates with these codes (case-sensitive), in one query. */
  publishedWithCodes(tx: Tx, auth: AuthContext, codes: readonly string[]): Promise<TaxRate[]> {
    if (codes.length === 0) return Promise.resolve([]);
    return tx.find(TaxRate, { ...scopeOf(auth), code: { $in: [...new Set(codes)] }, status: 'published' });
  }
}
