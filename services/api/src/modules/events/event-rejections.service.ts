import { scopeOf, type AuthContext } from '../../auth-context.ts';
import { filterText } from '../../billing/usage/property-value.ts';
import type { Clock } from '../../clock.ts';
import { parseExactJson } from '../../wire/exact-json.ts';
import type { NewWebhookEvent } from '../webhooks/index.ts';
import type { EventInsert } from './event.repo.ts';

/** What a meter selects: events of one name whose properties pass every filter. */
export type MeterSelection = { eventName: string; filters: Array<{ key: string; values: string[] }> };

export type RejectedEventsOptions = {
  /** The environment's published meters. */
  meters: (auth: AuthContext) => Promise<MeterSelection[]>;
  /** Records `event.rejected` system events (in a transaction of their own). */
  announce: (auth: AuthContext, events: NewWebhookEvent[]) => Promise<void>;
  clock: Clock;
  /** At most one notice per event name and environment within this window; 0: one per event. */
  windowMs: number;
  onError: (err: unknown) => void;
  /** Meters are re-read after this long (and sooner before a rejection, see below). */
  refreshMs?: number;
  /** Events waiting to be checked beyond this are dropped: a notice is best effort, ingestion is not slowed for it. */
  maxQueued?: number;
};

type Reason = 'no_meter_for_event_name' | 'no_matching_meter';
type Catalog = { loadedAt: number; byName: Map<string, MeterSelection[]> };
type Waiting = { auth: AuthContext; event: EventInsert };

/** Before a rejection is announced, meters read longer ago than this are read again (a meter may just have been created). */
const freshForRejectionMs = 1000;

/**
 * FlexPrice's `event.rejected`: an ingested event that no meter counts — no published meter has
 * its name (`no_meter_for_event_name`), or none whose filters its properties pass
 * (`no_matching_meter`; filters read properties as Tally's usage does). As in FlexPrice, at most one
 * notice per event name and environment per window (10 minutes by default), and best effort.
 *
 * Checked after the events are committed and the request answered, against an in-memory copy of
 * each environment's meters: ingestion only hands the stored events over (an array push). A notice
 * is about an event, not a state change, so it is recorded in a transaction of its own, not the
 * ingestion's: a crash between the two loses the notice, never the event.
 */
export class RejectedEvents {
  readonly #options: Required<RejectedEventsOptions>;
  readonly #catalogs = new Map<string, Catalog>();
  readonly #announced = new Map<string, number>();
  #queue: Waiting[] = [];
  #running: Promise<void> | undefined;

  constructor(options: RejectedEventsOptions) {
    this.#options = { refreshMs: 10_000, maxQueued: 100_000, ...options };
  }

  /** Hands over stored events; returns at once. */
  notice(auth: AuthContext, events: EventInsert[]): void {
    const room = this.#options.maxQueued - this.#queue.length;
    for (let i = 0; i < events.length && i < room; i++) this.#queue.push({ auth, event: events[i]! });
    if (!this.#running) this.#running = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.#drain()).finally(() => (this.#running = undefined));
  }

  /** Resolves once every handed-over event is checked and its notice recorded (tests). */
  async settled(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async #drain(): Promise<void> {
    while (this.#queue.length) {
      const batch = this.#queue.splice(0, 5000);
      try {
        await this.#check(batch);
      } catch (err) {
        this.#options.onError(err);
      }
    }
  }

  async #check(batch: Waiting[]): Promise<void> {
    const notices = new Map<string, { auth: AuthContext; events: NewWebhookEvent[] }>();
    const now = this.#options.clock.now();
    for (const { auth, event } of batch) {
      const env = `${auth.tenantId}\u0000${auth.environmentId}`;
      const throttleKey = `${env}\u0000${event.eventName}`;
      const last = this.#announced.get(throttleKey);
      if (this.#options.windowMs > 0 && last !== undefined && now.getTime() - last < this.#options.windowMs) continue;
      let reason = this.#reason(await this.#catalog(auth, env, false), event);
      if (reason) reason = this.#reason(await this.#catalog(auth, env, true), event);
      if (!reason) continue;
      this.#announced.set(throttleKey, now.getTime());
      const group = notices.get(env) ?? { auth, events: [] };
      group.events.push(rejectedEvent(event, reason, now));
      notices.set(env, group);
    }
    for (const { auth, events } of notices.values()) await this.#options.announce(auth, events);
    this.#forgetOld(now.getTime());
  }

  #reason(catalog: Catalog, event: EventInsert): Reason | undefined {
    const meters = catalog.byName.get(event.eventName);
    if (!meters?.length) return 'no_meter_for_event_name';
    if (meters.some((m) => m.filters.every((f) => !f.values.length))) return undefined;
    const properties = parseExactJson(event.properties) as Record<string, unknown>;
    const counted = meters.some((m) => m.filters.every((f) => !f.values.length || f.values.includes(filterText(properties, f.key))));
    return counted ? undefined : 'no_matching_meter';
  }

  async #catalog(auth: AuthContext, env: string, forRejection: boolean): Promise<Catalog> {
    const now = this.#options.clock.now().getTime();
    const cached = this.#catalogs.get(env);
    const maxAge = forRejection ? freshForRejectionMs : this.#options.refreshMs;
    if (cached && now - cached.loadedAt < maxAge) return cached;
    const byName = new Map<string, MeterSelection[]>();
    for (const m of await this.#options.meters({ ...scopeOf(auth), secretId: auth.secretId })) {
      const list = byName.get(m.eventName) ?? [];
      list.push(m);
      byName.set(m.eventName, list);
    }
    const catalog = { loadedAt: now, byName };
    this.#catalogs.set(env, catalog);
    return catalog;
  }

  #forgetOld(now: number): void {
    if (this.#announced.size < 10_000) return;
    for (const [key, at] of this.#announced) if (now - at >= this.#options.windowMs) this.#announced.delete(key);
  }
}

/** FlexPrice's payload: the reason and a snapshot of the event (empty members left out, as its Go struct does). */
function rejectedEvent(e: EventInsert, reason: Reason, at: Date): NewWebhookEvent {
  const event: Record<string, unknown> = { id: e.id, event_name: e.eventName };
  if (e.customerId) event.customer_id = e.customerId;
  if (e.externalCustomerId) event.external_customer_id = e.externalCustomerId;
  if (e.source) event.source = e.source;
  const properties = parseExactJson(e.properties) as Record<string, unknown>;
  if (Object.keys(properties).length) event.properties = properties;
  event.timestamp = e.timestamp;
  return { eventType: 'event.rejected', entityType: 'event', entityId: e.id, payload: { reason, event }, at };
}
