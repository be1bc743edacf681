import type { Handlers } from '@tally/contract';
import type { RequestContext } from '../../request-context.ts';
import type { EventIngestion } from './event-ingestion.ts';
import type { EventQuery } from './event-query.ts';
import { toApiEvent } from './event.mapper.ts';

type EventHandlers = Pick<Handlers<RequestContext>, 'ingestEvent' | 'ingestEventsBulk' | 'getEvent' | 'listRawEvents'>;

/** Event operations: map the wire to the use cases and back; nothing else. */
export function eventHandlers(ingestion: EventIngestion, events: EventQuery): EventHandlers {
  return {
    ingestEvent: async ({ body }, ctx) => ({
      message: 'Event accepted for processing',
      event_id: await ingestion.ingest(ctx.auth, body),
    }),
    ingestEventsBulk: async ({ body }, ctx) => ({
      message: 'Events accepted for processing',
      event_ids: await ingestion.ingestBulk(ctx.auth, body),
    }),
    getEvent: async ({ query }, ctx) => ({
      event: toApiEvent(await events.get(ctx.auth, query.id)),
      status: 'processed',
      processed_events: [],
    }),
    listRawEvents: async ({ body }, ctx) => {
      const page = await events.list(ctx.auth, body);
      return {
        events: page.rows.map(toApiEvent),
        has_more: page.hasMore,
        total_count: page.total,
        ...(page.firstKey ? { iter_first_key: page.firstKey } : {}),
        ...(page.lastKey ? { iter_last_key: page.lastKey } : {}),
        ...(page.nextOffset !== undefined ? { offset: page.nextOffset } : {}),
      };
    },
  };
}
