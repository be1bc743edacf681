import type { HandlersOf, RequestContext } from '../../request-context.ts';
import type { EventIngestion } from './event-ingestion.service.ts';
import type { EventQuery } from './event-query.service.ts';
import { toEventResponse } from './event.convert.ts';

type EventHandlers = HandlersOf<'ingestEvent' | 'ingestEventsBulk' | 'getEvent' | 'getEventById' | 'listRawEvents'>;

export function eventHandlers(ingestion: EventIngestion, events: EventQuery): EventHandlers {
  // `/events/lookup?id=` and FlexPrice's legacy `/events/{id}` answer alike.
  const lookup = async (id: string, ctx: RequestContext) => ({
    event: toEventResponse(await events.get(ctx.auth, id)),
    status: 'processed' as const,
    processed_events: [],
  });
  return {
    ingestEvent: async ({ body }, ctx) => ({
      message: 'Event accepted for processing',
      event_id: await ingestion.ingest(ctx.auth, body),
    }),
    ingestEventsBulk: async ({ query, body }, ctx) => {
      const ids = await ingestion.ingestBulk(ctx.auth, body);
      // FlexPrice's SDKs type this answer as a map of strings: the ids only when asked for.
      return query?.return_event_ids ? { message: 'Events accepted for processing', event_ids: ids } : { message: 'Events accepted for processing' };
    },
    getEvent: async ({ query }, ctx) => lookup(query.id, ctx),
    getEventById: async ({ path }, ctx) => lookup(path.id, ctx),
    listRawEvents: async ({ body }, ctx) => {
      const page = await events.list(ctx.auth, body);
      return {
        events: page.rows.map(toEventResponse),
        has_more: page.hasMore,
        total_count: page.total,
        ...(page.firstKey ? { iter_first_key: page.firstKey } : {}),
        ...(page.lastKey ? { iter_last_key: page.lastKey } : {}),
        ...(page.nextOffset !== undefined ? { offset: page.nextOffset } : {}),
      };
    },
  };
}
