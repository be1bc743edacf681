import { defineEntity, p } from '@mikro-orm/core';
import { environmentKeyed, inEnvironment } from '../../db/base-properties.ts';

/**
 * A usage event, stored as sent. The primary key (tenant, environment, id) is the deduplication:
 * an event_id is counted once per environment however often it is sent. Hot paths (ingestion,
 * usage) use SQL directly; this entity exists for the schema and for reads.
 */
export const EventSchema = defineEntity(environmentKeyed('Event', 'events', {
  id: p.string().length(255).primary(),
  externalCustomerId: p.string().length(255),
  customerId: p.string().length(64).nullable(),
  eventName: p.string().length(255),
  source: p.string().length(255).nullable(),
  timestamp: p.datetime(),
  properties: p.json<Record<string, unknown>>().default('{}'),
  ingestedAt: p.datetime().defaultRaw('now()'),
}, {
  indexes: [
    // Usage of one customer for one meter over a time range: the query metering lives on.
    inEnvironment('events_usage_idx', ['externalCustomerId', 'eventName', 'timestamp']),
    // Usage over all customers, and event listings by time.
    inEnvironment('events_name_time_idx', ['eventName', 'timestamp']),
    inEnvironment('events_time_idx', ['timestamp']),
  ],
}));
export class Event extends EventSchema.class {}
EventSchema.setClass(Event);
