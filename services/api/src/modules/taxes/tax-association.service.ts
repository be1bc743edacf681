import type { AuthContext } from '../../auth-context.ts';
import type { PageOf } from '../../db/find-page.ts';
import type { Tx } from '../../db/transactions.ts';
import { AppError, invalidFields, notFound } from '../../errors/app-error.ts';
import { orNotFound } from '../../errors/not-found.ts';
import { newId } from '../../ids.ts';
import { archive, change, newRecord } from '../../records.ts';
import type { ServiceContext } from '../../service-context.ts';
import type { CustomerReader } from '../customers/index.ts';
import { associationsToCopy } from './applicable-rates.ts';
import type { NewTaxAssociation, TaxAssociationChanges, TaxAssociationQuery } from './tax-association.convert.ts';
import type { TaxAssociation, TaxEntityType } from './tax-association.entity.ts';
import { TaxAssociationRepo } from './tax-association.repo.ts';
import type { TaxRate } from './tax-rate.entity.ts';
import { TaxRateRepo } from './tax-rate.repo.ts';
import type { TaxRateOverride } from './tax-rate-override.ts';
import { usableRatesByCode } from './usable-rate.ts';

/** What an association links: an entity of the environment (for `tenant`, the tenant's id). */
export type TaxEntity = { entityType: TaxEntityType; entityId: string };

/**
 * Whether a subscription or invoice exists, registered by the composition root for the module that
 * owns them: without one, associations to that entity type are accepted by id, unchecked.
 */
export type TaxEntityChecker = { entityType: 'subscription' | 'invoice'; exists: (tx: Tx, auth: AuthContext, id: string) => Promise<boolean> };

/**
 * The instant that is "now" for an entity — a test-clock customer's frozen time, registered by the
 * composition root once test clocks exist; null (or none registered) means the service's clock.
 */
export type TaxEntityClock = (tx: Tx, auth: AuthContext, entity: TaxEntity) => Promise<Date | null>;

export type TaxAssociationDeps = { customers: CustomerReader; entityCheckers?: readonly TaxEntityChecker[]; entityClock?: TaxEntityClock };

/** An association with its rate, as a get answers it. */
export type TaxAssociationView = { association: TaxAssociation; rate: TaxRate | null };

const entityNames = { customer: 'Customer', subscription: 'Subscription', invoice: 'Invoice', tenant: 'Tenant' } as const;

export class TaxAssociationService {
  readonly #ctx: ServiceContext;
  readonly #deps: TaxAssociationDeps;
  readonly #associations = new TaxAssociationRepo();
  readonly #rates = new TaxRateRepo();

  constructor(ctx: ServiceContext, deps: TaxAssociationDeps) {
    this.#ctx = ctx;
    this.#deps = deps;
  }

  create(auth: AuthContext, input: NewTaxAssociation): Promise<TaxAssociation> {
    return this.#ctx.db.run(async (tx) => {
      const [rate] = await usableRatesByCode(this.#rates, tx, auth, [input.taxRateCode], () => 'tax_rate_code');
      const entity = await this.#resolveEntity(tx, auth, input);
      const startDate = input.startDate ?? (await this.#now(tx, auth, entity));
      if (input.endDate && input.endDate <= startDate) throw invalidFields({ end_date: `must be after start_date (${startDate.toISOString()})` });
      return this.#link(tx, auth, entity, rate as TaxRate, { ...input, startDate, endDate: input.endDate });
    });
  }

  /** Any status, with its rate: a deleted (archived) association stays readable by id. */
  get(auth: AuthContext, id: string): Promise<TaxAssociationView> {
    return this.#ctx.db.read(async (tx) => {
      const association = await this.#find(tx, auth, id);
      return { association, rate: await this.#rates.get(tx, auth, association.taxRateId) };
    });
  }

  /** A page of associations, each with its rate when the query asks for it (one query for all rates). */
  list(auth: AuthContext, query: TaxAssociationQuery): Promise<PageOf<TaxAssociationView>> {
    return this.#ctx.db.read(async (tx) => {
      const resolved = await this.#resolveListCustomer(tx, auth, query);
      const { items, total } = await this.#associations.page(tx, auth, resolved);
      const rates = query.withTaxRate ? await this.#rates.getMany(tx, auth, items.map((a) => a.taxRateId)) : new Map<string, TaxRate>();
      return { items: items.map((association) => ({ association, rate: rates.get(association.taxRateId) ?? null })), total };
    });
  }

  update(auth: AuthContext, id: string, changes: TaxAssociationChanges): Promise<TaxAssociation> {
    return this.#ctx.db.run(async (tx) => change(await this.#find(tx, auth, id), changes, auth, this.#ctx.clock.now()));
  }

  /** Archives the association; it taxes no invoice taxed after this. Deleting it again changes nothing. Answers the association. */
  delete(auth: AuthContext, id: string): Promise<TaxAssociation> {
    return this.#ctx.db.run(async (tx) => {
      const association = await this.#find(tx, auth, id);
      await archive(association, auth, this.#ctx.clock);
      return association;
    });
  }

  /**
   * The tax set-up of a new customer, in the caller's unit of work (FlexPrice does it when it creates
   * the customer): with `overrides`, one association per override (none for `[]`); without, a copy of
   * the tenant's auto-applied associations (see `associationsToCopy`). `at`: when the copies start (the
   * customer's time, which the caller knows for a customer not yet stored); by default its clock's now.
   */
  copyToCustomer(tx: Tx, auth: AuthContext, customerId: string, options: { overrides?: readonly TaxRateOverride[] | null; at?: Date } = {}): Promise<TaxAssociation[]> {
    const target: TaxEntity = { entityType: 'customer', entityId: customerId };
    return this.#inherit(tx, auth, target, { entityType: 'tenant', entityId: auth.tenantId }, options.overrides ?? null, options.at);
  }

  /**
   * The tax set-up of a new subscription, in the caller's unit of work (the subscriptions module calls
   * it when it creates one): with `overrides` (the subscription's `tax_rate_overrides`), one association
   * per override, each in `currency` when given (400 naming `tax_rate_overrides[i].currency` otherwise);
   * without, a copy of the customer's auto-applied associations.
   */
  copyToSubscription(
    tx: Tx,
    auth: AuthContext,
    customerId: string,
    subscriptionId: string,
    options: { overrides?: readonly TaxRateOverride[] | null; currency?: string; at?: Date } = {},
  ): Promise<TaxAssociation[]> {
    const currency = options.currency?.toLowerCase();
    const wrong = (options.overrides ?? []).findIndex((o) => currency !== undefined && o.currency.toLowerCase() !== currency);
    if (wrong >= 0) throw invalidFields({ [`tax_rate_overrides[${wrong}].currency`]: `must be the subscription's currency, ${currency}` });
    const target: TaxEntity = { entityType: 'subscription', entityId: subscriptionId };
    return this.#inherit(tx, auth, target, { entityType: 'customer', entityId: customerId }, options.overrides ?? null, options.at);
  }

  async #inherit(tx: Tx, auth: AuthContext, target: TaxEntity, source: TaxEntity, overrides: readonly TaxRateOverride[] | null, at?: Date): Promise<TaxAssociation[]> {
    const now = at ?? (await this.#now(tx, auth, target));
    if (overrides !== null) {
      const rates = await usableRatesByCode(this.#rates, tx, auth, overrides.map((o) => o.taxRateCode), (i) => `tax_rate_overrides[${i}].tax_rate_code`);
      return overrides.map((o, i) => this.#link(tx, auth, target, rates[i] as TaxRate, { ...o, startDate: now, endDate: null }));
    }
    const copies = associationsToCopy(await this.#associations.liveOf(tx, auth, [source]), now);
    return copies.map(({ from, startDate, endDate }) =>
      this.#associations.add(tx, {
        id: newId('taxAssociation'),
        taxRateId: from.taxRateId,
        ...target,
        priority: from.priority,
        autoApply: from.autoApply,
        currency: from.currency,
        metadata: from.metadata ?? {},
        startDate,
        endDate,
        ...newRecord(auth, this.#ctx.clock.now()),
      }),
    );
  }

  #link(
    tx: Tx,
    auth: AuthContext,
    entity: TaxEntity,
    rate: TaxRate,
    terms: { priority: number; autoApply: boolean; currency: string | null; metadata: Record<string, string>; startDate: Date; endDate: Date | null },
  ): TaxAssociation {
    return this.#associations.add(tx, {
      id: newId('taxAssociation'),
      taxRateId: rate.id,
      ...entity,
      priority: terms.priority,
      autoApply: terms.autoApply,
      currency: terms.currency ? terms.currency.toLowerCase() : null,
      metadata: terms.metadata,
      startDate: terms.startDate,
      endDate: terms.endDate,
      ...newRecord(auth, this.#ctx.clock.now()),
    });
  }

  /** The entity a create names, checked: a live customer, a known subscription or invoice, the caller's tenant. */
  async #resolveEntity(tx: Tx, auth: AuthContext, input: NewTaxAssociation): Promise<TaxEntity> {
    const { entityType, entityId } = input;
    if (entityType === 'tenant') {
      if (entityId !== null && entityId !== auth.tenantId) throw invalidFields({ entity_id: `must be your tenant's id (${auth.tenantId}) or absent for a tenant association` });
      return { entityType, entityId: auth.tenantId };
    }
    if (entityType === 'customer') {
      return { entityType, entityId: await this.#customerId(tx, auth, input.externalCustomerId, entityId) };
    }
    const checker = this.#deps.entityCheckers?.find((c) => c.entityType === entityType);
    if (checker && !(await checker.exists(tx, auth, entityId as string))) throw notFound(entityNames[entityType], 'entity_id', entityId as string);
    return { entityType, entityId: entityId as string };
  }

  /** The customer named by external id (if given) or by id; both given must name the same one. */
  async #customerId(tx: Tx, auth: AuthContext, externalCustomerId: string | null | undefined, entityId: string | null | undefined): Promise<string> {
    if (externalCustomerId) {
      const customer = await this.#deps.customers.getPublished(tx, auth, { externalId: externalCustomerId });
      if (!customer) throw new AppError('not_found', `Customer with external ID '${externalCustomerId}' was not found`, { external_customer_id: externalCustomerId });
      if (entityId && entityId !== customer.id) {
        throw invalidFields({ external_customer_id: `names customer ${customer.id}, not ${entityId} given as entity_id` });
      }
      return customer.id;
    }
    const customer = await this.#deps.customers.getPublished(tx, auth, { id: entityId as string });
    if (!customer) throw notFound('Customer', 'entity_id', entityId as string);
    return customer.id;
  }

  async #resolveListCustomer(tx: Tx, auth: AuthContext, query: TaxAssociationQuery): Promise<TaxAssociationQuery> {
    if (query.externalCustomerId === undefined) return query;
    if (query.entityType !== undefined && query.entityType !== 'customer') {
      throw invalidFields({ entity_type: `must be customer (or absent) when external_customer_id is given, got '${query.entityType}'` });
    }
    return { ...query, entityType: 'customer', entityId: await this.#customerId(tx, auth, query.externalCustomerId, query.entityId) };
  }

  async #now(tx: Tx, auth: AuthContext, entity: TaxEntity): Promise<Date> {
    return (await this.#deps.entityClock?.(tx, auth, entity)) ?? this.#ctx.clock.now();
  }

  async #find(tx: Tx, auth: AuthContext, id: string): Promise<TaxAssociation> {
    return orNotFound(await this.#associations.get(tx, auth, id), 'Tax association', 'id', id);
  }
}
