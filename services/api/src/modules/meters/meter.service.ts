import type { AuthContext } from '../../auth-context.ts';
import type { PageOf } from '../../db/find-page.ts';
import type { Tx } from '../../db/transactions.ts';
import { orNotFound } from '../../errors/not-found.ts';
import { newId } from '../../ids.ts';
import { archive, newRecord, touch } from '../../records.ts';
import type { ServiceContext } from '../../service-context.ts';
import { mergeMeterFilters, sameFilters } from './meter-filters.ts';
import type { MeterQuery, NewMeter } from './meter.convert.ts';
import type { Meter, MeterFilter } from './meter.entity.ts';
import { MeterRepo } from './meter.repo.ts';

/**
 * Meter use cases, each in one unit of work scoped to the caller's environment. The `…In` methods
 * run inside a unit of work someone else owns, so a feature creates, extends or disables its meter
 * atomically with itself.
 */
export class MeterService {
  readonly #ctx: ServiceContext;
  readonly #repo = new MeterRepo();

  constructor(ctx: ServiceContext) {
    this.#ctx = ctx;
  }

  create(auth: AuthContext, input: NewMeter): Promise<Meter> {
    return this.#ctx.db.run(async (tx) => this.createIn(tx, auth, input));
  }

  /** What every published meter of the environment counts: its event name and filters. */
  publishedDefinitions(auth: AuthContext): Promise<Array<{ eventName: string; filters: MeterFilter[] }>> {
    return this.#ctx.db.read((tx) => this.#repo.publishedDefinitions(tx, auth));
  }

  /** Any status: a disabled meter stays readable, as in FlexPrice. */
  get(auth: AuthContext, id: string): Promise<Meter> {
    return this.#ctx.db.read((tx) => this.#find(tx, auth, id));
  }

  list(auth: AuthContext, query: MeterQuery): Promise<PageOf<Meter>> {
    return this.#ctx.db.read((tx) => this.#repo.page(tx, auth, query));
  }

  addFilters(auth: AuthContext, id: string, filters: MeterFilter[]): Promise<Meter> {
    return this.#ctx.db.run(async (tx) => {
      const meter = await this.#find(tx, auth, id);
      this.addFiltersIn(auth, meter, filters);
      return meter;
    });
  }

  async disable(auth: AuthContext, id: string): Promise<void> {
    await this.#ctx.db.run(async (tx) => this.disableIn(auth, await this.#find(tx, auth, id)));
  }

  createIn(tx: Tx, auth: AuthContext, input: NewMeter): Meter {
    return this.#repo.add(tx, { id: newId('meter'), ...input, ...newRecord(auth, this.#ctx.clock.now()) });
  }

  /** A copy with a new id and the same definition (a cloned feature gets its own meter). */
  copyIn(tx: Tx, auth: AuthContext, source: Meter): Meter {
    return this.createIn(tx, auth, {
      name: source.name,
      eventName: source.eventName,
      aggregation: { ...source.aggregation },
      filters: source.filters.map((f) => ({ key: f.key, values: [...f.values] })),
      resetUsage: source.resetUsage,
    });
  }

  /** Additive: see mergeMeterFilters. Adding nothing new leaves the meter (and updated_at) as it was. */
  addFiltersIn(auth: AuthContext, meter: Meter, filters: MeterFilter[]): void {
    const merged = mergeMeterFilters(meter.filters ?? [], filters);
    if (sameFilters(merged, meter.filters ?? [])) return;
    meter.filters = merged;
    touch(meter, auth, this.#ctx.clock.now());
  }

  /** Disabling a disabled meter changes nothing. */
  async disableIn(auth: AuthContext, meter: Meter): Promise<void> {
    await archive(meter, auth, this.#ctx.clock);
  }

  async #find(tx: Tx, auth: AuthContext, id: string): Promise<Meter> {
    return orNotFound(await this.#repo.get(tx, auth, id), 'Meter', 'id', id);
  }
}
