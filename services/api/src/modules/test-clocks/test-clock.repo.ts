import { LockMode } from '@mikro-orm/core';
import { scopeOf, type AuthContext } from '../../auth-context.ts';
import type { PageOf } from '../../db/find-page.ts';
import { RecordRepo } from '../../db/record-repo.ts';
import { boundQuery, type Tx } from '../../db/transactions.ts';
import type { ListQuery } from '../../listing/list-query.ts';
import { TestClock } from './test-clock.entity.ts';
import { testClockSearchFields } from './test-clock.search.ts';

/** An advance this process holds: which clock, where it goes, and the token that proves the claim is still its own. */
export type AdvanceClaim = { id: string; tenantId: string; environmentId: string; target: Date; token: string };

/** A customer's clock as one join reads it: the customer's id and, when it lives on a clock, the clock's row. */
type CustomerClockRow = { customer_id: string; clock_id: string | null; name: string | null; frozen_time: Date | string | null; clock_status: string | null; clock_record_status: string | null };

const asDate = (value: Date | string): Date => (value instanceof Date ? value : new Date(value));
const iso = (d: Date) => d.toISOString();

/**
 * Every query of test clocks. The two customer look-ups read `customers.test_clock_id`, the link the
 * customers module stores, joined to this table in one statement (event ingestion asks it on its hot
 * path, and a customer's time is asked by every billing use case).
 */
export class TestClockRepo extends RecordRepo<TestClock> {
  constructor() {
    super(TestClock, testClockSearchFields, 'test_clock');
  }

  /** How many live clocks the environment has. */
  countLive(tx: Tx, auth: AuthContext): Promise<number> {
    return tx.count(TestClock, { ...scopeOf(auth), status: 'published' });
  }

  /** A live (not deleted) clock of the environment. */
  findLive(tx: Tx, auth: AuthContext, id: string): Promise<TestClock | null> {
    return tx.findOne(TestClock, { ...scopeOf(auth), id, status: 'published' });
  }

  /** A live clock, its row locked until `tx` ends: an advance or a delete decides on it alone. */
  lockLive(tx: Tx, auth: AuthContext, id: string): Promise<TestClock | null> {
    return tx.findOne(TestClock, { ...scopeOf(auth), id, status: 'published' }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  }

  page(tx: Tx, auth: AuthContext, query: ListQuery): Promise<PageOf<TestClock>> {
    return this.findPage(tx, auth, query, []);
  }

  /** The customer (any status) and its clock (any status), or undefined when the environment has no such customer. */
  async clockOfCustomer(tx: Tx, auth: AuthContext, customerId: string): Promise<CustomerClockRow | undefined> {
    const [row] = await boundQuery<CustomerClockRow>(
      tx,
      `select c.id as customer_id, t.id as clock_id, t.name, t.frozen_time, t.clock_status, t.status as clock_record_status
         from customers c
         left join test_clocks t on t.tenant_id = c.tenant_id and t.environment_id = c.environment_id and t.id = c.test_clock_id
        where c.tenant_id = $1 and c.environment_id = $2 and c.id = $3`,
      [auth.tenantId, auth.environmentId, customerId],
    );
    return row ? { ...row, frozen_time: row.frozen_time === null ? null : asDate(row.frozen_time) } : undefined;
  }

  /** Of these external customer ids, those of live customers on a test clock, with the clock's time. One statement. */
  async clockTimesByExternalId(tx: Tx, auth: AuthContext, externalIds: string[]): Promise<Map<string, Date>> {
    const rows = await boundQuery<{ external_id: string; frozen_time: Date | string }>(
      tx,
      `select c.external_id, t.frozen_time
         from customers c
         join test_clocks t on t.tenant_id = c.tenant_id and t.environment_id = c.environment_id and t.id = c.test_clock_id
        where c.tenant_id = $1 and c.environment_id = $2 and c.status = 'published' and c.test_clock_id is not null
          and c.external_id = any($3::text[])`,
      [auth.tenantId, auth.environmentId, externalIds],
    );
    return new Map(rows.map((r) => [r.external_id, asDate(r.frozen_time)]));
  }

  /**
   * Moves a clock this process is advancing to `at` (never backwards) and renews its lease. False
   * when the claim is no longer this process's (another one took the advance over).
   */
  async moveTo(tx: Tx, claim: AdvanceClaim, at: Date, leaseUntil: Date, now: Date): Promise<boolean> {
    const rows = await boundQuery<{ id: string }>(
      tx,
      `update test_clocks set frozen_time = greatest(frozen_time, $3::timestamptz), lease_until = $4::timestamptz, updated_at = $5::timestamptz
        where id = $1 and advance_token = $2 and clock_status = 'advancing' returning id`,
      [claim.id, claim.token, iso(at), iso(leaseUntil), iso(now)],
    );
    return rows.length > 0;
  }

  /** Renews the lease of an advance this process holds; false when it is no longer its own. */
  async renewLease(tx: Tx, claim: AdvanceClaim, leaseUntil: Date): Promise<boolean> {
    const rows = await boundQuery<{ id: string }>(
      tx,
      `update test_clocks set lease_until = $3::timestamptz where id = $1 and advance_token = $2 and clock_status = 'advancing' returning id`,
      [claim.id, claim.token, iso(leaseUntil)],
    );
    return rows.length > 0;
  }

  /** The advance is done: the clock rests at its target. */
  async finish(tx: Tx, claim: AdvanceClaim, now: Date): Promise<boolean> {
    const rows = await boundQuery<{ id: string }>(
      tx,
      `update test_clocks set frozen_time = greatest(frozen_time, advance_target), clock_status = 'ready', advance_target = null,
              advance_token = null, lease_until = null, updated_at = $3::timestamptz
        where id = $1 and advance_token = $2 and clock_status = 'advancing' returning id`,
      [claim.id, claim.token, iso(now)],
    );
    return rows.length > 0;
  }

  /**
   * A piece of due work failed: the clock stops where it is (the instant it was running: `failed_at`),
   * `internal_failure`, keeping its target for the record.
   */
  async fail(tx: Tx, claim: AdvanceClaim, message: string, now: Date): Promise<boolean> {
    const rows = await boundQuery<{ id: string }>(
      tx,
      `update test_clocks set clock_status = 'internal_failure', failed_at = frozen_time, failure_message = $3,
              advance_token = null, lease_until = null, updated_at = $4::timestamptz
        where id = $1 and advance_token = $2 and clock_status = 'advancing' returning id`,
      [claim.id, claim.token, message, iso(now)],
    );
    return rows.length > 0;
  }

  /** Hands an advance back (this process stops): any process's billing worker may take it over at once. */
  async release(tx: Tx, claim: AdvanceClaim): Promise<void> {
    await boundQuery(tx, `update test_clocks set lease_until = null where id = $1 and advance_token = $2 and clock_status = 'advancing'`, [claim.id, claim.token]);
  }

  /**
   * Takes over up to `limit` advances, of any environment, whose process died or handed them back
   * (lease run out or released): each gets `token` and a new lease. Rows another process is claiming
   * at the same moment are skipped.
   */
  async claimAbandoned(tx: Tx, token: string, now: Date, leaseUntil: Date, limit: number): Promise<AdvanceClaim[]> {
    const rows = await boundQuery<{ id: string; tenant_id: string; environment_id: string; advance_target: Date | string }>(
      tx,
      `update test_clocks set advance_token = $1, lease_until = $3::timestamptz
        where id in (select id from test_clocks
                      where clock_status = 'advancing' and status = 'published' and (lease_until is null or lease_until < $2::timestamptz)
                      order by lease_until nulls first limit $4 for update skip locked)
        returning id, tenant_id, environment_id, advance_target`,
      [token, iso(now), iso(leaseUntil), limit],
    );
    return rows.map((r) => ({ id: r.id, tenantId: r.tenant_id, environmentId: r.environment_id, target: asDate(r.advance_target), token }));
  }

  /** Makes every advance resumable at once: only for a database this process alone uses (PGlite), whose leases are a dead process's. */
  async releaseAll(tx: Tx): Promise<number> {
    const rows = await boundQuery<{ id: string }>(tx, `update test_clocks set lease_until = null where clock_status = 'advancing' returning id`, []);
    return rows.length;
  }
}
