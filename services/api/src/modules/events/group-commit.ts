type Waiting<T> = { item: T; resolve: () => void; reject: (err: unknown) => void };

export type GroupCommitOptions = {
  /** Statements allowed in flight at once (PGlite has one connection: 1; a pool: a few). */
  maxConcurrent: number;
  /** Most items one statement carries. */
  maxBatch: number;
};

/**
 * Group commit for single-item writes: items that arrive while earlier writes are in flight are
 * written together in one statement (one commit, one fsync) instead of one each. Each caller
 * still waits for the commit that holds its own item. When idle, an item is written at once
 * (after the current I/O callbacks, so requests read together are written together); under load,
 * batches grow by themselves. If a shared write fails, its items are retried one by one so a bad
 * item fails only its own caller.
 */
export class GroupCommit<T> {
  readonly #write: (items: T[]) => Promise<unknown>;
  readonly #options: GroupCommitOptions;
  #waiting: Waiting<T>[] = [];
  #inFlight = 0;
  #scheduled = false;

  constructor(write: (items: T[]) => Promise<unknown>, options: GroupCommitOptions) {
    this.#write = write;
    this.#options = options;
  }

  /** Resolves once the item is committed. */
  add(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ item, resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => {
          this.#scheduled = false;
          this.#pump();
        });
      }
    });
  }

  #pump(): void {
    while (this.#inFlight < this.#options.maxConcurrent && this.#waiting.length > 0) {
      const batch = this.#waiting.splice(0, this.#options.maxBatch);
      this.#inFlight++;
      void this.#flush(batch).finally(() => {
        this.#inFlight--;
        this.#pump();
      });
    }
  }

  async #flush(batch: Waiting<T>[]): Promise<void> {
    try {
      await this.#write(batch.map((w) => w.item));
      for (const w of batch) w.resolve();
    } catch (err) {
      if (batch.length === 1) return batch[0].reject(err);
      for (const w of batch) await this.#write([w.item]).then(w.resolve, w.reject);
    }
  }
}
