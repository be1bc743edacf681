import type { AuthContext } from '../../auth-context.ts';
import type { Tx } from '../../db/transactions.ts';
import { AppError, notFound } from '../../errors/app-error.ts';
import type { ServiceContext } from '../../service-context.ts';
import { WebhookEndpointRepo } from './webhook-endpoint.repo.ts';
import { recordAll, type NewWebhookEvent } from './webhook-outbox.ts';
import { WebhookEventRepo, type AttemptRow, type DeliveryRow, type WebhookEventFilter, type WebhookEventRow } from './webhook-event.repo.ts';

export type EventDeliveries = { deliveries: DeliveryRow[]; attempts: AttemptRow[] };

/** The delivery log: system events, their deliveries and attempts, and re-delivery. */
export class WebhookEventService {
  readonly #ctx: ServiceContext;
  readonly #repo = new WebhookEventRepo();
  readonly #endpoints = new WebhookEndpointRepo();

  constructor(ctx: ServiceContext) {
    this.#ctx = ctx;
  }

  /** Records system events in a transaction of their own: notices that announce no state change of theirs (`event.rejected`). */
  async announce(auth: AuthContext, events: NewWebhookEvent[]): Promise<void> {
    await this.#ctx.db.run((tx) => recordAll(tx, auth, events));
  }

  list(auth: AuthContext, filter: WebhookEventFilter): Promise<{ items: WebhookEventRow[]; total: number }> {
    return this.#ctx.db.read((tx) => this.#repo.page(tx, auth, filter));
  }

  get(auth: AuthContext, id: string): Promise<WebhookEventRow> {
    return this.#ctx.db.read((tx) => this.#find(tx, auth, id));
  }

  deliveries(auth: AuthContext, id: string): Promise<EventDeliveries> {
    return this.#ctx.db.read(async (tx) => {
      await this.#find(tx, auth, id);
      return this.#repo.deliveries(tx, auth, id);
    });
  }

  /**
   * One more attempt now, to every endpoint the event went to or to `endpointId` (which must be a
   * live, enabled endpoint of the environment, 404 / 400 otherwise). Answers the deliveries after scheduling.
   */
  retry(auth: AuthContext, id: string, endpointId?: string): Promise<EventDeliveries> {
    return this.#ctx.db.run(async (tx) => {
      await this.#find(tx, auth, id);
      if (endpointId !== undefined) {
        const endpoint = await this.#endpoints.findLive(tx, auth, endpointId);
        if (!endpoint) throw notFound('Webhook endpoint', 'endpoint_id', endpointId);
        if (endpoint.disabled) {
          throw new AppError('invalid_operation', `Webhook endpoint ${endpointId} is disabled; enable it before re-delivering to it`, { endpoint_id: endpointId });
        }
      }
      await this.#repo.scheduleRetry(tx, auth, id, endpointId, this.#ctx.clock.now());
      return this.#repo.deliveries(tx, auth, id);
    });
  }

  /** FlexPrice's `POST /webhooks/retry`: the event named by `system_event_id`, to every endpoint it went to. */
  async retryOutbound(auth: AuthContext, systemEventId: string): Promise<void> {
    await this.#ctx.db.run(async (tx) => {
      await this.#find(tx, auth, systemEventId, 'system_event_id');
      await this.#repo.scheduleRetry(tx, auth, systemEventId, undefined, this.#ctx.clock.now());
    });
  }

  async #find(tx: Tx, auth: AuthContext, id: string, field = 'id'): Promise<WebhookEventRow> {
    const row = await this.#repo.find(tx, auth, id);
    if (!row) throw notFound('System event', field, id);
    return row;
  }
}
