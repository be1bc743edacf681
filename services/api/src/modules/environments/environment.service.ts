import type { MikroORM } from '@mikro-orm/core';
import type { AuthContext } from '../../auth-context.ts';
import type { Clock } from '../../clock.ts';
import { notFound } from '../../errors/app-error.ts';
import { newId } from '../../ids.ts';
import type { Page } from '../../listing/pagination.ts';
import { Environment, type EnvironmentType } from './environment.entity.ts';
import { useCaseEm } from '../../db/use-case-em.ts';

/** Environments belong to the tenant, not to an environment: any key of the tenant sees them all. */
export class EnvironmentService {
  readonly #orm: MikroORM;
  readonly #clock: Clock;

  constructor(orm: MikroORM, clock: Clock) {
    this.#orm = orm;
    this.#clock = clock;
  }

  async list(auth: AuthContext, page: Page): Promise<{ items: Environment[]; total: number }> {
    const [items, total] = await this.#orm.em
      .fork()
      .findAndCount(
        Environment,
        { tenantId: auth.tenantId, status: 'published' },
        { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], limit: page.limit, offset: page.offset },
      );
    return { items, total };
  }

  async create(auth: AuthContext, input: { name: string; type: EnvironmentType }): Promise<Environment> {
    return useCaseEm(this.#orm).transactional(async (em) => {
      const now = this.#clock.now();
      return em.create(Environment, { id: newId('environment'), tenantId: auth.tenantId, name: input.name, type: input.type, status: 'published', createdAt: now, updatedAt: now });
    });
  }

  async get(auth: AuthContext, id: string): Promise<Environment> {
    const env = await useCaseEm(this.#orm).findOne(Environment, { id, tenantId: auth.tenantId, status: 'published' });
    if (!env) throw notFound('Environment', 'id', id);
    return env;
  }

  async update(auth: AuthContext, id: string, input: { name?: string; type?: EnvironmentType }): Promise<Environment> {
    return useCaseEm(this.#orm).transactional(async (em) => {
      const env = await em.findOne(Environment, { id, tenantId: auth.tenantId, status: 'published' });
      if (!env) throw notFound('Environment', 'id', id);
      if (input.name !== undefined) env.name = input.name;
      if (input.type !== undefined) env.type = input.type;
      env.updatedAt = this.#clock.now();
      return env;
    });
  }
}
