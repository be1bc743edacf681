import { UniqueConstraintViolationException, type EntityManager, type MikroORM } from '@mikro-orm/core';
import { scopeOf, type AuthContext } from '../../auth-context.ts';
import type { Clock } from '../../clock.ts';
import { AppError, notFound } from '../../errors/app-error.ts';
import { newId } from '../../ids.ts';
import { createdBetween } from '../../listing/created-between.ts';
import { filtersToWhere, sortToOrderBy, type FilterCondition, type SortCondition } from '../../listing/filter-conditions.ts';
import type { Page } from '../../listing/pagination.ts';
import { fullContents, loadContents, type CatalogContents, type ContentsRequest } from '../plans/catalog-contents.ts';
import { Addon } from './addon.entity.ts';
import type { AddonChanges, NewAddon } from './addon.convert.ts';
import { addonSearchFields } from './addon.search.ts';
import { useCaseEm } from '../../db/use-case-em.ts';

/** An addon with whatever of its prices and entitlements was loaded. */
export type AddonView = { addon: Addon; contents?: Partial<CatalogContents> };

/** A list or search of addons, as the GET list and the search body both express it. */
export type AddonQuery = {
  page: Page;
  status?: string;
  order?: 'asc' | 'desc';
  sort?: SortCondition[];
  filters?: FilterCondition[];
  addonIds?: string[];
  lookupKeys?: string[];
  startTime?: string;
  endTime?: string;
  contents: ContentsRequest;
};

/**
 * Runs inside an addon's deletion transaction and throws to refuse it. Subscriptions will register
 * one that refuses an addon active on a subscription, as FlexPrice does (400, "cannot delete addon
 * that is in use").
 */
export type AddonDeletionGuard = (em: EntityManager, auth: AuthContext, addon: Addon) => Promise<void>;

const lookupKeyTaken = (lookupKey: string) =>
  new AppError('already_exists', 'A published addon with this lookup key already exists', { lookup_key: lookupKey });

/** Addon use cases; each one is a single transaction scoped to the caller's environment. */
export class AddonService {
  readonly #orm: MikroORM;
  readonly #clock: Clock;
  readonly #deletionGuards: AddonDeletionGuard[];

  constructor(orm: MikroORM, clock: Clock, deletionGuards: AddonDeletionGuard[] = []) {
    this.#orm = orm;
    this.#clock = clock;
    this.#deletionGuards = deletionGuards;
  }

  async create(auth: AuthContext, input: NewAddon): Promise<AddonView> {
    try {
      return await useCaseEm(this.#orm).transactional(async (em) => {
        if ((await em.count(Addon, { ...scopeOf(auth), lookupKey: input.lookupKey, status: 'published' })) > 0) {
          throw lookupKeyTaken(input.lookupKey);
        }
        const now = this.#clock.now();
        const addon = em.create(Addon, {
          id: newId('addon'),
          ...scopeOf(auth),
          name: input.name,
          lookupKey: input.lookupKey,
          description: input.description,
          metadata: input.metadata,
          status: 'published',
          createdAt: now,
          updatedAt: now,
          createdBy: auth.secretId,
          updatedBy: auth.secretId,
        });
        return { addon };
      });
    } catch (err) {
      // Two creates racing past the check meet the partial unique index: still a 409, not a 500.
      if (err instanceof UniqueConstraintViolationException) throw lookupKeyTaken(input.lookupKey);
      throw err;
    }
  }

  /** Any status (an archived addon stays readable by id), with its published, not yet ended prices and its entitlements. */
  async get(auth: AuthContext, id: string): Promise<AddonView> {
    const em = useCaseEm(this.#orm);
    const addon = await em.findOne(Addon, { ...scopeOf(auth), id });
    if (!addon) throw notFound('Addon', 'id', id);
    return this.#withContents(em, auth, addon);
  }

  /** Only a published addon: an archived one's key may since belong to another. */
  async getByLookupKey(auth: AuthContext, lookupKey: string): Promise<AddonView> {
    const em = useCaseEm(this.#orm);
    const addon = await em.findOne(Addon, { ...scopeOf(auth), lookupKey, status: 'published' });
    if (!addon) throw notFound('Addon', 'lookup_key', lookupKey);
    return this.#withContents(em, auth, addon);
  }

  async list(auth: AuthContext, query: AddonQuery): Promise<{ items: AddonView[]; total: number }> {
    const where: Record<string, unknown>[] = [
      { ...scopeOf(auth), status: query.status ?? 'published' },
      ...filtersToWhere(query.filters, addonSearchFields, 'addon'),
      ...createdBetween(query.startTime, query.endTime),
    ];
    if (query.addonIds?.length) where.push({ id: { $in: query.addonIds } });
    if (query.lookupKeys?.length) where.push({ lookupKey: { $in: query.lookupKeys } });
    const orderBy = sortToOrderBy(query.sort, query.order, addonSearchFields, 'addon');
    const em = useCaseEm(this.#orm);
    const [addons, total] = await em.findAndCount(Addon, { $and: where }, { orderBy, limit: query.page.limit, offset: query.page.offset });
    const contents = await loadContents(em, auth, 'ADDON', addons.map((a) => a.id), query.contents, this.#clock.now());
    return { items: addons.map((addon) => ({ addon, contents: contents.get(addon.id) })), total };
  }

  async update(auth: AuthContext, id: string, changes: AddonChanges): Promise<AddonView> {
    return useCaseEm(this.#orm).transactional(async (em) => {
      const addon = await this.#find(em, auth, id);
      if (changes.name !== undefined) addon.name = changes.name;
      if (changes.description !== undefined) addon.description = changes.description;
      if (changes.metadata !== undefined) addon.metadata = changes.metadata;
      addon.updatedAt = this.#clock.now();
      addon.updatedBy = auth.secretId;
      return { addon };
    });
  }

  /** Archives the addon (its prices and entitlements stay). Deleting it again changes nothing. */
  async delete(auth: AuthContext, id: string): Promise<void> {
    await useCaseEm(this.#orm).transactional(async (em) => {
      const addon = await this.#find(em, auth, id);
      if (addon.status === 'archived') return;
      for (const guard of this.#deletionGuards) await guard(em, auth, addon);
      addon.status = 'archived';
      addon.updatedAt = this.#clock.now();
      addon.updatedBy = auth.secretId;
    });
  }

  async #withContents(em: EntityManager, auth: AuthContext, addon: Addon): Promise<AddonView> {
    const contents = await loadContents(em, auth, 'ADDON', [addon.id], fullContents(false), this.#clock.now());
    return { addon, contents: contents.get(addon.id) };
  }

  async #find(em: EntityManager, auth: AuthContext, id: string): Promise<Addon> {
    const addon = await em.findOne(Addon, { ...scopeOf(auth), id });
    if (!addon) throw notFound('Addon', 'id', id);
    return addon;
  }
}
