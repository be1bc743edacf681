import { UniqueConstraintViolationException, type EntityManager, type MikroORM } from '@mikro-orm/core';
import { scopeOf, type AuthContext } from '../../auth-context.ts';
import type { Clock } from '../../clock.ts';
import { AppError, invalidFields, notFound } from '../../errors/app-error.ts';
import { newId } from '../../ids.ts';
import { filtersToWhere, sortToOrderBy, type FilterCondition, type SortCondition } from '../../listing/filter-conditions.ts';
import type { Page } from '../../listing/pagination.ts';
import { Customer } from './customer.entity.ts';
import type { CustomerFields, NewCustomer } from './customer.input.ts';
import { customerSearchFields } from './customer.search.ts';
import { useCaseEm } from '../../db/use-case-em.ts';
import { record } from '../webhooks/index.ts';
import { customerEvent } from './customer.webhook.ts';

/** A list or search of customers, as the GET list and the search body both express it. */
export type CustomerQuery = {
  page: Page;
  status?: string;
  order?: 'asc' | 'desc';
  sort?: SortCondition[];
  filters?: FilterCondition[];
  customerIds?: string[];
  externalIds?: string[];
  externalId?: string;
  email?: string;
  metadata?: Record<string, string>;
};

export type CustomerTarget = { id?: string; externalId?: string };

const duplicate = (externalId: string) =>
  new AppError('already_exists', 'A customer with this identifier already exists', { external_id: externalId });

/** Customer use cases; each one is a single transaction scoped to the caller's environment. */
export class CustomerService {
  readonly #orm: MikroORM;
  readonly #clock: Clock;

  constructor(orm: MikroORM, clock: Clock) {
    this.#orm = orm;
    this.#clock = clock;
  }

  async create(auth: AuthContext, input: NewCustomer): Promise<Customer> {
    return this.#write(input.externalId, async (em) => {
      await this.#assertExternalIdFree(em, auth, input.externalId);
      const now = this.#clock.now();
      const customer = em.create(Customer, {
        ...definedOnly(input),
        externalId: input.externalId,
        name: input.name,
        id: newId('customer'),
        ...scopeOf(auth),
        timezone: input.timezone ?? 'UTC',
        metadata: input.metadata ?? {},
        status: 'published',
        createdAt: now,
        updatedAt: now,
        createdBy: auth.secretId,
        updatedBy: auth.secretId,
      });
      await record(em, auth, customerEvent('customer.created', customer, now));
      return customer;
    });
  }

  async get(auth: AuthContext, id: string): Promise<Customer> {
    return this.#findLive(useCaseEm(this.#orm), auth, { id });
  }

  async getByExternalId(auth: AuthContext, externalId: string): Promise<Customer> {
    return this.#findLive(useCaseEm(this.#orm), auth, { externalId });
  }

  async update(auth: AuthContext, target: CustomerTarget, input: CustomerFields): Promise<Customer> {
    return this.#write(input.externalId ?? '', async (em) => {
      const customer = await this.#resolveTarget(em, auth, target);
      const previousExternalId = customer.externalId;
      em.assign(customer, definedOnly(input));
      if (input.externalId !== undefined && input.externalId !== previousExternalId) {
        await this.#assertExternalIdFree(em, auth, input.externalId, customer.id);
        // Unlike FlexPrice, which records the new id, keep the one that was replaced.
        const old = customer.metadata.old_external_ids;
        customer.metadata = { ...customer.metadata, old_external_ids: old ? `${old},${previousExternalId}` : previousExternalId };
      }
      customer.updatedAt = this.#clock.now();
      customer.updatedBy = auth.secretId;
      await record(em, auth, customerEvent('customer.updated', customer, customer.updatedAt));
      return customer;
    });
  }

  async delete(auth: AuthContext, id: string): Promise<void> {
    await useCaseEm(this.#orm).transactional(async (em) => {
      const customer = await this.#findLive(em, auth, { id });
      customer.status = 'deleted';
      customer.updatedAt = this.#clock.now();
      customer.updatedBy = auth.secretId;
      await record(em, auth, customerEvent('customer.deleted', customer, customer.updatedAt));
    });
  }

  async list(auth: AuthContext, query: CustomerQuery): Promise<{ items: Customer[]; total: number }> {
    const where: Record<string, unknown>[] = [
      { ...scopeOf(auth), status: query.status ?? 'published' },
      ...filtersToWhere(query.filters, customerSearchFields, 'customer'),
    ];
    if (query.customerIds?.length) where.push({ id: { $in: query.customerIds } });
    if (query.externalIds?.length) where.push({ externalId: { $in: query.externalIds } });
    if (query.externalId !== undefined) where.push({ externalId: query.externalId });
    if (query.email !== undefined) where.push({ email: query.email });
    if (query.metadata && Object.keys(query.metadata).length) where.push({ metadata: { $contains: query.metadata } });
    const orderBy = sortToOrderBy(query.sort, query.order, customerSearchFields, 'customer');
    const [items, total] = await useCaseEm(this.#orm).findAndCount(Customer, { $and: where }, {
      orderBy,
      limit: query.page.limit,
      offset: query.page.offset,
    });
    return { items, total };
  }

  /** Runs a write in one transaction; a unique-index race on external_id surfaces as 409, not 500. */
  async #write(externalId: string, work: (em: EntityManager) => Promise<Customer>): Promise<Customer> {
    try {
      return await useCaseEm(this.#orm).transactional(work);
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) throw duplicate(externalId);
      throw err;
    }
  }

  async #findLive(em: EntityManager, auth: AuthContext, by: { id?: string; externalId?: string }): Promise<Customer> {
    const customer = await em.findOne(Customer, { ...scopeOf(auth), ...by, status: { $ne: 'deleted' } });
    if (!customer) throw by.id !== undefined ? notFound('Customer', 'id', by.id) : notFound('Customer', 'external_id', by.externalId ?? '');
    return customer;
  }

  async #resolveTarget(em: EntityManager, auth: AuthContext, target: CustomerTarget): Promise<Customer> {
    if (target.id === undefined && target.externalId === undefined) {
      throw invalidFields({ id: 'or external_customer_id is required to name the customer' });
    }
    const byId = target.id !== undefined ? await this.#findLive(em, auth, { id: target.id }) : undefined;
    const byExternal = target.externalId !== undefined ? await this.#findLive(em, auth, { externalId: target.externalId }) : undefined;
    if (byId && byExternal && byId.id !== byExternal.id) {
      throw invalidFields({ external_customer_id: `names customer ${byExternal.id}, not ${byId.id} given as id` });
    }
    return (byId ?? byExternal) as Customer;
  }

  async #assertExternalIdFree(em: EntityManager, auth: AuthContext, externalId: string, exceptId?: string): Promise<void> {
    const clash = await em.count(Customer, {
      ...scopeOf(auth),
      externalId,
      status: 'published',
      ...(exceptId ? { id: { $ne: exceptId } } : {}),
    });
    if (clash > 0) throw duplicate(externalId);
  }
}

function definedOnly<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Partial<T>;
}
