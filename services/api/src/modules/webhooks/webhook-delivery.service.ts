import type { AuthContext } from '../../auth-context.ts';
import type { ServiceContext } from '../../service-context.ts';
import { WebhookDeliveryRepo, type AttemptRecord, type ClaimedDelivery, type DisabledEndpoint } from './webhook-delivery.repo.ts';
import { toEndpointEventPayload } from './webhook-endpoint.convert.ts';
import { recordAll } from './webhook-outbox.ts';

/** An endpoint that has failed every attempt for this long is disabled (as Svix does). */
export const disableAfterFailingMs = 5 * 24 * 60 * 60 * 1000;

/**
 * The delivery worker's use cases: fan events out to their endpoints, claim due deliveries,
 * record attempts (disabling endpoints that only fail), prune the log. Each is one statement
 * (one transaction when it announces something), timed by the injected clock.
 */
export class WebhookDeliveryService {
  readonly #ctx: ServiceContext;
  readonly #repo = new WebhookDeliveryRepo();

  constructor(ctx: ServiceContext) {
    this.#ctx = ctx;
  }

  /**
   * Fans out up to `limit` events and claims, among the deliveries that makes, those within
   * `claimLimit` and `perEndpoint` (counting `busy`); the others are left pending. Returns the
   * claimed ones, how many events were fanned out and the endpoints left with pending deliveries.
   */
  fanOut(
    limit: number,
    maxAttempts: number,
    claim: { claimLimit: number; perEndpoint: number; busy: Map<string, number>; leaseMs: number },
  ): Promise<{ events: number; pendingEndpoints: string[]; claimed: ClaimedDelivery[] }> {
    const now = this.#ctx.clock.now();
    const leaseUntil = new Date(now.getTime() + claim.leaseMs);
    return this.#ctx.db.read((tx) => this.#repo.fanOut(tx, { now, leaseUntil, limit, maxAttempts, ...claim }));
  }

  claim(limit: number, perEndpoint: number, busy: Map<string, number>, leaseMs: number): Promise<ClaimedDelivery[]> {
    const now = this.#ctx.clock.now();
    return this.#ctx.db.read((tx) => this.#repo.claim(tx, { now, leaseUntil: new Date(now.getTime() + leaseMs), limit, perEndpoint, busy }));
  }

  /**
   * Records the attempts and settles their deliveries; an endpoint found failing for 5 days is then
   * disabled, and that is announced (`webhook_endpoint.disabled`) in the same transaction.
   */
  async complete(records: AttemptRecord[], succeeded: string[], failed: string[]): Promise<DisabledEndpoint[]> {
    const now = this.#ctx.clock.now();
    const failingBefore = new Date(now.getTime() - disableAfterFailingMs);
    const due = await this.#ctx.db.read((tx) => this.#repo.complete(tx, records, { now, succeeded, failed, failingBefore }));
    if (due.length === 0) return [];
    return this.#ctx.db.run(async (tx) => {
      const reason = 'every delivery attempt failed for 5 days';
      const disabled = await this.#repo.disable(tx, due, reason, now, failingBefore);
      for (const e of disabled) {
        const auth: AuthContext = { tenantId: e.tenant_id, environmentId: e.environment_id, secretId: '' };
        await recordAll(tx, auth, [
          {
            eventType: 'webhook_endpoint.disabled',
            entityType: 'webhook_endpoint',
            entityId: e.id,
            at: now,
            payload: toEndpointEventPayload(
              {
                id: e.id,
                url: e.url,
                description: e.description,
                event_types: e.event_types,
                disabled: true,
                disabled_reason: e.disabled_reason,
                disabled_at: e.disabled_at.toISOString(),
                metadata: e.metadata ?? {},
              },
              { failing_since: e.failing_since.toISOString() },
            ),
          },
        ]);
      }
      return disabled;
    });
  }

  /** Makes claims left by a dead process due at once (PGlite only: see the repository). */
  releaseClaims(): Promise<number> {
    return this.#ctx.db.read((tx) => this.#repo.releaseClaims(tx, this.#ctx.clock.now()));
  }

  /** Deletes log rows older than `retentionMs`, a batch of each kind per call; returns how many. */
  prune(retentionMs: number, limit = 10_000): Promise<number> {
    return this.#ctx.db.read((tx) => this.#repo.prune(tx, new Date(this.#ctx.clock.now().getTime() - retentionMs), limit));
  }
}
