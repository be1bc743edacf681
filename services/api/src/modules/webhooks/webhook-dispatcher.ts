import type { Clock } from '../../clock.ts';
import { maxAttempts, nextRetryDelayMs } from './retry-schedule.ts';
import { deliveryBody } from './webhook-body.ts';
import type { AttemptRecord, ClaimedDelivery } from './webhook-delivery.repo.ts';
import type { WebhookDeliveryService } from './webhook-delivery.service.ts';
import type { WebhookSender } from './webhook-sender.ts';
import { signatureOf, signedHeaders } from './webhook-signature.ts';

export type DispatcherOptions = {
  /** Attempts running at once in this process. */
  concurrency: number;
  /** Attempts running at once to one endpoint in this process: a receiver that hangs holds at most these. */
  perEndpoint: number;
  /** How long a claim is held; longer than an attempt can last (`sendTimeoutMs`). */
  leaseMs: number;
  /** The sender's timeout: an attempt is started only if it must end before its claim runs out. */
  sendTimeoutMs: number;
  /** Deliveries claimed ahead, per attempt slot (overall and per endpoint): claims are batched, sends are not held up. */
  prefetch?: number;
  /** Events fanned out per statement. */
  fanOutBatch?: number;
  /** Jitter source, in [0, 1). */
  random?: () => number;
  onError: (err: unknown, what: string) => void;
};

export type RoundResult = { fannedOut: number; claimed: number; full: boolean };

/** How long results gather before they are written together. */
const writeDelayMs = 5;

type Outcome = AttemptRecord & { health: 'ok' | 'failed' | 'none' };

const lostAttempt =
  'no result was recorded: the process making this attempt stopped before recording it (its claim expired); sent again with the same webhook-id';

/**
 * Moves deliveries along: fans new events out, claims due deliveries in batches (a few per attempt
 * slot, so one statement feeds many attempts), sends them through the guarded sender within the
 * overall and per-endpoint limits, and records the results in batches — results that finish while
 * a batch is being written go together into the next one. A claimed delivery is sent only while
 * its attempt is sure to end before its claim does (else it is handed back), so no other instance
 * can take it over while it is in flight. Time comes from the injected clock: a test moves the
 * retry schedule by moving the clock and calling {@link runDue}.
 */
export class WebhookDispatcher {
  readonly #deliveries: WebhookDeliveryService;
  readonly #sender: WebhookSender;
  readonly #clock: Clock;
  readonly #options: Required<DispatcherOptions>;
  /** Claimed, not yet started, per endpoint in claim order. */
  readonly #queues = new Map<string, ClaimedDelivery[]>();
  /** Attempts running per endpoint. */
  readonly #busy = new Map<string, number>();
  readonly #running = new Set<Promise<void>>();
  #queued = 0;
  #inFlight = 0;
  #results: Outcome[] = [];
  #writing: Promise<void> | undefined;
  #writeTimer: NodeJS.Timeout | undefined;
  #stopped = false;
  /** The outbox may hold events not fanned out yet. */
  #outbox = true;
  /** Deliveries may be due (claimable) now. */
  #due = true;
  /** Endpoints left out of the last claim for being at their limit. */
  readonly #starved = new Set<string>();
  /** Called when attempts end and the claimed stock runs low: time to claim more. */
  onSlotFree: (() => void) | undefined;

  constructor(deliveries: WebhookDeliveryService, sender: WebhookSender, clock: Clock, options: DispatcherOptions) {
    this.#deliveries = deliveries;
    this.#sender = sender;
    this.#clock = clock;
    this.#options = { prefetch: 4, fanOutBatch: 500, random: Math.random, ...options };
  }

  /** How many more deliveries this process would claim now. */
  get freeSlots(): number {
    return this.#options.concurrency * this.#options.prefetch - this.#queued - this.#inFlight;
  }

  /** Whether another round now could find work: events may wait in the outbox, or deliveries be due, and there is room. */
  get wantsRound(): boolean {
    return (this.#outbox || this.#due) && this.freeSlots > 0 && !this.#stopped;
  }

  /**
   * One pass. `events`: the outbox may hold new events (a commit's notification); `due`: deliveries
   * may have come due (the poll: retries, claims whose holder died, deliveries another instance
   * fanned out). What earlier rounds learnt is kept: a round also goes on with what the last one
   * left — events it had no room for, deliveries it left pending. Due deliveries are claimed first
   * (they are older than anything still in the outbox), then new events are fanned out and claimed
   * in one statement, while there is room; events beyond the room stay in the outbox.
   */
  async round(scope: { events?: boolean; due?: boolean } = { events: true, due: true }): Promise<RoundResult> {
    if (scope.events) this.#outbox = true;
    if (scope.due) this.#due = true;
    let fannedOut = 0;
    let claimed = 0;
    const perEndpoint = this.#options.perEndpoint * this.#options.prefetch;
    if (this.#due && this.freeSlots > 0 && !this.#stopped) {
      const held = this.#held();
      this.#due = false;
      // Endpoints at their limit are left out of the claim: when one of their attempts ends, claim again.
      for (const [endpoint, n] of held) if (n >= perEndpoint) this.#starved.add(endpoint);
      let got: ClaimedDelivery[];
      try {
        got = await this.#deliveries.claim(this.freeSlots, perEndpoint, held, this.#options.leaseMs);
      } catch (err) {
        this.#due = true;
        throw err;
      }
      // Claimed some: maybe more are due. None: nothing is, until something says otherwise.
      if (got.length > 0) this.#due = true;
      claimed += this.#enqueue(got);
    }
    while (this.#outbox && this.freeSlots > 0 && !this.#stopped) {
      // No more events than there is room for: the rest wait in the outbox, not as pending rows to claim later.
      const limit = Math.min(this.#options.fanOutBatch, this.freeSlots);
      const result = await this.#deliveries.fanOut(limit, maxAttempts, {
        claimLimit: this.freeSlots,
        perEndpoint,
        busy: this.#held(),
        leaseMs: this.#options.leaseMs,
      });
      fannedOut += result.events;
      claimed += this.#enqueue(result.claimed);
      // Left pending: claim them next round — or, for an endpoint already at its limit, once one of its attempts ends.
      const held = this.#held();
      for (const endpoint of result.pendingEndpoints) {
        if ((held.get(endpoint) ?? 0) >= perEndpoint) this.#starved.add(endpoint);
        else this.#due = true;
      }
      if (result.events < limit) this.#outbox = false;
    }
    this.#pump();
    return { fannedOut, claimed, full: this.freeSlots <= 0 };
  }

  /** Claims held per endpoint: running and queued. */
  #held(): Map<string, number> {
    const held = new Map<string, number>();
    for (const [endpoint, n] of this.#busy) held.set(endpoint, n);
    for (const [endpoint, queue] of this.#queues) held.set(endpoint, (held.get(endpoint) ?? 0) + queue.length);
    return held;
  }

  #enqueue(claimed: ClaimedDelivery[]): number {
    for (const delivery of claimed) {
      const queue = this.#queues.get(delivery.endpointId) ?? [];
      queue.push(delivery);
      this.#queues.set(delivery.endpointId, queue);
      this.#queued++;
    }
    return claimed.length;
  }

  /** Rounds until nothing is due now, each attempt finished and recorded (tests, and draining). */
  async runDue(): Promise<{ attempts: number }> {
    let attempts = 0;
    for (;;) {
      const round = await this.round();
      attempts += round.claimed;
      await this.idle();
      if (round.claimed === 0 && round.fannedOut === 0) return { attempts };
    }
  }

  /** Resolves when nothing is queued or running and every result is written. */
  async idle(): Promise<void> {
    while (this.#running.size > 0 || this.#queued > 0 || this.#writing || this.#results.length > 0) {
      if (this.#running.size > 0) await Promise.all([...this.#running]);
      else if (this.#queued > 0) this.#pump();
      else if (this.#writing) await this.#writing;
      else {
        clearTimeout(this.#writeTimer);
        this.#writeTimer = undefined;
        this.#write();
      }
    }
  }

  /** Claims and starts nothing more (queued claims are handed back); waits up to `timeoutMs` for running attempts and their records. */
  async stop(timeoutMs: number): Promise<void> {
    this.#stopped = true;
    this.#pump();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.idle(), new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
  }

  /** Starts queued deliveries while the limits allow, endpoint by endpoint. */
  #pump(): void {
    for (const [endpoint, queue] of this.#queues) {
      while (queue.length > 0 && (this.#stopped || (this.#inFlight < this.#options.concurrency && (this.#busy.get(endpoint) ?? 0) < this.#options.perEndpoint))) {
        const delivery = queue.shift()!;
        this.#queued--;
        // Stopping, or too late to finish before the claim runs out (another instance may take it then): hand it back.
        if (this.#stopped || this.#clock.now().getTime() + this.#options.sendTimeoutMs >= delivery.leaseUntil.getTime()) this.#release(delivery);
        else this.#start(delivery);
      }
      if (queue.length === 0) this.#queues.delete(endpoint);
    }
  }

  #release(d: ClaimedDelivery): void {
    const now = this.#clock.now();
    this.#record({
      eventId: d.eventId,
      endpointId: d.endpointId,
      attempt: d.attempt,
      startedAt: now,
      durationMs: 0,
      statusCode: null,
      responseBody: '',
      error: null,
      settles: true,
      release: true,
      state: 'pending',
      nextAttemptAt: now,
      health: 'none',
    });
  }

  #start(delivery: ClaimedDelivery): void {
    this.#inFlight++;
    this.#busy.set(delivery.endpointId, (this.#busy.get(delivery.endpointId) ?? 0) + 1);
    const running: Promise<void> = this.#attempt(delivery)
      .catch((err: unknown) => this.#options.onError(err, `delivering ${delivery.eventId} to ${delivery.endpointId}`))
      .finally(() => {
        this.#inFlight--;
        const left = (this.#busy.get(delivery.endpointId) ?? 1) - 1;
        if (left > 0) this.#busy.set(delivery.endpointId, left);
        else this.#busy.delete(delivery.endpointId);
        this.#running.delete(running);
        if (this.#starved.delete(delivery.endpointId)) this.#due = true;
        this.#pump();
        // Claim more once the endpoint's own stock is used up or the whole stock is half gone, not after every attempt.
        if (!this.#queues.has(delivery.endpointId) || this.#queued + this.#inFlight <= this.#options.concurrency / 2) this.onSlotFree?.();
      });
    this.#running.add(running);
  }

  async #attempt(d: ClaimedDelivery): Promise<void> {
    const startedAt = this.#clock.now();
    const base = { eventId: d.eventId, endpointId: d.endpointId, startedAt, durationMs: 0, statusCode: null, responseBody: '' };
    if (d.previousState === 'delivering' && d.attempt > 1) {
      this.#record({ ...base, attempt: d.attempt - 1, error: lostAttempt, settles: false, state: 'pending', nextAttemptAt: null, health: 'none' });
    }
    if (d.endpointStatus !== 'published' || d.endpointDisabled) {
      const why = d.endpointStatus !== 'published' ? 'deleted' : 'disabled';
      this.#record({ ...base, attempt: d.attempt, error: `not sent: the endpoint is ${why}`, settles: true, state: 'failed', nextAttemptAt: null, health: 'none' });
      return;
    }
    const body = deliveryBody(d.eventType, d.payload);
    const secrets = [d.secret];
    if (d.previousSecret && d.previousSecretExpiresAt && d.previousSecretExpiresAt > startedAt) secrets.push(d.previousSecret);
    const headers = signedHeaders(d.eventId, startedAt, signatureOf(secrets, d.eventId, startedAt, body));
    const result = await this.#sender.send(d.url, headers, body);
    const ok = result.error === null;
    const delay = ok ? null : nextRetryDelayMs(d.attempt, d.maxAttempts, this.#options.random);
    this.#record({
      ...base,
      attempt: d.attempt,
      durationMs: result.durationMs,
      statusCode: result.statusCode,
      responseBody: result.responseBody,
      error: result.error,
      settles: true,
      state: ok ? 'succeeded' : delay === null ? 'failed' : 'pending',
      nextAttemptAt: delay === null ? null : new Date(this.#clock.now().getTime() + delay),
      health: ok ? 'ok' : 'failed',
    });
  }

  #record(outcome: Outcome): void {
    this.#results.push(outcome);
    // A few milliseconds' results go into one statement (the receipt is not waiting for it).
    if (!this.#writing && !this.#writeTimer) {
      this.#writeTimer = setTimeout(() => {
        this.#writeTimer = undefined;
        this.#write();
      }, writeDelayMs);
    }
  }

  /** Group commit of results: one statement at a time, carrying everything that finished meanwhile. */
  #write(): void {
    if (this.#writing || this.#results.length === 0) return;
    const batch = this.#results.splice(0, 1000);
    const succeeded = new Set(batch.filter((r) => r.health === 'ok').map((r) => r.endpointId));
    const failed = new Set(batch.filter((r) => r.health === 'failed' && !succeeded.has(r.endpointId)).map((r) => r.endpointId));
    const released = batch.some((r) => r.release);
    this.#writing = this.#deliveries
      .complete(batch, [...succeeded], [...failed])
      .then(
        () => {
          // Handed back: due now, and this process may take them again.
          if (released && !this.#stopped) {
            this.#due = true;
            this.onSlotFree?.();
          }
        },
        async (err: unknown) => {
          this.#options.onError(err, 'recording delivery attempts');
          // Kept for another try: until they are written their claims stay held, and if that never
          // happens the claims expire and the deliveries are sent again (at least once, never lost).
          if (!this.#stopped) {
            this.#results.unshift(...batch);
            await new Promise((resolve) => setTimeout(resolve, 1000));
          }
        },
      )
      .finally(() => {
        this.#writing = undefined;
        this.#write();
      });
  }
}
