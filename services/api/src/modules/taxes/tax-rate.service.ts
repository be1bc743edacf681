import type { AuthContext } from '../../auth-context.ts';
import type { PageOf } from '../../db/find-page.ts';
import type { Tx } from '../../db/transactions.ts';
import { AppError } from '../../errors/app-error.ts';
import { orNotFound } from '../../errors/not-found.ts';
import { newId } from '../../ids.ts';
import { archive, change, newRecord } from '../../records.ts';
import type { ServiceContext } from '../../service-context.ts';
import { TaxAppliedRepo } from './tax-applied.repo.ts';
import { TaxAssociationRepo } from './tax-association.repo.ts';
import type { NewTaxRate, TaxRateChanges, TaxRateQuery } from './tax-rate.convert.ts';
import type { TaxRate } from './tax-rate.entity.ts';
import { TaxRateRepo } from './tax-rate.repo.ts';

const codeTaken = (code: string) => new AppError('already_exists', `A published tax rate with code '${code}' already exists in this environment`, { code });

export class TaxRateService {
  readonly #ctx: ServiceContext;
  readonly #rates = new TaxRateRepo();
  readonly #associations = new TaxAssociationRepo();
  readonly #applied = new TaxAppliedRepo();

  constructor(ctx: ServiceContext) {
    this.#ctx = ctx;
  }

  /** A new rate is ACTIVE. A unique-index race on the code (two creates at once) surfaces as 409, not 500. */
  create(auth: AuthContext, input: NewTaxRate): Promise<TaxRate> {
    return this.#ctx.db.run(async (tx) => {
      if (await this.#rates.isTaken(tx, auth, { code: input.code })) throw codeTaken(input.code);
      return this.#rates.add(tx, { id: newId('taxRate'), ...input, taxRateStatus: 'ACTIVE', ...newRecord(auth, this.#ctx.clock.now()) });
    }, () => codeTaken(input.code));
  }

  /** Any status: a deleted (archived) rate stays readable by id. */
  get(auth: AuthContext, id: string): Promise<TaxRate> {
    return this.#ctx.db.read((tx) => this.#find(tx, auth, id));
  }

  list(auth: AuthContext, query: TaxRateQuery): Promise<PageOf<TaxRate>> {
    return this.#ctx.db.read((tx) => this.#rates.page(tx, auth, query));
  }

  /**
   * Name, description and metadata describe the rate and may always change; the code (which
   * overrides name it by) and the status (which decides whether it may be linked) only while nothing
   * uses the rate, as FlexPrice refuses any change to a rate in use.
   */
  update(auth: AuthContext, id: string, changes: TaxRateChanges): Promise<TaxRate> {
    return this.#ctx.db.run(async (tx) => {
      const rate = await this.#find(tx, auth, id);
      const newCode = changes.code !== undefined && changes.code !== rate.code;
      const newStatus = changes.taxRateStatus !== undefined && changes.taxRateStatus !== rate.taxRateStatus;
      if ((newCode || newStatus) && (await this.#inUse(tx, auth, rate.id))) {
        const field = newCode ? 'code' : 'tax_rate_status';
        throw new AppError('invalid_operation', `The ${field} of tax rate ${rate.id} cannot change: associations or invoices use the rate`, { [field]: newCode ? changes.code : changes.taxRateStatus });
      }
      if (newCode && rate.status === 'published' && (await this.#rates.isTaken(tx, auth, { code: changes.code }))) throw codeTaken(changes.code as string);
      return change(rate, changes, auth, this.#ctx.clock.now());
    }, () => codeTaken(changes.code ?? ''));
  }

  /** Archives the rate, which frees its code; refused while a published association links it. Deleting it again changes nothing. */
  async delete(auth: AuthContext, id: string): Promise<void> {
    await this.#ctx.db.run(async (tx) => {
      const rate = await this.#find(tx, auth, id);
      await archive(rate, auth, this.#ctx.clock, async () => {
        if (await this.#associations.isRateLinked(tx, auth, rate.id)) {
          throw new AppError('invalid_operation', `Tax rate ${rate.id} has active associations; delete them before deleting the rate`, { id: rate.id });
        }
      });
    });
  }

  async #inUse(tx: Tx, auth: AuthContext, id: string): Promise<boolean> {
    return (await this.#associations.isRateLinked(tx, auth, id)) || (await this.#applied.isRateApplied(tx, auth, id));
  }

  async #find(tx: Tx, auth: AuthContext, id: string): Promise<TaxRate> {
    return orNotFound(await this.#rates.get(tx, auth, id), 'Tax rate', 'id', id);
  }
}
