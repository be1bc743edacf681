import type { components } from '@tally/contract';
import { scopeOf, type AuthContext } from '../../auth-context.ts';
import type { Clock } from '../../clock.ts';
import { fromBulkIngestRequest, fromIngestEventRequest, refuseBadEvents, type ReadEvents } from './event.convert.ts';
import type { EventInsert, EventRepo } from './event.repo.ts';
import { GroupCommit } from './group-commit.ts';

type IngestRequest = components['schemas']['IngestEventRequest'];
type BulkIngestRequest = components['schemas']['BulkIngestEventRequest'];

export type IngestionOptions = {
  /** Insert statements of single events allowed in flight at once (see GroupCommit). */
  maxConcurrentWrites: number;
  /** Told of every batch once it is committed (it must return at once: the request is waiting). */
  onStored?: (auth: AuthContext, events: EventInsert[]) => void;
  /**
   * Of these external customer ids, those of customers on a test clock, with the clock's time (the
   * test-clocks module's reader). Asked only for events stamped beyond the server's clock + 5 minutes,
   * once per request. Absent: every such event is refused.
   */
  clockTimes?: (auth: AuthContext, externalCustomerIds: string[]) => Promise<Map<string, Date>>;
};

const none = new Map<string, Date>();

/**
 * Ingestion use cases. Each answers only after its events are committed, so an acknowledged
 * event survives a crash; event_id deduplicates within the environment, so a retry never counts twice.
 */
export class EventIngestion {
  readonly #store: EventRepo;
  readonly #clock: Clock;
  readonly #singles: GroupCommit<EventInsert>;
  readonly #onStored: IngestionOptions['onStored'];
  readonly #clockTimes: IngestionOptions['clockTimes'];

  constructor(store: EventRepo, clock: Clock, options: IngestionOptions) {
    this.#store = store;
    this.#clock = clock;
    this.#onStored = options.onStored;
    this.#clockTimes = options.clockTimes;
    // Concurrent single-event requests share statements: one commit for many requests.
    this.#singles = new GroupCommit((events) => store.insert(events), { maxConcurrent: options.maxConcurrentWrites, maxBatch: 1000 });
  }

  /** Stores one event; returns its id (as sent, or generated). */
  async ingest(auth: AuthContext, body: IngestRequest): Promise<string> {
    const now = this.#clock.now();
    const read = fromIngestEventRequest(body, now);
    await this.#refuseBadEvents(auth, read, now);
    const event = { ...read.events[0]!, ...scopeOf(auth) };
    await this.#singles.add(event);
    this.#onStored?.(auth, [event]);
    return event.id;
  }

  /** Stores a batch in one statement, all or nothing; returns the ids in request order. */
  async ingestBulk(auth: AuthContext, body: BulkIngestRequest): Promise<string[]> {
    const now = this.#clock.now();
    const read = fromBulkIngestRequest(body, now);
    await this.#refuseBadEvents(auth, read, now);
    const { events } = read;
    const scope = scopeOf(auth);
    const stored = events.map((e) => ({ ...e, ...scope }));
    await this.#store.insert(stored);
    this.#onStored?.(auth, stored);
    return events.map((e) => e.id);
  }

  /**
   * 400 naming every bad event. Only events stamped ahead of the server's clock cost a query: one
   * look-up of the test clocks of their customers for the whole request.
   */
  async #refuseBadEvents(auth: AuthContext, read: ReadEvents, now: Date): Promise<void> {
    if (read.ahead.length === 0 || !this.#clockTimes) {
      refuseBadEvents(read, now, none);
      return;
    }
    refuseBadEvents(read, now, await this.#clockTimes(auth, [...new Set(read.ahead.map((a) => a.externalCustomerId))]));
  }
}
