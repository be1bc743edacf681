import type { AuthContext } from '../../auth-context.ts';
import type { PageOf } from '../../db/find-page.ts';
import type { Tx } from '../../db/transactions.ts';
import { notFound } from '../../errors/app-error.ts';
import { newId } from '../../ids.ts';
import type { Page } from '../../listing/pagination.ts';
import type { ServiceContext } from '../../service-context.ts';
import { invalidFields } from '../../errors/app-error.ts';
import type { Environment, EnvironmentType } from './environment.entity.ts';
import { EnvironmentRepo } from './environment.repo.ts';

/**
 * What keeps a development environment from becoming a production one (registered at the composition
 * root by the modules that allow things only in development): why not, or null. Runs in the update's
 * unit of work; `scope` is the environment being changed.
 */
export type ProductionGuard = (tx: Tx, scope: AuthContext) => Promise<string | null>;

/** Environments belong to the tenant, not to an environment: any key of the tenant sees them all. */
export class EnvironmentService {
  readonly #ctx: ServiceContext;
  readonly #repo = new EnvironmentRepo();
  readonly #productionGuards: readonly ProductionGuard[];

  constructor(ctx: ServiceContext, options: { productionGuards?: readonly ProductionGuard[] } = {}) {
    this.#ctx = ctx;
    this.#productionGuards = options.productionGuards ?? [];
  }

  list(auth: AuthContext, page: Page): Promise<PageOf<Environment>> {
    return this.#ctx.db.read((tx) => this.#repo.page(tx, auth.tenantId, page));
  }

  create(auth: AuthContext, input: { name: string; type: EnvironmentType }): Promise<Environment> {
    return this.#ctx.db.run(async (tx) => {
      const now = this.#ctx.clock.now();
      return this.#repo.add(tx, { id: newId('environment'), tenantId: auth.tenantId, name: input.name, type: input.type, status: 'published', createdAt: now, updatedAt: now });
    });
  }

  get(auth: AuthContext, id: string): Promise<Environment> {
    return this.#ctx.db.read((tx) => this.#find(tx, auth, id));
  }

  update(auth: AuthContext, id: string, input: { name?: string; type?: EnvironmentType }): Promise<Environment> {
    return this.#ctx.db.run(async (tx) => {
      const env = await this.#find(tx, auth, id);
      if (input.name !== undefined) env.name = input.name;
      if (input.type === 'production' && env.type !== 'production') {
        const scope = { ...auth, environmentId: env.id };
        for (const guard of this.#productionGuards) {
          const why = await guard(tx, scope);
          if (why) throw invalidFields({ type: `cannot become production: ${why}` });
        }
      }
      if (input.type !== undefined) env.type = input.type;
      env.updatedAt = this.#ctx.clock.now();
      return env;
    });
  }

  async #find(tx: Tx, auth: AuthContext, id: string): Promise<Environment> {
    const env = await this.#repo.findLive(tx, auth.tenantId, id);
    if (!env) throw notFound('Environment', 'id', id);
    return env;
  }
}

/** What other modules read of environments, inside their own unit of work. */
export class EnvironmentReader {
  readonly #repo = new EnvironmentRepo();

  /** A live environment of the tenant, or null. */
  find(tx: Tx, tenantId: string, id: string): Promise<Environment | null> {
    return this.#repo.findLive(tx, tenantId, id);
  }

  /** Serialises, until `tx` ends, changes to what the environment owns. */
  lock(tx: Tx, id: string): Promise<void> {
    return this.#repo.lock(tx, id);
  }
}

/** The environments a new tenant starts with (see tenancy/bootstrap.ts). */
export class EnvironmentProvisioning {
  readonly #repo = new EnvironmentRepo();

  /** `Development` and `Production`; both share `now`, so lists order them by id, and monotonic ids keep Development first. */
  async createDefaults(tx: Tx, tenantId: string, now: Date): Promise<void> {
    for (const [name, type] of [['Development', 'development'], ['Production', 'production']] as const) {
      this.#repo.add(tx, { id: newId('environment'), tenantId, name, type, status: 'published', createdAt: now, updatedAt: now });
    }
    await tx.flush();
  }

  /** Where keys work by default: the tenant's (first) development environment. */
  async defaultOf(tx: Tx, tenantId: string): Promise<Environment> {
    const environments = await this.#repo.allLive(tx, tenantId);
    return environments.find((e) => e.type === 'development') ?? environments[0];
  }
}
