import type { components } from '@tally/contract';
import { parseExactJson } from '../../wire/exact-json.ts';
import { toWireTime } from './event-time.ts';
import { cursorKeyOf } from './event.input.ts';
import type { EventRow } from './event.store.ts';

export type EventResponse = components['schemas']['Event'];

/** Row → wire, as FlexPrice prints an event: unset `customer_id` and `source` are empty strings. */
export function toApiEvent(row: EventRow): EventResponse {
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
