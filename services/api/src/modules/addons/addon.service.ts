import type { AuthContext } from '../../auth-context.ts';
import type { Tx } from '../../db/transactions.ts';
import { AppError } from '../../errors/app-error.ts';
import { orNotFound } from '../../errors/not-found.ts';
import { newId } from '../../ids.ts';
import { archive, change, newRecord } from '../../records.ts';
import type { ServiceContext } from '../../service-context.ts';
import type { AddonChanges, NewAddon } from './addon.convert.ts';
import type { Addon } from './addon.entity.ts';
import { AddonRepo } from './addon.repo.ts';

/**
 * Runs inside an addon's deletion unit of work and throws to refuse it. Subscriptions will register
 * one that refuses an addon active on a subscription, as FlexPrice does (400, "cannot delete addon
 * that is in use").
 */
export type AddonDeletionGuard = (tx: Tx, auth: AuthContext, addon: Addon) => Promise<void>;

const lookupKeyTaken = (lookupKey: string) =>
  new AppError('already_exists', 'A published addon with this lookup key already exists', { lookup_key: lookupKey });

export class AddonService {
  readonly #ctx: ServiceContext;
  readonly #repo = new AddonRepo();
  readonly #deletionGuards: AddonDeletionGuard[];

  constructor(ctx: ServiceContext, deletionGuards: AddonDeletionGuard[] = []) {
    this.#ctx = ctx;
    this.#deletionGuards = deletionGuards;
  }

  /** Two creates racing past the lookup-key check meet the partial unique index: still a 409, not a 500. */
  create(auth: AuthContext, input: NewAddon): Promise<Addon> {
    return this.#ctx.db.run(async (tx) => {
      if (await this.#repo.isTaken(tx, auth, { lookupKey: input.lookupKey })) throw lookupKeyTaken(input.lookupKey);
      return this.#repo.add(tx, { id: newId('addon'), ...input, ...newRecord(auth, this.#ctx.clock.now()) });
    }, () => lookupKeyTaken(input.lookupKey));
  }

  update(auth: AuthContext, id: string, changes: AddonChanges): Promise<Addon> {
    return this.#ctx.db.run(async (tx) => change(await this.#find(tx, auth, id), changes, auth, this.#ctx.clock.now()));
  }

  /** Archives the addon (its prices and entitlements stay). Deleting it again changes nothing. */
  async delete(auth: AuthContext, id: string): Promise<void> {
    await this.#ctx.db.run(async (tx) => {
      const addon = await this.#find(tx, auth, id);
      await archive(addon, auth, this.#ctx.clock, async () => {
        for (const guard of this.#deletionGuards) await guard(tx, auth, addon);
      });
    });
  }

  async #find(tx: Tx, auth: AuthContext, id: string): Promise<Addon> {
    return orNotFound(await this.#repo.get(tx, auth, id), 'Addon', 'id', id);
  }
}
