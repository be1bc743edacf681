import type { AuthContext } from '../../auth-context.ts';
import type { Tx } from '../../db/transactions.ts';
import { AppError } from '../../errors/app-error.ts';
import type { TaxRate } from './tax-rate.entity.ts';
import type { TaxRateRepo } from './tax-rate.repo.ts';

/**
 * The rates these codes name, for linking or applying: each a published rate of the environment (404
 * naming `field(i)` otherwise) that is ACTIVE (400 `invalid_operation` otherwise). One query.
 */
export async function usableRatesByCode(rates: TaxRateRepo, tx: Tx, auth: AuthContext, codes: readonly string[], field: (i: number) => string): Promise<TaxRate[]> {
  const found = new Map((await rates.publishedWithCodes(tx, auth, codes)).map((r) => [r.code, r]));
  return codes.map((code, i) => {
    const rate = found.get(code);
    if (!rate) throw new AppError('not_found', `Tax rate with code ${code} was not found`, { [field(i)]: code });
    return usable(rate, field(i), code);
  });
}

/** `rate` when it may be linked or applied: published and ACTIVE (400 `invalid_operation` naming `field` otherwise). */
export function usable(rate: TaxRate, field: string, value: string): TaxRate {
  if (rate.status !== 'published') throw new AppError('invalid_operation', `Tax rate ${rate.code} is deleted: it cannot be linked or applied`, { [field]: value });
  if (rate.taxRateStatus !== 'ACTIVE') throw new AppError('invalid_operation', `Tax rate ${rate.code} is ${rate.taxRateStatus}: it cannot be linked or applied`, { [field]: value });
  return rate;
}
