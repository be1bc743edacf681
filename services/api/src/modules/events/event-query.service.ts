import type { components } from '@tally/contract';
import type { AuthContext } from '../../auth-context.ts';
import type { Clock } from '../../clock.ts';
import { notFound } from '../../errors/app-error.ts';
import { fromEventQueryRequest } from './event.convert.ts';
import { cursorKeyOfRow } from './event.convert.ts';
import type { EventRow, EventRepo } from './event.repo.ts';

type EventsRequest = components['schemas']['GetEventsRequest'];

/** A page of events in the order asked for, with FlexPrice's paging fields. */
export type EventPage = {
  rows: EventRow[];
  total: number;
  hasMore: boolean;
  firstKey?: string;
  lastKey?: string;
  /** Offset paging only: the next page's offset. */
  nextOffset?: number;
};

/** Reading raw events: by id, and filtered lists with offset or cursor paging. */
export class EventQuery {
  readonly #store: EventRepo;
  readonly #clock: Clock;

  constructor(store: EventRepo, clock: Clock) {
    this.#store = store;
    this.#clock = clock;
  }

  async get(auth: AuthContext, id: string): Promise<EventRow> {
    const row = await this.#store.findById(auth, id);
    if (!row) throw notFound('Event', 'id', id);
    return row;
  }

  async list(auth: AuthContext, body: EventsRequest): Promise<EventPage> {
    const query = fromEventQueryRequest(body, this.#clock.now());
    const { rows, total } = await this.#store.list(auth, query);
    const { paging, pageSize } = query;
    if (paging.kind === 'offset') {
      return {
        rows,
        total,
        hasMore: paging.offset + pageSize < total,
        firstKey: rows.length ? cursorKeyOfRow(rows[0]) : undefined,
        lastKey: rows.length ? cursorKeyOfRow(rows[rows.length - 1]) : undefined,
        nextOffset: paging.offset + pageSize,
      };
    }
    // Cursor paging read one extra row to learn whether more follow in the reading direction.
    const hasMore = rows.length > pageSize;
    const page = rows.slice(0, pageSize);
    if (paging.kind === 'before') page.reverse();
    if (!page.length) return { rows: page, total, hasMore };
    return {
      rows: page,
      total,
      hasMore,
      firstKey: cursorKeyOfRow(page[0]),
      // As FlexPrice: going forward, a last key only when there is a next page. Going back, the
      // cursor's own event always follows the page.
      lastKey: paging.kind === 'before' || hasMore ? cursorKeyOfRow(page[page.length - 1]) : undefined,
    };
  }
}
