import type { components } from '@tally/contract';
import { invalidFields } from '../../errors/app-error.ts';
import { newId } from '../../ids.ts';
import { defaultLimit, maxLimit, maxOffset } from '../../listing/pagination.ts';
import { parseExactJson } from '../../wire/exact-json.ts';
import { epochMicros, instantOfDate, instantOfEpochMicros, parseInstant, toDatabaseTime, toWireTime, type Instant } from './event-time.ts';
import type { EventCursor, EventQueryInput, EventRow, NewEvent } from './event.types.ts';

export type { EventCursor, EventQueryInput, NewEvent };

type IngestRequest = components['schemas']['IngestEventRequest'];
type BulkIngestRequest = components['schemas']['BulkIngestEventRequest'];
type EventsRequest = components['schemas']['GetEventsRequest'];

/** How far ahead of the server's clock an event may be stamped: room for clock skew, not for scheduling. */
export const maxFutureMs = 5 * 60_000;
/** Events are stamped after the Unix epoch, so cursor keys (`<unix_nanos>::<id>`) are never negative. */
const earliest = '1970-01-01T00:00:00Z';


/**
 * An event stamped later than the server's clock allows (now + 5 minutes): refused unless its
 * customer lives on a test clock whose time allows it (see {@link refuseBadEvents}).
 */
export type AheadStamp = { field: string; externalCustomerId: string; ms: number };

/** Events read from an ingestion request, what is wrong with them, and which are stamped ahead of the server's clock. */
export type ReadEvents = { events: NewEvent[]; problems: Record<string, string>; ahead: AheadStamp[] };

function toNewEvent(body: IngestRequest, now: Date, at: (field: string) => string, read: ReadEvents): NewEvent {
  const errors = read.problems;
  const eventName = body.event_name.trim();
  if (!eventName) errors[at('event_name')] = 'must not be blank';

  let instant: Instant = instantOfDate(now);
  if (body.timestamp) {
    const parsed = parseInstant(body.timestamp);
    if (!parsed) errors[at('timestamp')] = 'must be an RFC 3339 date-time with an offset, e.g. 2024-03-20T15:04:05Z';
    else if (parsed.ms < 0) errors[at('timestamp')] = `must not be before ${earliest}`;
    else {
      // Decided once the customers on test clocks are known: one look-up for the whole request.
      if (parsed.ms > now.getTime() + maxFutureMs) read.ahead.push({ field: at('timestamp'), externalCustomerId: body.external_customer_id, ms: parsed.ms });
      instant = parsed;
    }
  }

  const properties = body.properties ?? {};

  return {
    id: body.event_id || newId('event'),
    externalCustomerId: body.external_customer_id,
    customerId: body.customer_id || null,
    eventName,
    source: body.source || null,
    timestamp: toDatabaseTime(instant),
    properties: JSON.stringify(properties),
  };
}

/** `POST /events`: the schema checked types and lengths; this applies FlexPrice's defaults and Tally's time rules. */
export function fromIngestEventRequest(body: IngestRequest, now: Date): ReadEvents {
  const read: ReadEvents = { events: [], problems: {}, ahead: [] };
  read.events.push(toNewEvent(body, now, (field) => field, read));
  return read;
}

/** `POST /events/bulk`: all or nothing — every bad event is named by index and field (`events[3].timestamp`). */
export function fromBulkIngestRequest(body: BulkIngestRequest, now: Date): ReadEvents {
  const read: ReadEvents = { events: [], problems: {}, ahead: [] };
  body.events.forEach((event, i) => read.events.push(toNewEvent(event, now, (field) => `events[${i}].${field}`, read)));
  return read;
}

/**
 * Refuses the request (400 naming every bad field) when anything is wrong with its events. An event
 * stamped more than 5 minutes after the server's `now` is wrong unless its customer is on a test
 * clock (`clockTimes`: external customer id → the clock's time) and it is stamped at most 5 minutes
 * after the clock's time.
 */
export function refuseBadEvents(read: ReadEvents, now: Date, clockTimes: Map<string, Date>): void {
  const errors = read.problems;
  for (const stamp of read.ahead) {
    const clockTime = clockTimes.get(stamp.externalCustomerId);
    if (clockTime === undefined) {
      errors[stamp.field] = `must not be more than 5 minutes in the future (server time ${now.toISOString()})`;
    } else if (stamp.ms > clockTime.getTime() + maxFutureMs) {
      errors[stamp.field] = `must not be more than 5 minutes after the time of customer ${stamp.externalCustomerId}'s test clock (${clockTime.toISOString()})`;
    }
  }
  if (Object.keys(errors).length) throw invalidFields(errors);
}

/** `<unix_nanos>::<event_id>` of an event (FlexPrice's cursor key). */
export function cursorKeyOf(epochMicrosText: string, id: string): string {
  return `${BigInt(epochMicrosText) * 1000n}::${id}`;
}

function parseCursor(key: string, field: string, errors: Record<string, string>): EventCursor | undefined {
  const at = key.indexOf('::');
  const nanos = at > 0 ? key.slice(0, at) : '';
  const id = key.slice(at + 2);
  // Up to year 9999 in nanoseconds: 2.5e20, 21 digits.
  if (at < 0 || !/^\d{1,21}$/.test(nanos) || !id) {
    errors[field] = 'must be a cursor key <unix_nanos>::<event_id> from a previous response';
    return undefined;
  }
  const instant = instantOfEpochMicros(BigInt(nanos) / 1000n);
  if (!Number.isFinite(new Date(instant.ms).getTime()) || instant.ms > Date.UTC(9999, 11, 31, 23, 59, 59, 999)) {
    errors[field] = 'names a time outside the years 1970–9999';
    return undefined;
  }
  return { timestamp: toDatabaseTime(instant), id };
}

function parseTime(text: string | undefined, field: string, errors: Record<string, string>): Instant | undefined {
  if (text === undefined) return undefined;
  const t = parseInstant(text);
  if (!t) errors[field] = 'must be an RFC 3339 date-time with an offset, e.g. 2024-03-20T15:04:05Z';
  return t;
}

const week = 7 * 24 * 3600_000;

/** `POST /events/query`: FlexPrice's defaults (last 7 days, 50 per page, timestamp desc) and Tally's stricter checks. */
export function fromEventQueryRequest(body: EventsRequest, now: Date): EventQueryInput {
  const errors: Record<string, string> = {};
  const end = parseTime(body.end_time, 'end_time', errors) ?? instantOfDate(now);
  const start = parseTime(body.start_time, 'start_time', errors) ?? { ms: end.ms - week, micros: end.micros };
  if (epochMicros(end) < epochMicros(start)) errors.end_time = 'must not be before start_time';

  const pageSize = body.page_size || defaultLimit;
  if (pageSize < 1 || pageSize > maxLimit) errors.page_size = `must be between 1 and ${maxLimit}`;
  const offset = body.offset ?? 0;
  if (offset < 0 || offset > maxOffset) errors.offset = `must be an integer between 0 and ${maxOffset}`;

  const sort = body.sort ?? 'timestamp';
  let paging: EventQueryInput['paging'] = { kind: 'offset', offset };
  if (body.iter_first_key && body.iter_last_key) {
    errors.iter_first_key = 'and iter_last_key cannot both be given: send one cursor';
  } else if (body.iter_first_key || body.iter_last_key) {
    const field = body.iter_last_key ? 'iter_last_key' : 'iter_first_key';
    if (sort !== 'timestamp') errors[field] = 'pages in timestamp order only; use offset with sort event_name';
    if (body.offset) errors.offset = `cannot be combined with ${field}`;
    const cursor = parseCursor((body.iter_last_key || body.iter_first_key) as string, field, errors);
    if (cursor) paging = { kind: body.iter_last_key ? 'after' : 'before', cursor };
  }
  if (Object.keys(errors).length) throw invalidFields(errors);

  return {
    externalCustomerId: body.external_customer_id || undefined,
    eventName: body.event_name || undefined,
    eventId: body.event_id || undefined,
    source: body.source || undefined,
    propertyFilters: Object.entries(body.property_filters ?? {}).filter(([, values]) => values.length > 0),
    start: toDatabaseTime(start),
    end: toDatabaseTime(end),
    sort,
    order: body.order ?? 'desc',
    pageSize,
    paging,
  };
}

export type EventResponse = components['schemas']['Event'];

/** Row → wire, as FlexPrice prints an event: unset `customer_id` and `source` are empty strings. */
export function toEventResponse(row: EventRow): EventResponse {
  return {
    id: row.id,
    external_customer_id: row.external_customer_id,
    customer_id: row.customer_id ?? '',
    event_name: row.event_name,
    timestamp: toWireTime(row.time_text),
    properties: parseExactJson(row.properties) as Record<string, unknown>,
    source: row.source ?? '',
    environment_id: row.environment_id,
  };
}

/** FlexPrice's cursor key of an event: `<unix_nanos>::<event_id>`. */
export function cursorKeyOfRow(row: EventRow): string {
  return cursorKeyOf(row.epoch_micros, row.id);
}
