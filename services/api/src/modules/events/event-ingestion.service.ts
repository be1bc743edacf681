import type { components } from '@tally/contract';
import { scopeOf, type AuthContext } from '../../auth-context.ts';
import type { Clock } from '../../clock.ts';
import { fromBulkIngestRequest, fromIngestEventRequest } from './event.convert.ts';
import type { EventInsert, EventRepo } from './event.repo.ts';
import { GroupCommit } from './group-commit.ts';

type IngestRequest = components['schemas']['IngestEventRequest'];
type BulkIngestRequest = components['schemas']['BulkIngestEventRequest'];

export type IngestionOptions = {
  /** Insert statements of single events allowed in flight at once (see GroupCommit). */
  maxConcurrentWrites: number;
  /** Told of every batch once it is committed (it must return at once: the request is waiting). */
  onStored?: (auth: AuthContext, events: EventInsert[]) => void;
};

/**
 * Ingestion use cases. Each answers only after its events are committed, so an acknowledged
 * event survives a crash; event_id deduplicates within the environment, so a retry never counts twice.
 */
export class EventIngestion {
  readonly #store: EventRepo;
  readonly #clock: Clock;
  readonly #singles: GroupCommit<EventInsert>;
  readonly #onStored: IngestionOptions['onStored'];

  constructor(store: EventRepo, clock: Clock, options: IngestionOptions) {
    this.#store = store;
    this.#clock = clock;
    this.#onStored = options.onStored;
    // Concurrent single-event requests share statements: one commit for many requests.
    this.#singles = new GroupCommit((events) => store.insert(events), { maxConcurrent: options.maxConcurrentWrites, maxBatch: 1000 });
  }

  /** Stores one event; returns its id (as sent, or generated). */
  async ingest(auth: AuthContext, body: IngestRequest): Promise<string> {
    const event = { ...fromIngestEventRequest(body, this.#clock.now()), ...scopeOf(auth) };
    await this.#singles.add(event);
    this.#onStored?.(auth, [event]);
    return event.id;
  }

  /** Stores a batch in one statement, all or nothing; returns the ids in request order. */
  async ingestBulk(auth: AuthContext, body: BulkIngestRequest): Promise<string[]> {
    const events = fromBulkIngestRequest(body, this.#clock.now());
    const scope = scopeOf(auth);
    const stored = events.map((e) => ({ ...e, ...scope }));
    await this.#store.insert(stored);
    this.#onStored?.(auth, stored);
    return events.map((e) => e.id);
  }
}
