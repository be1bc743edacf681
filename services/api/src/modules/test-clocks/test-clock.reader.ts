import type { AuthContext } from '../../auth-context.ts';
import type { Tx } from '../../db/transactions.ts';
import { AppError, invalidFields, notFound } from '../../errors/app-error.ts';
import type { ServiceContext } from '../../service-context.ts';
import { EnvironmentReader } from '../environments/index.ts';
import type { TestClock, TestClockStatus } from './test-clock.entity.ts';
import { TestClockRepo } from './test-clock.repo.ts';

/** A test clock as other modules see it: read-only. `deleted`: the clock was deleted (with its customers). */
export type TestClockView = { id: string; name: string; frozenTime: Date; status: TestClockStatus; deleted: boolean };

/** A customer as far as its time goes: a customer entity (any module's read of one) or anything carrying its clock. */
export type CustomerTime = { testClockId?: string | null };

const viewOf = (c: TestClock): TestClockView => ({ id: c.id, name: c.name, frozenTime: c.frozenTime, status: c.clockStatus, deleted: c.status !== 'published' });

/** Why an environment has no test clocks. */
const productionOnly = (environmentId: string) =>
  `test clocks exist only in development environments; environment ${environmentId} is a production environment`;

/**
 * Time for a customer, and the other reads of test clocks that other modules and the composition
 * root need, in the caller's unit of work. A customer on a test clock lives at the clock's
 * `frozen_time`; every other customer at the wall clock's now.
 */
export class TestClockReader {
  readonly #ctx: ServiceContext;
  readonly #repo = new TestClockRepo();
  readonly #environments = new EnvironmentReader();

  constructor(ctx: ServiceContext) {
    this.#ctx = ctx;
  }

  /**
   * The clock a customer lives on, or null. Give the customer as read (an entity with its
   * `testClockId`: no query when it has none) or by id (one query; a customer of any status, since
   * work for a deleted customer still runs at its time). An id the environment does not have is 404.
   */
  /** The environments module's production guard: test clocks live in development environments only. */
  readonly refuseClocksInProduction = async (tx: Tx, scope: AuthContext): Promise<string | null> => {
    const n = await this.#repo.countLive(tx, scope);
    return n ? `it has ${n} test clock(s), which live in development environments only (delete them first)` : null;
  };

  async clockOf(tx: Tx, auth: AuthContext, customer: string | CustomerTime): Promise<TestClockView | null> {
    if (typeof customer !== 'string') {
      if (!customer.testClockId) return null;
      const clock = await this.#repo.get(tx, auth, customer.testClockId);
      return clock ? viewOf(clock) : null;
    }
    const row = await this.#repo.clockOfCustomer(tx, auth, customer);
    if (!row) throw notFound('Customer', 'id', customer);
    if (row.clock_id === null || row.frozen_time === null) return null;
    return {
      id: row.clock_id,
      name: row.name ?? '',
      frozenTime: row.frozen_time as Date,
      status: row.clock_status as TestClockStatus,
      deleted: row.clock_record_status !== 'published',
    };
  }

  /** "Now" for this customer: its test clock's `frozen_time`, or the wall clock's now when it has none. */
  async nowFor(tx: Tx, auth: AuthContext, customer: string | CustomerTime): Promise<Date> {
    return (await this.clockOf(tx, auth, customer))?.frozenTime ?? this.#ctx.clock.now();
  }

  /**
   * Of these external customer ids, those of live customers on a test clock, with their clock's
   * time — one query, in its own read (event ingestion asks only for events stamped beyond the
   * wall clock's limit).
   */
  clockTimesOf(auth: AuthContext, externalCustomerIds: string[]): Promise<Map<string, Date>> {
    if (externalCustomerIds.length === 0) return Promise.resolve(new Map());
    return this.#ctx.db.read((tx) => this.#repo.clockTimesByExternalId(tx, auth, externalCustomerIds));
  }

  /**
   * Refuses, naming `field`, unless the caller's environment is a development one: 400 with the
   * environment's type. `field` absent: the refusal names the environment (`environment_type`).
   */
  async requireDevelopment(tx: Tx, auth: AuthContext, field?: string): Promise<void> {
    const environment = await this.#environments.find(tx, auth.tenantId, auth.environmentId);
    if (!environment || environment.type === 'development') return;
    if (field) throw invalidFields({ [field]: productionOnly(environment.id) });
    throw new AppError('invalid_operation', `Test clocks exist only in development environments; environment ${environment.id} is a production environment`, {
      environment_type: environment.type,
    });
  }

  /**
   * What a new customer's `test_clock_id` must name: a live clock of the caller's environment, which
   * must be a development one (400 naming `test_clock_id` in production; 404 for a clock it does not have).
   */
  async requireAttachable(tx: Tx, auth: AuthContext, testClockId: string): Promise<void> {
    await this.requireDevelopment(tx, auth, 'test_clock_id');
    if (!(await this.#repo.findLive(tx, auth, testClockId))) throw notFound('Test clock', 'test_clock_id', testClockId);
  }
}
