import type { AuthContext } from '../../auth-context.ts';
import { boundQuery, type Tx } from '../../db/transactions.ts';
import type { Page } from '../../listing/pagination.ts';

/** The channel `NOTIFY` wakes delivery workers on: sent in the recording transaction, so only on commit. */
export const webhookChannel = 'tally_webhooks';

/** An event row to insert. `payload` is the entity part of the body, as JSON text. */
export type WebhookEventInsert = {
  id: string;
  tenantId: string;
  environmentId: string;
  eventType: string;
  entityType: string;
  entityId: string;
  endpointId: string | null;
  payload: string;
  createdAt: Date;
};

/** An event as read back: the payload as text, so its numbers keep every digit. */
export type WebhookEventRow = {
  id: string;
  tenant_id: string;
  environment_id: string;
  event_type: string;
  entity_type: string;
  entity_id: string;
  payload: string;
  created_at: Date;
};

export type WebhookEventFilter = {
  page: Page;
  eventType?: string;
  entityType?: string;
  entityId?: string;
  startTime?: Date;
  endTime?: Date;
};

export type DeliveryRow = {
  event_id: string;
  endpoint_id: string;
  endpoint_url: string | null;
  state: string;
  attempts: number;
  next_attempt_at: Date | null;
  last_status_code: number | null;
  last_error: string | null;
  succeeded_at: Date | null;
  created_at: Date;
  updated_at: Date;
};

export type AttemptRow = {
  endpoint_id: string;
  attempt: number;
  started_at: Date;
  duration_ms: number;
  status_code: number | null;
  response_body: string;
  error: string | null;
};

/** A timestamptz as the driver hands it over (a Date, or text on drivers that leave parsing to the ORM). */
export function asDate(value: Date | string): Date;
export function asDate(value: Date | string | null): Date | null;
export function asDate(value: Date | string | null): Date | null {
  return value === null || value instanceof Date ? value : new Date(value);
}

const eventRow = (r: WebhookEventRow): WebhookEventRow => ({ ...r, created_at: asDate(r.created_at) });
const deliveryRow = (r: DeliveryRow): DeliveryRow => ({
  ...r,
  next_attempt_at: asDate(r.next_attempt_at),
  succeeded_at: asDate(r.succeeded_at),
  created_at: asDate(r.created_at),
  updated_at: asDate(r.updated_at),
});
const attemptRow = (r: AttemptRow): AttemptRow => ({ ...r, started_at: asDate(r.started_at) });

const columns = 'id, tenant_id, environment_id, event_type, entity_type, entity_id, payload::text as payload, created_at';

/** Every query of system events and of one event's deliveries, within the caller's environment. */
export class WebhookEventRepo {
  /**
   * Inserts the events and wakes the delivery workers, in one statement inside `tx`: the rows and
   * the notification exist only if `tx` commits.
   */
  async insert(tx: Tx, rows: WebhookEventInsert[]): Promise<void> {
    if (rows.length === 0) return;
    await boundQuery(
      tx,
      `with ins as (
         insert into webhook_events (id, tenant_id, environment_id, event_type, entity_type, entity_id, endpoint_id, payload, created_at)
         select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::jsonb[], $9::timestamptz[])
         returning 1)
       select pg_notify($10, '') from (select 1 from ins limit 1) one`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.tenantId),
        rows.map((r) => r.environmentId),
        rows.map((r) => r.eventType),
        rows.map((r) => r.entityType),
        rows.map((r) => r.entityId),
        rows.map((r) => r.endpointId),
        rows.map((r) => r.payload),
        rows.map((r) => r.createdAt.toISOString()),
        webhookChannel,
      ],
    );
  }

  async find(tx: Tx, auth: AuthContext, id: string): Promise<WebhookEventRow | undefined> {
    const rows = await boundQuery<WebhookEventRow>(tx, `select ${columns} from webhook_events where tenant_id = $1 and environment_id = $2 and id = $3`, [
      auth.tenantId,
      auth.environmentId,
      id,
    ]);
    return rows[0] && eventRow(rows[0]);
  }

  /** Newest first; `startTime` ≤ created_at < `endTime`. */
  async page(tx: Tx, auth: AuthContext, filter: WebhookEventFilter): Promise<{ items: WebhookEventRow[]; total: number }> {
    const params: unknown[] = [auth.tenantId, auth.environmentId];
    const where = ['tenant_id = $1', 'environment_id = $2'];
    const add = (condition: string, value: unknown) => {
      params.push(value);
      where.push(condition.replace('?', `$${params.length}`));
    };
    if (filter.eventType !== undefined) add('event_type = ?', filter.eventType);
    if (filter.entityType !== undefined) add('entity_type = ?', filter.entityType);
    if (filter.entityId !== undefined) add('entity_id = ?', filter.entityId);
    if (filter.startTime !== undefined) add('created_at >= ?::timestamptz', filter.startTime.toISOString());
    if (filter.endTime !== undefined) add('created_at < ?::timestamptz', filter.endTime.toISOString());
    const condition = where.join(' and ');
    const n = params.length;
    const [items, count] = await Promise.all([
      boundQuery<WebhookEventRow>(
        tx,
        `select ${columns} from webhook_events where ${condition} order by created_at desc, id desc limit $${n + 1} offset $${n + 2}`,
        [...params, filter.page.limit, filter.page.offset],
      ),
      boundQuery<{ n: string }>(tx, `select count(*)::text as n from webhook_events where ${condition}`, params),
    ]);
    return { items: items.map(eventRow), total: Number(count[0]?.n ?? 0) };
  }

  /** The event's deliveries (one per endpoint, oldest first) and every attempt of them. */
  async deliveries(tx: Tx, auth: AuthContext, eventId: string): Promise<{ deliveries: DeliveryRow[]; attempts: AttemptRow[] }> {
    const scope = [auth.tenantId, auth.environmentId, eventId];
    const deliveries = await boundQuery<DeliveryRow>(
      tx,
      `select d.event_id, d.endpoint_id, p.url as endpoint_url, d.state, d.attempts, d.next_attempt_at, d.last_status_code, d.last_error,
              d.succeeded_at, d.created_at, d.updated_at
         from webhook_deliveries d left join webhook_endpoints p on p.id = d.endpoint_id
        where d.tenant_id = $1 and d.environment_id = $2 and d.event_id = $3
        order by d.created_at, d.endpoint_id`,
      scope,
    );
    const attempts = deliveries.length
      ? await boundQuery<AttemptRow>(
          tx,
          `select endpoint_id, attempt, started_at, duration_ms, status_code, response_body, error
             from webhook_delivery_attempts where event_id = $1 order by endpoint_id, attempt`,
          [eventId],
        )
      : [];
    return { deliveries: deliveries.map(deliveryRow), attempts: attempts.map(attemptRow) };
  }

  /**
   * One more attempt, due now, for each of the event's deliveries (or only the one to
   * `endpointId`, created if the event never went there), except one whose attempt is under way.
   * The schedule is not restarted: a failed re-delivery is final. Wakes the workers on commit.
   */
  async scheduleRetry(tx: Tx, auth: AuthContext, eventId: string, endpointId: string | undefined, now: Date): Promise<void> {
    const at = now.toISOString();
    if (endpointId === undefined) {
      await boundQuery(
        tx,
        `with upd as (
           update webhook_deliveries set state = 'pending', next_attempt_at = $4, max_attempts = attempts + 1, updated_at = $4
            where tenant_id = $1 and environment_id = $2 and event_id = $3 and state <> 'delivering'
           returning 1)
         select pg_notify($5, '') from (select 1 from upd limit 1) one`,
        [auth.tenantId, auth.environmentId, eventId, at, webhookChannel],
      );
      return;
    }
    await boundQuery(
      tx,
      `with ins as (
         insert into webhook_deliveries as d (event_id, endpoint_id, tenant_id, environment_id, state, attempts, max_attempts, next_attempt_at, created_at, updated_at)
         values ($3, $4, $1, $2, 'pending', 0, 1, $5, $5, $5)
         on conflict (event_id, endpoint_id) do update set state = 'pending', next_attempt_at = $5, max_attempts = d.attempts + 1, updated_at = $5
          where d.state <> 'delivering'
         returning 1)
       select pg_notify($6, '') from (select 1 from ins limit 1) one`,
      [auth.tenantId, auth.environmentId, eventId, endpointId, at, webhookChannel],
    );
  }
}
