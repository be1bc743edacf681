import type { Clock } from '../clock.ts';
import { runDueWork, type DueWork } from './due-work.ts';

/**
 * INTERIM (replaced by the clocks branch's billing worker at merge): the bill run of one process,
 * beside the HTTP server. Every `pollMs` it does the due work of customers on no test clock up to the
 * clock's now. Several processes may run it on one PostgreSQL: items are claimed with SKIP LOCKED and
 * invoices are unique per period, so nothing is done twice.
 */
export class BillingWorker {
  readonly #handlers: readonly DueWork[];
  readonly #clock: Clock;
  readonly #pollMs: number;
  readonly #onError: (err: unknown) => void;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<number> | undefined;

  constructor(handlers: readonly DueWork[], clock: Clock, options: { pollMs: number; onError: (err: unknown) => void }) {
    this.#handlers = handlers;
    this.#clock = clock;
    this.#pollMs = options.pollMs;
    this.#onError = options.onError;
  }

  /** Starts polling (pollMs 0: never; tests call `runDueNow`). */
  start(): void {
    if (this.#pollMs <= 0) return;
    this.#timer = setInterval(() => void this.runDueNow().catch(this.#onError), this.#pollMs);
    this.#timer.unref();
    void this.runDueNow().catch(this.#onError);
  }

  /** Runs everything due up to `until` (default: the clock's now) once; a run already going is joined. */
  runDueNow(until: Date = this.#clock.now()): Promise<number> {
    const previous = this.#running ?? Promise.resolve(0);
    const next = previous.catch(() => 0).then(() => runDueWork(this.#handlers, { testClockId: null }, until));
    this.#running = next.finally(() => {
      if (this.#running === next) this.#running = undefined;
    });
    return next;
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await this.#running?.catch(() => 0);
  }
}
