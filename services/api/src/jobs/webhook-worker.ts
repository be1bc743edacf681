import { AsyncResource } from 'node:async_hooks';
import type { WebhookDeliveryService, WebhookDispatcher, WebhookSender } from '../modules/webhooks/index.ts';
import type { Unlisten } from '../db/notifications.ts';

export type WebhookWorkerOptions = {
  /** Runs the delivery loop; off, this instance records events but another one delivers them. */
  automatic: boolean;
  /** Fallback poll: due retries and events whose notification was missed are found within this. */
  pollMs: number;
  retentionMs: number;
  /** Claims found held at start belong to a dead process (a database only this process uses: PGlite). */
  releaseClaimsAtStart: boolean;
  /** Subscribes to the outbox's notifications; returns how to stop. */
  listen: (onNotify: () => void) => Promise<Unlisten>;
  onError: (err: unknown, what: string) => void;
};

const pruneEveryMs = 60 * 60 * 1000;
const minRoundIntervalMs = 10;

/**
 * The delivery loop of one process, beside the HTTP server: woken by a notification from every
 * committed transaction that recorded events, by a free delivery slot and by a poll, it runs the
 * dispatcher's rounds until nothing more is due. Requests never wait for it. `runDue()` and
 * `prune()` let tests drive it step by step with a test clock (with `automatic: false`).
 */
export class WebhookWorker {
  readonly #dispatcher: WebhookDispatcher;
  readonly #deliveries: WebhookDeliveryService;
  readonly #sender: WebhookSender;
  readonly #options: WebhookWorkerOptions;
  #unlisten: Unlisten | undefined;
  #timers: NodeJS.Timeout[] = [];
  #loop: Promise<void> | undefined;
  #again = false;
  #lastRound = 0;
  #scope: { events?: boolean; due?: boolean } = {};
  #stopped = false;
  /**
   * Runs a function in the async context the worker was made in, not its caller's. PGlite calls a
   * listener inside the query that committed the notifying transaction, so a round started there
   * would inherit that (finished) transaction — the ORM binds units of work to the transaction of
   * the async context — and fail with "Transaction is already committed", leaving every delivery
   * to the fallback poll. The loop, its attempts and its writes must belong to no request.
   */
  readonly #detached = AsyncResource.bind((work: () => void) => work());

  constructor(dispatcher: WebhookDispatcher, deliveries: WebhookDeliveryService, sender: WebhookSender, options: WebhookWorkerOptions) {
    this.#dispatcher = dispatcher;
    this.#deliveries = deliveries;
    this.#sender = sender;
    this.#options = options;
  }

  async start(): Promise<void> {
    if (this.#options.releaseClaimsAtStart) await this.#deliveries.releaseClaims();
    if (!this.#options.automatic) return;
    this.#unlisten = await this.#options.listen(() => this.wake({ events: true }));
    this.#dispatcher.onSlotFree = () => this.wake({});
    this.#timers.push(setInterval(() => this.wake({ events: true, due: true }), this.#options.pollMs));
    this.#timers.push(setInterval(() => void this.prune().catch((err: unknown) => this.#options.onError(err, 'pruning the webhook log')), pruneEveryMs));
    for (const t of this.#timers) t.unref();
    this.wake({ events: true, due: true });
  }

  /**
   * Runs a round soon; rounds asked for while one runs are merged into one more. `events`: the
   * outbox has new events (a notification); `due`: look for due deliveries too (the poll); neither:
   * room came free for what earlier rounds left.
   */
  wake(scope: { events?: boolean; due?: boolean }): void {
    this.#detached(() => this.#wake(scope));
  }

  #wake(scope: { events?: boolean; due?: boolean }): void {
    if (this.#stopped) return;
    if (scope.events) this.#scope.events = true;
    if (scope.due) this.#scope.due = true;
    if (this.#loop) {
      this.#again = true;
      return;
    }
    this.#loop = this.#run().finally(() => {
      this.#loop = undefined;
      // A wake that came after the last round's check: run again rather than wait for the poll.
      if (this.#again && !this.#stopped) this.#wake({});
    });
  }

  async #run(): Promise<void> {
    // Let the notifications and completions of this turn of the event loop gather into one round.
    await new Promise((resolve) => setImmediate(resolve));
    do {
      // Rounds at most every few milliseconds: under load each one fans out and claims in bulk.
      const wait = this.#lastRound + minRoundIntervalMs - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      this.#lastRound = performance.now();
      this.#again = false;
      const scope = this.#scope;
      this.#scope = {};
      try {
        await this.#dispatcher.round(scope);
        // Work left that a round could take now: events beyond the last fan-out, deliveries left pending.
        if (this.#dispatcher.wantsRound) this.#again = true;
      } catch (err) {
        this.#options.onError(err, 'running webhook deliveries');
        return;
      }
    } while (this.#again && !this.#stopped);
  }

  /** Everything due now, to the end (tests). */
  runDue(): Promise<{ attempts: number }> {
    return this.#dispatcher.runDue();
  }

  /** Deletes the log older than the retention, batch after batch. */
  async prune(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.#deliveries.prune(this.#options.retentionMs);
      total += n;
      if (n === 0 || this.#stopped) return total;
    }
  }

  /** Stops claiming; lets running attempts finish and be recorded, up to `timeoutMs`. */
  async stop(timeoutMs: number): Promise<void> {
    this.#stopped = true;
    for (const t of this.#timers) clearInterval(t);
    await this.#unlisten?.().catch((err: unknown) => this.#options.onError(err, 'closing the webhook listener'));
    await this.#loop;
    await this.#dispatcher.stop(timeoutMs);
    this.#sender.close();
  }
}
