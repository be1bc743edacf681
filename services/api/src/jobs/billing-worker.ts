import type { Clock } from '../clock.ts';
import type { DueWorkRunner } from './due-work.ts';

export type BillingWorkerOptions = {
  /** Runs the poll; off, this instance bills nothing on its own and another one does. */
  automatic: boolean;
  /** How often the worker looks for due work. */
  pollMs: number;
  /** Takes over test-clock advances whose process died (the test-clocks service's `resumeAbandoned`). */
  resumeAdvances?: () => Promise<number>;
  onError: (err: unknown, what: string) => void;
};

export type BillingTick = { processed: number; resumedAdvances: number };

/**
 * The billing loop of one process, beside the HTTP server: every `pollMs` it runs every due-work
 * handler for the customers that are not on a test clock (scope `{testClockId: null}`) at the wall
 * clock's now, and takes over test-clock advances left by a dead process. Ticks never overlap; a
 * failing handler is logged and tried again at the next tick. Several processes may run it on one
 * PostgreSQL: handlers claim their rows with `FOR UPDATE SKIP LOCKED` and unique constraints make
 * every item happen once. `tick()` lets tests drive it (with `automatic: false`).
 */
export class BillingWorker {
  readonly #runner: DueWorkRunner;
  readonly #clock: Clock;
  readonly #options: BillingWorkerOptions;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<BillingTick> | undefined;
  #stopped = false;

  constructor(runner: DueWorkRunner, clock: Clock, options: BillingWorkerOptions) {
    this.#runner = runner;
    this.#clock = clock;
    this.#options = options;
  }

  /** Starts polling (when automatic), with a first tick at once: work that fell due while no process ran. */
  start(): void {
    if (!this.#options.automatic || this.#stopped) return;
    this.#timer = setInterval(() => void this.tick(), this.#options.pollMs);
    this.#timer.unref();
    void this.tick();
  }

  /** One pass; while one runs, a call gets that one. Never rejects: failures go to `onError`. */
  tick(): Promise<BillingTick> {
    this.#running ??= this.#tick().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #tick(): Promise<BillingTick> {
    const result: BillingTick = { processed: 0, resumedAdvances: 0 };
    if (this.#stopped) return result;
    if (this.#options.resumeAdvances) {
      try {
        result.resumedAdvances = await this.#options.resumeAdvances();
      } catch (err) {
        this.#options.onError(err, 'resuming test clock advances');
      }
    }
    try {
      result.processed = await this.#runner.runDueNow({ testClockId: null }, this.#clock.now());
    } catch (err) {
      this.#options.onError(err, 'running due billing work');
    }
    return result;
  }

  /** Stops polling; waits up to `timeoutMs` for a tick in progress (a handler finishes the item it holds). */
  async stop(timeoutMs: number): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    if (!this.#running) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.#running, new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
  }
}
