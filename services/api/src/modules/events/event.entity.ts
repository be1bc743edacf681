import { defineEntity, p } from '@mikro-orm/core';

/**
 * A usage event, stored as sent. The primary key (tenant, environment, id) is the deduplication:
 * an event_id is counted once per environment however often it is sent. Hot paths (ingestion,
 * usage) use SQL directly; this entity exists for the schema and for reads.
 */
export const EventSchema = defineEntity({
  name: 'Event',
  tableName: 'events',
  properties: {
    tenantId: p.string().length(64).primary(),
    environmentId: p.string().length(64).primary(),
    id: p.string().length(255).primary(),
    externalCustomerId: p.string().length(255),
    customerId: p.string().length(64).nullable(),
    eventName: p.string().length(255),
    source: p.string().length(255).nullable(),
    timestamp: p.datetime(),
    properties: p.json<Record<string, unknown>>().default('{}'),
    ingestedAt: p.datetime().defaultRaw('now()'),
  },
  indexes: [
    // Usage of one customer for one meter over a time range: the query metering lives on.
    { name: 'events_usage_idx', properties: ['tenantId', 'environmentId', 'externalCustomerId', 'eventName', 'timestamp'] },
    // Usage over all customers, and event listings by time.
    { name: 'events_name_time_idx', properties: ['tenantId', 'environmentId', 'eventName', 'timestamp'] },
    { name: 'events_time_idx', properties: ['tenantId', 'environmentId', 'timestamp'] },
  ],
});
export class Event extends EventSchema.class {}
EventSchema.setClass(Event);
