/** The shapes an event takes between the wire, the use cases and the database. */

/** One event as stored: validated, defaults applied, times canonical, properties as JSON text. */
export type NewEvent = {
  id: string;
  externalCustomerId: string;
  customerId: string | null;
  eventName: string;
  source: string | null;
  /** Canonical UTC time to the microsecond (see event-time.ts). */
  timestamp: string;
  properties: string;
};

/** A position in timestamp order: the event's time and id. */
export type EventCursor = { timestamp: string; id: string };

export type EventQueryInput = {
  externalCustomerId?: string;
  eventName?: string;
  eventId?: string;
  source?: string;
  /** Property → accepted values; keys with no values are dropped, as FlexPrice drops them. */
  propertyFilters: [string, string[]][];
  /** Half-open: start ≤ timestamp < end, canonical UTC. */
  start: string;
  end: string;
  sort: 'timestamp' | 'event_name';
  order: 'asc' | 'desc';
  pageSize: number;
  /** Offset paging, or a cursor: events after the page's last one, or before its first one. */
  paging: { kind: 'offset'; offset: number } | { kind: 'after'; cursor: EventCursor } | { kind: 'before'; cursor: EventCursor };
};

/** An event to insert, with the environment it belongs to. */
export type EventInsert = NewEvent & { tenantId: string; environmentId: string };

/** An event as read back; the time comes as text, since a JS Date would drop its microseconds. */
export type EventRow = {
  id: string;
  external_customer_id: string;
  customer_id: string | null;
  event_name: string;
  source: string | null;
  /** jsonb as text, so numbers keep every digit (see exact-json.ts). */
  properties: string;
  environment_id: string;
  /** `YYYY-MM-DDTHH:MI:SS.US`, UTC. */
  time_text: string;
  /** Microseconds since the epoch, as text (bigint). */
  epoch_micros: string;
};
