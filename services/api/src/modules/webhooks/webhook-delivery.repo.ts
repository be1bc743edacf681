import { boundQuery, type Tx } from '../../db/transactions.ts';
import { asDate } from './webhook-event.repo.ts';

/** A jsonb value as the driver hands it over (parsed, or text). */
const asJson = <T>(value: T | string): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value);

/** A delivery claimed for one attempt, with what the attempt needs: the body and where and how to sign it. */
export type ClaimedDelivery = {
  eventId: string;
  endpointId: string;
  tenantId: string;
  environmentId: string;
  /** This attempt's number (1-based); also the claim's fencing token. */
  attempt: number;
  maxAttempts: number;
  /** `delivering`: the previous claim's lease ran out with no result (its holder died). */
  previousState: 'pending' | 'delivering';
  eventType: string;
  /** The entity part of the body, as JSON text. */
  payload: string;
  url: string;
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
  endpointDisabled: boolean;
  endpointStatus: string;
  /** The claim is this process's until then. */
  leaseUntil: Date;
};

/** An attempt to record, and — when `settles` — the state the delivery moves to. */
export type AttemptRecord = {
  eventId: string;
  endpointId: string;
  attempt: number;
  startedAt: Date;
  durationMs: number;
  statusCode: number | null;
  responseBody: string;
  error: string | null;
  settles: boolean;
  /** Not attempted after all (its claim would have run out first): handed back, due now, its attempt number unused; no log row. */
  release?: boolean;
  state: 'pending' | 'succeeded' | 'failed';
  nextAttemptAt: Date | null;
};

export type DisabledEndpoint = {
  id: string;
  tenant_id: string;
  environment_id: string;
  url: string;
  description: string;
  event_types: string[];
  metadata: Record<string, string>;
  disabled_reason: string;
  disabled_at: Date;
  failing_since: Date;
};

type ClaimRow = {
  event_id: string;
  endpoint_id: string;
  tenant_id: string;
  environment_id: string;
  attempts: number;
  max_attempts: number;
  previous_state: 'pending' | 'delivering';
  event_type: string;
  payload: string;
  url: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: Date | string | null;
  disabled: boolean;
  endpoint_status: string;
};

/**
 * Creates the deliveries of events not fanned out yet — one per live, enabled endpoint of the
 * event's environment that existed when the event was recorded and whose filter takes the event
 * type (a test event: its one endpoint) — and claims at once those this process has room for: at
 * most `$6` in all and `$5` per endpoint counting what it already holds (`$3`/`$4`), in event
 * order. Those are written `delivering` (attempt 1, lease until `$7`) and returned with what the
 * attempt needs; the rest are written `pending`, due now, for {@link claimSql}. A new delivery thus
 * costs one row written once before its attempt, not an insert and then a claim. Events are taken
 * with SKIP LOCKED, so instances fan out different events; the deliveries' primary key makes a
 * repeat harmless (a row that already existed is neither claimed nor returned). Always returns a
 * first row with the count of events and the endpoints left with pending deliveries, whose delivery columns are null when nothing was claimed. (The
 * payload is read by primary key for the claimed rows only: carried through `ev`, it was sorted
 * with every waiting event, and a join on `ev` was planned as a nested loop over both.)
 */
const fanOutSql = `
with ev as (
  select id, tenant_id, environment_id, event_type, endpoint_id, created_at from webhook_events
   where fanned_out_at is null order by id limit $2 for update skip locked
),
target as (
  select ev.id as event_id, p.id as endpoint_id, ev.tenant_id, ev.environment_id,
         row_number() over (partition by p.id order by ev.id) as rn
    from ev join webhook_endpoints p on p.tenant_id = ev.tenant_id and p.environment_id = ev.environment_id and p.status = 'published'
   where (ev.endpoint_id = p.id)
      or (ev.endpoint_id is null and not p.disabled and p.created_at <= ev.created_at
          and (jsonb_array_length(p.event_types) = 0 or p.event_types @> jsonb_build_array(ev.event_type)))
),
room as (
  select t.*, t.rn <= $5 - coalesce(busy.n, 0) as fits from target t
    left join unnest($3::text[], $4::int[]) as busy(endpoint_id, n) on busy.endpoint_id = t.endpoint_id
),
ranked as (
  select r.*, r.fits and row_number() over (partition by r.fits order by r.event_id, r.endpoint_id) <= $6 as claim from room r
),
ins as (
  insert into webhook_deliveries (event_id, endpoint_id, tenant_id, environment_id, state, attempts, max_attempts, next_attempt_at, created_at, updated_at)
  select event_id, endpoint_id, tenant_id, environment_id, case when claim then 'delivering' else 'pending' end, case when claim then 1 else 0 end,
         $8, case when claim then $7::timestamptz else $1::timestamptz end, $1, $1
    from ranked
  on conflict do nothing
  returning event_id, endpoint_id, tenant_id, environment_id, state, attempts, max_attempts
),
done as (update webhook_events w set fanned_out_at = $1 from ev where w.id = ev.id returning 1),
counts as (
  select (select count(*) from done)::int as events,
         array(select distinct endpoint_id from ins where state = 'pending')::text[] as pending_endpoints
)
select c.events, c.pending_endpoints, x.* from counts c left join (
  select i.event_id, i.endpoint_id, i.tenant_id, i.environment_id, i.attempts, i.max_attempts, 'pending' as previous_state,
         e.event_type, e.payload::text as payload, p.url, p.secret, p.previous_secret, p.previous_secret_expires_at, p.disabled,
         p.status as endpoint_status
    from ins i join webhook_events e on e.id = i.event_id join webhook_endpoints p on p.id = i.endpoint_id
   where i.state = 'delivering'
) x on true`;

/**
 * Claims due deliveries (pending and due, or delivering with an expired lease) for one attempt
 * each, skipping rows other instances hold, at most `$6` in all and at most `$5` per endpoint
 * counting the ones this process already holds (`$3`/`$4`); endpoints already at their limit
 * (`$8`) are not even scanned. Each claim gets a lease until `$7` and a new attempt number.
 */
const claimSql = `
with due as (
  select event_id, endpoint_id, next_attempt_at from webhook_deliveries
   where state in ('pending', 'delivering') and next_attempt_at <= $1 and endpoint_id <> all($8::text[])
   order by next_attempt_at limit $2
),
ranked as (
  select due.*, row_number() over (partition by endpoint_id order by next_attempt_at, event_id) as rn from due
),
picked as (
  select r.event_id, r.endpoint_id, r.next_attempt_at from ranked r
    left join unnest($3::text[], $4::int[]) as busy(endpoint_id, n) on busy.endpoint_id = r.endpoint_id
   where r.rn <= $5 - coalesce(busy.n, 0)
   order by r.next_attempt_at limit $6
),
locked as (
  select d.event_id, d.endpoint_id, d.state from webhook_deliveries d
    join picked p on p.event_id = d.event_id and p.endpoint_id = d.endpoint_id
   where d.state in ('pending', 'delivering') and d.next_attempt_at <= $1
   for update of d skip locked
)
update webhook_deliveries d
   set state = 'delivering', attempts = d.attempts + 1, next_attempt_at = $7, updated_at = $1
  from locked l, webhook_events e, webhook_endpoints p
 where d.event_id = l.event_id and d.endpoint_id = l.endpoint_id and e.id = d.event_id and p.id = d.endpoint_id
returning d.event_id, d.endpoint_id, d.tenant_id, d.environment_id, d.attempts, d.max_attempts, l.state as previous_state,
          e.event_type, e.payload::text as payload, p.url, p.secret, p.previous_secret, p.previous_secret_expires_at, p.disabled,
          p.status as endpoint_status`;

/**
 * Records attempts and settles their deliveries in one statement. A delivery is settled only by
 * the claim that made the attempt (same attempt number, still delivering): a result that comes
 * after its lease ran out and another claim took over is logged but changes nothing. Endpoints
 * that succeeded end their failing run; endpoints that only failed start one if none is running.
 * Returns the failing endpoints whose run began at or before `$15` (due to be disabled). (PostgreSQL
 * runs every data-modifying part of a WITH to completion, whether or not the final query reads it.)
 */
const completeSql = `
with r as (
  select * from unnest($1::text[], $2::text[], $3::int[], $4::timestamptz[], $5::int[], $6::int[], $7::text[], $8::text[], $9::bool[], $10::text[], $11::timestamptz[], $16::bool[])
    as r(event_id, endpoint_id, attempt, started_at, duration_ms, status_code, response_body, error, settles, state, next_attempt_at, release)
),
logged as (
  insert into webhook_delivery_attempts (event_id, endpoint_id, attempt, started_at, duration_ms, status_code, response_body, error)
  select event_id, endpoint_id, attempt, started_at, duration_ms, status_code, response_body, error from r where not r.release
  on conflict do nothing
  returning 1
),
settled as (
  update webhook_deliveries d
     set state = r.state, next_attempt_at = r.next_attempt_at,
         attempts = case when r.release then d.attempts - 1 else d.attempts end,
         last_status_code = case when r.release then d.last_status_code else r.status_code end,
         last_error = case when r.release then d.last_error else r.error end,
         succeeded_at = case when r.state = 'succeeded' then $12::timestamptz else d.succeeded_at end, updated_at = $12
    from r
   where r.settles and d.event_id = r.event_id and d.endpoint_id = r.endpoint_id and d.attempts = r.attempt and d.state = 'delivering'
  returning 1
),
healthy as (
  update webhook_endpoints set failing_since = null where id = any($13::text[]) and failing_since is not null returning 1
),
failing as (
  update webhook_endpoints set failing_since = $12 where id = any($14::text[]) and failing_since is null returning 1
)
select id from webhook_endpoints
 where id = any($14::text[]) and status = 'published' and not disabled and failing_since <= $15
`;

/** A text[] as the driver hands it over (an array, or its literal `{a,b}` on drivers that leave parsing to the ORM; ids need no quoting). */
const asTextArray = (value: string[] | string): string[] =>
  Array.isArray(value) ? value : value === '{}' ? [] : value.slice(1, -1).split(',');

const claimedOf = (r: ClaimRow, leaseUntil: Date): ClaimedDelivery => ({
  eventId: r.event_id,
  endpointId: r.endpoint_id,
  tenantId: r.tenant_id,
  environmentId: r.environment_id,
  attempt: Number(r.attempts),
  maxAttempts: Number(r.max_attempts),
  previousState: r.previous_state,
  eventType: r.event_type,
  payload: r.payload,
  url: r.url,
  secret: r.secret,
  previousSecret: r.previous_secret,
  previousSecretExpiresAt: asDate(r.previous_secret_expires_at),
  endpointDisabled: r.disabled,
  endpointStatus: r.endpoint_status,
  leaseUntil,
});

/** The set-based statements of delivery: fan-out, claims, results, disabling, pruning. */
export class WebhookDeliveryRepo {
  /** See {@link fanOutSql}: `limit` events at most; claims within `claimLimit` and `perEndpoint` (minus `busy`). */
  async fanOut(
    tx: Tx,
    fanOut: { now: Date; leaseUntil: Date; limit: number; claimLimit: number; perEndpoint: number; busy: Map<string, number>; maxAttempts: number },
  ): Promise<{ events: number; pendingEndpoints: string[]; claimed: ClaimedDelivery[] }> {
    const busyIds = [...fanOut.busy.keys()];
    const rows = await boundQuery<ClaimRow & { events: number; pending_endpoints: string[] | string }>(tx, fanOutSql, [
      fanOut.now.toISOString(),
      fanOut.limit,
      busyIds,
      busyIds.map((id) => fanOut.busy.get(id) ?? 0),
      fanOut.perEndpoint,
      fanOut.claimLimit,
      fanOut.leaseUntil.toISOString(),
      fanOut.maxAttempts,
    ]);
    const claimed = rows.filter((r) => r.event_id !== null).map((r) => claimedOf(r, fanOut.leaseUntil));
    return { events: Number(rows[0]?.events ?? 0), pendingEndpoints: asTextArray(rows[0]?.pending_endpoints ?? []), claimed };
  }

  async claim(
    tx: Tx,
    claim: { now: Date; leaseUntil: Date; limit: number; perEndpoint: number; busy: Map<string, number> },
  ): Promise<ClaimedDelivery[]> {
    const busyIds = [...claim.busy.keys()];
    const saturated = busyIds.filter((id) => (claim.busy.get(id) ?? 0) >= claim.perEndpoint);
    const rows = await boundQuery<ClaimRow>(tx, claimSql, [
      claim.now.toISOString(),
      Math.max(claim.limit * 2, 32),
      busyIds,
      busyIds.map((id) => claim.busy.get(id) ?? 0),
      claim.perEndpoint,
      claim.limit,
      claim.leaseUntil.toISOString(),
      saturated,
    ]);
    return rows.map((r) => claimedOf(r, claim.leaseUntil));
  }

  /** See {@link completeSql}; returns the ids of endpoints that have failed every attempt since `failingBefore` or earlier. */
  async complete(
    tx: Tx,
    records: AttemptRecord[],
    health: { now: Date; succeeded: string[]; failed: string[]; failingBefore: Date },
  ): Promise<string[]> {
    if (records.length === 0 && health.succeeded.length === 0 && health.failed.length === 0) return [];
    const rows = await boundQuery<{ id: string }>(tx, completeSql, [
      records.map((r) => r.eventId),
      records.map((r) => r.endpointId),
      records.map((r) => r.attempt),
      records.map((r) => r.startedAt.toISOString()),
      records.map((r) => r.durationMs),
      records.map((r) => r.statusCode),
      records.map((r) => r.responseBody),
      records.map((r) => r.error),
      records.map((r) => r.settles),
      records.map((r) => r.state),
      records.map((r) => r.nextAttemptAt?.toISOString() ?? null),
      health.now.toISOString(),
      health.succeeded,
      health.failed,
      health.failingBefore.toISOString(),
      records.map((r) => r.release ?? false),
    ]);
    return rows.map((r) => r.id);
  }

  /** Disables the endpoints (still failing since `failingBefore`, still enabled) and returns them. */
  async disable(tx: Tx, ids: string[], reason: string, now: Date, failingBefore: Date): Promise<DisabledEndpoint[]> {
    const rows = await boundQuery<DisabledEndpoint>(
      tx,
      `update webhook_endpoints set disabled = true, disabled_reason = $2, disabled_at = $3, updated_at = $3
        where id = any($1::text[]) and status = 'published' and not disabled and failing_since <= $4
       returning id, tenant_id, environment_id, url, description, event_types, metadata, disabled_reason, disabled_at, failing_since`,
      [ids, reason, now.toISOString(), failingBefore.toISOString()],
    );
    return rows.map((r) => ({
      ...r,
      event_types: asJson(r.event_types),
      metadata: asJson(r.metadata),
      disabled_at: asDate(r.disabled_at),
      failing_since: asDate(r.failing_since),
    }));
  }

  /**
   * Makes every running claim due again at once. Only for a database one process owns (PGlite, whose
   * data directory is locked): claims found there at start belong to a process that died.
   */
  async releaseClaims(tx: Tx, now: Date): Promise<number> {
    const rows = await boundQuery<{ n: number }>(
      tx,
      `with upd as (update webhook_deliveries set next_attempt_at = $1 where state = 'delivering' and next_attempt_at > $1 returning 1)
       select count(*)::int as n from upd`,
      [now.toISOString()],
    );
    return Number(rows[0]?.n ?? 0);
  }

  /**
   * Deletes, at most `limit` of each per call, attempts started before `before`, settled deliveries
   * last changed before it, and events recorded before it that have no delivery left.
   */
  async prune(tx: Tx, before: Date, limit: number): Promise<number> {
    const rows = await boundQuery<{ n: number }>(
      tx,
      `with a as (
         delete from webhook_delivery_attempts where ctid in (select ctid from webhook_delivery_attempts where started_at < $1 limit $2) returning 1),
       d as (
         delete from webhook_deliveries where ctid in (
           select ctid from webhook_deliveries where updated_at < $1 and state in ('succeeded', 'failed') limit $2) returning event_id)
       select ((select count(*) from a) + (select count(*) from d))::int as n`,
      [before.toISOString(), limit],
    );
    const events = await boundQuery<{ n: number }>(
      tx,
      `with e as (
         delete from webhook_events where id in (
           select e.id from webhook_events e where e.created_at < $1 and e.fanned_out_at is not null
              and not exists (select 1 from webhook_deliveries d where d.event_id = e.id) limit $2) returning 1)
       select count(*)::int as n from e`,
      [before.toISOString(), limit],
    );
    return Number(rows[0]?.n ?? 0) + Number(events[0]?.n ?? 0);
  }
}
