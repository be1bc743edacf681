import type { AuthContext } from '../../auth-context.ts';
import type { PageOf } from '../../db/find-page.ts';
import type { Tx } from '../../db/transactions.ts';
import { AppError } from '../../errors/app-error.ts';
import { orNotFound } from '../../errors/not-found.ts';
import { newId } from '../../ids.ts';
import { archive, change, newRecord } from '../../records.ts';
import type { ServiceContext } from '../../service-context.ts';
import type { NewPriceUnit, PriceUnitChanges, PriceUnitQuery } from './price-unit.convert.ts';
import type { PriceUnit } from './price-unit.entity.ts';
import { PriceUnitRepo } from './price-unit.repo.ts';

/**
 * Runs inside a unit's deletion unit of work and throws to refuse it. Prices register one that
 * refuses a unit an active price uses: such a price would keep naming a unit that no longer exists.
 */
export type PriceUnitDeletionGuard = (tx: Tx, auth: AuthContext, unit: PriceUnit) => Promise<void>;

const codeTaken = (code: string) => new AppError('already_exists', `A price unit with code ${code} already exists`, { code });

export class PriceUnitService {
  readonly #ctx: ServiceContext;
  readonly #repo = new PriceUnitRepo();
  readonly #deletionGuards: PriceUnitDeletionGuard[];

  constructor(ctx: ServiceContext, deletionGuards: PriceUnitDeletionGuard[] = []) {
    this.#ctx = ctx;
    this.#deletionGuards = deletionGuards;
  }

  /** A unique-index race on the code (two creates at once) surfaces as 409, not 500. */
  create(auth: AuthContext, input: NewPriceUnit): Promise<PriceUnit> {
    return this.#ctx.db.run(async (tx) => {
      if (await this.#repo.isTaken(tx, auth, { code: input.code })) throw codeTaken(input.code);
      return this.#repo.add(tx, { id: newId('priceUnit'), ...input, ...newRecord(auth, this.#ctx.clock.now()) });
    }, () => codeTaken(input.code));
  }

  /** Any status: a deleted (archived) unit stays readable. */
  get(auth: AuthContext, id: string): Promise<PriceUnit> {
    return this.#ctx.db.read((tx) => this.#find(tx, auth, id));
  }

  /** The published unit with this code. */
  async getByCode(auth: AuthContext, code: string): Promise<PriceUnit> {
    return orNotFound(await this.#ctx.db.read((tx) => this.#repo.getPublished(tx, auth, { code })), 'Price unit', 'code', code);
  }

  list(auth: AuthContext, query: PriceUnitQuery): Promise<PageOf<PriceUnit>> {
    return this.#ctx.db.read((tx) => this.#repo.page(tx, auth, query));
  }

  update(auth: AuthContext, id: string, changes: PriceUnitChanges): Promise<PriceUnit> {
    return this.#ctx.db.run(async (tx) => change(await this.#find(tx, auth, id), changes, auth, this.#ctx.clock.now()));
  }

  /** Archives the unit unless a deletion guard refuses. Deleting it again changes nothing. */
  async delete(auth: AuthContext, id: string): Promise<void> {
    await this.#ctx.db.run(async (tx) => {
      const unit = await this.#find(tx, auth, id);
      await archive(unit, auth, this.#ctx.clock, async () => {
        for (const guard of this.#deletionGuards) await guard(tx, auth, unit);
      });
    });
  }

  async #find(tx: Tx, auth: AuthContext, id: string): Promise<PriceUnit> {
    return orNotFound(await this.#repo.get(tx, auth, id), 'Price unit', 'id', id);
  }
}
