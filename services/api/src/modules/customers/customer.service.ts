import type { AuthContext } from '../../auth-context.ts';
import type { PageOf } from '../../db/find-page.ts';
import type { Tx } from '../../db/transactions.ts';
import { AppError, invalidFields, notFound } from '../../errors/app-error.ts';
import { newId } from '../../ids.ts';
import { definedOnly, newRecord, touch } from '../../records.ts';
import type { ServiceContext } from '../../service-context.ts';
import { record, recordAll } from '../webhooks/index.ts';
import type { CustomerFields, CustomerQuery, NewCustomer } from './customer.convert.ts';
import type { Customer } from './customer.entity.ts';
import { CustomerRepo } from './customer.repo.ts';
import { customerEvent } from './customer.webhook.ts';

export type CustomerTarget = { id?: string; externalId?: string };

/**
 * What other modules do when a customer is created, in the same transaction (registered at the
 * composition root): the taxes module copies the tenant's auto-applied tax associations to it.
 */
export type CustomerCreationStep = (tx: Tx, auth: AuthContext, customer: Customer) => Promise<unknown>;

/**
 * What a new customer's `test_clock_id` must pass (the test-clocks module's reader, wired at the
 * composition root): a clock of the caller's development environment, else 400 or 404 naming the field.
 */
export type TestClockCheck = { requireAttachable(tx: Tx, auth: AuthContext, testClockId: string): Promise<void> };

/**
 * What must not exist for a customer to be deleted (registered at the composition root): a
 * subscription that is not cancelled, an active wallet. Each answers why, or null.
 */
export type CustomerDeletionGuard = (tx: Tx, auth: AuthContext, customer: Customer) => Promise<string | null>;

const duplicate = (externalId: string) =>
  new AppError('already_exists', 'A customer with this identifier already exists', { external_id: externalId });

export class CustomerService {
  readonly #ctx: ServiceContext;
  readonly #repo = new CustomerRepo();
  readonly #afterCreate: readonly CustomerCreationStep[];
  readonly #testClocks: TestClockCheck | undefined;
  readonly #deletionGuards: readonly CustomerDeletionGuard[];

  constructor(
    ctx: ServiceContext,
    options: { afterCreate?: readonly CustomerCreationStep[]; testClocks?: TestClockCheck; deletionGuards?: readonly CustomerDeletionGuard[] } = {},
  ) {
    this.#ctx = ctx;
    this.#afterCreate = options.afterCreate ?? [];
    this.#testClocks = options.testClocks;
    this.#deletionGuards = options.deletionGuards ?? [];
  }

  create(auth: AuthContext, input: NewCustomer): Promise<Customer> {
    return this.#write(input.externalId, async (tx) => {
      if (input.testClockId !== undefined) {
        if (!this.#testClocks) throw invalidFields({ test_clock_id: 'is not supported by this server' });
        await this.#testClocks.requireAttachable(tx, auth, input.testClockId);
      }
      if (await this.#repo.isExternalIdTaken(tx, auth, input.externalId)) throw duplicate(input.externalId);
      const customer = this.#repo.add(tx, {
        ...definedOnly(input),
        externalId: input.externalId,
        name: input.name,
        id: newId('customer'),
        timezone: input.timezone ?? 'UTC',
        metadata: input.metadata ?? {},
        ...newRecord(auth, this.#ctx.clock.now()),
      });
      for (const step of this.#afterCreate) await step(tx, auth, customer);
      await record(tx, auth, customerEvent('customer.created', customer, customer.createdAt));
      return customer;
    });
  }

  get(auth: AuthContext, id: string): Promise<Customer> {
    return this.#ctx.db.read((tx) => this.#findLive(tx, auth, { id }));
  }

  getByExternalId(auth: AuthContext, externalId: string): Promise<Customer> {
    return this.#ctx.db.read((tx) => this.#findLive(tx, auth, { externalId }));
  }

  update(auth: AuthContext, target: CustomerTarget, input: CustomerFields): Promise<Customer> {
    return this.#write(input.externalId ?? '', async (tx) => {
      const customer = await this.#resolveTarget(tx, auth, target);
      const previousExternalId = customer.externalId;
      Object.assign(customer, definedOnly(input));
      if (input.externalId !== undefined && input.externalId !== previousExternalId) {
        if (await this.#repo.isExternalIdTaken(tx, auth, input.externalId, customer.id)) throw duplicate(input.externalId);
        // Unlike FlexPrice, which records the new id, keep the one that was replaced.
        const old = customer.metadata.old_external_ids;
        customer.metadata = { ...customer.metadata, old_external_ids: old ? `${old},${previousExternalId}` : previousExternalId };
      }
      touch(customer, auth, this.#ctx.clock.now());
      await record(tx, auth, customerEvent('customer.updated', customer, customer.updatedAt));
      return customer;
    });
  }

  /**
   * Deleted customers leave lists, answer 404 and free their external id. A customer with a
   * subscription that is not cancelled, or with an active wallet, is refused (400
   * `invalid_operation`), as FlexPrice refuses it.
   */
  async delete(auth: AuthContext, id: string): Promise<void> {
    await this.#ctx.db.run(async (tx) => {
      const customer = await this.#findLive(tx, auth, { id });
      for (const guard of this.#deletionGuards) {
        const reason = await guard(tx, auth, customer);
        if (reason !== null) throw new AppError('invalid_operation', reason, { id });
      }
      customer.status = 'deleted';
      touch(customer, auth, this.#ctx.clock.now());
      await record(tx, auth, customerEvent('customer.deleted', customer, customer.updatedAt));
    });
  }

  /**
   * Deletes every live customer on a test clock, as `delete` deletes one (a `customer.deleted`
   * webhook each), in the caller's unit of work: the test clock's deletion. Returns how many.
   */
  async deleteOnTestClock(tx: Tx, auth: AuthContext, testClockId: string): Promise<number> {
    const customers = await this.#repo.liveOnTestClock(tx, auth, testClockId);
    const now = this.#ctx.clock.now();
    for (const customer of customers) {
      customer.status = 'deleted';
      touch(customer, auth, now);
    }
    if (customers.length) await recordAll(tx, auth, customers.map((c) => customerEvent('customer.deleted', c, c.updatedAt)));
    return customers.length;
  }

  list(auth: AuthContext, query: CustomerQuery): Promise<PageOf<Customer>> {
    return this.#ctx.db.read((tx) => this.#repo.page(tx, auth, query));
  }

  /** One unit of work; a unique-index race on external_id surfaces as 409, not 500. */
  #write(externalId: string, work: (tx: Tx) => Promise<Customer>): Promise<Customer> {
    return this.#ctx.db.run(work, () => duplicate(externalId));
  }

  async #findLive(tx: Tx, auth: AuthContext, by: { id?: string; externalId?: string }): Promise<Customer> {
    const customer = await this.#repo.findLive(tx, auth, by);
    if (!customer) throw by.id !== undefined ? notFound('Customer', 'id', by.id) : notFound('Customer', 'external_id', by.externalId ?? '');
    return customer;
  }

  async #resolveTarget(tx: Tx, auth: AuthContext, target: CustomerTarget): Promise<Customer> {
    if (target.id === undefined && target.externalId === undefined) {
      throw invalidFields({ id: 'or external_customer_id is required to name the customer' });
    }
    const byId = target.id !== undefined ? await this.#findLive(tx, auth, { id: target.id }) : undefined;
    const byExternal = target.externalId !== undefined ? await this.#findLive(tx, auth, { externalId: target.externalId }) : undefined;
    if (byId && byExternal && byId.id !== byExternal.id) {
      throw invalidFields({ external_customer_id: `names customer ${byExternal.id}, not ${byId.id} given as id` });
    }
    return (byId ?? byExternal) as Customer;
  }
}
