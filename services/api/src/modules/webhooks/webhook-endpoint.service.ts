import type { AuthContext } from '../../auth-context.ts';
import type { PageOf } from '../../db/find-page.ts';
import type { Tx } from '../../db/transactions.ts';
import { AppError, notFound } from '../../errors/app-error.ts';
import { throwIfProblems } from '../../errors/problems.ts';
import { newId } from '../../ids.ts';
import type { Page } from '../../listing/pagination.ts';
import type { ServiceContext } from '../../service-context.ts';
import { endpointUrlProblems, type AddressPolicy } from './url-safety.ts';
import { toEndpointEventPayload, type NewWebhookEndpoint, type WebhookEndpointChanges } from './webhook-endpoint.convert.ts';
import type { WebhookEndpoint } from './webhook-endpoint.entity.ts';
import { WebhookEndpointRepo } from './webhook-endpoint.repo.ts';
import { WebhookEventRepo, type WebhookEventRow } from './webhook-event.repo.ts';
import { record } from './webhook-outbox.ts';
import { newWebhookSecret } from './webhook-signature.ts';

/** How long a rotated-out secret keeps signing deliveries beside the new one. */
export const secretOverlapMs = 24 * 60 * 60 * 1000;

/** Whether an environment is for development (http endpoints allowed) or production (https only). */
export type EnvironmentTypeOf = (auth: AuthContext) => Promise<'development' | 'production'>;

export type EndpointWithSecret = { endpoint: WebhookEndpoint; secret: string };

export class WebhookEndpointService {
  readonly #ctx: ServiceContext;
  readonly #policy: AddressPolicy;
  readonly #environmentType: EnvironmentTypeOf;
  readonly #repo = new WebhookEndpointRepo();
  readonly #events = new WebhookEventRepo();

  constructor(ctx: ServiceContext, policy: AddressPolicy, environmentType: EnvironmentTypeOf) {
    this.#ctx = ctx;
    this.#policy = policy;
    this.#environmentType = environmentType;
  }

  /** The environments module's production guard: production endpoints must be `https`. */
  readonly refuseHttpInProduction = async (tx: Tx, scope: AuthContext): Promise<string | null> => {
    const n = await this.#repo.countHttp(tx, scope);
    return n ? `${n} webhook endpoint(s) deliver over http; production endpoints must use https (change or delete them first)` : null;
  };

  async create(auth: AuthContext, input: NewWebhookEndpoint): Promise<EndpointWithSecret> {
    await this.#checkUrl(auth, input.url);
    const secret = newWebhookSecret();
    const endpoint = await this.#ctx.db.run(async (tx) => {
      const now = this.#ctx.clock.now();
      return this.#repo.add(tx, {
        id: newId('webhookEndpoint'),
        tenantId: auth.tenantId,
        environmentId: auth.environmentId,
        url: input.url,
        description: input.description,
        eventTypes: input.eventTypes,
        disabled: input.disabled,
        disabledReason: null,
        disabledAt: input.disabled ? now : null,
        failingSince: null,
        metadata: input.metadata,
        secret,
        previousSecret: null,
        previousSecretExpiresAt: null,
        status: 'published',
        createdAt: now,
        updatedAt: now,
        createdBy: auth.secretId,
        updatedBy: auth.secretId,
      });
    });
    return { endpoint, secret };
  }

  get(auth: AuthContext, id: string): Promise<WebhookEndpoint> {
    return this.#ctx.db.read((tx) => this.#find(tx, auth, id));
  }

  list(auth: AuthContext, page: Page): Promise<PageOf<WebhookEndpoint>> {
    return this.#ctx.db.read((tx) => this.#repo.page(tx, auth, page));
  }

  async update(auth: AuthContext, id: string, changes: WebhookEndpointChanges): Promise<WebhookEndpoint> {
    if (changes.url !== undefined) await this.#checkUrl(auth, changes.url);
    return this.#ctx.db.run(async (tx) => {
      const endpoint = await this.#find(tx, auth, id);
      const now = this.#ctx.clock.now();
      if (changes.url !== undefined) endpoint.url = changes.url;
      if (changes.description !== undefined) endpoint.description = changes.description;
      if (changes.eventTypes !== undefined) endpoint.eventTypes = changes.eventTypes;
      if (changes.metadata !== undefined) endpoint.metadata = changes.metadata;
      if (changes.disabled === true && !endpoint.disabled) {
        endpoint.disabled = true;
        endpoint.disabledAt = now;
        endpoint.disabledReason = null;
      } else if (changes.disabled === false && endpoint.disabled) {
        // Enabled again: a fresh start, the failures that disabled it forgotten.
        endpoint.disabled = false;
        endpoint.disabledAt = null;
        endpoint.disabledReason = null;
        endpoint.failingSince = null;
      }
      endpoint.updatedAt = now;
      endpoint.updatedBy = auth.secretId;
      return endpoint;
    });
  }

  /** Archives the endpoint: nothing more is sent to it; deleting it again is 404 like any unknown endpoint. */
  async delete(auth: AuthContext, id: string): Promise<void> {
    await this.#ctx.db.run(async (tx) => {
      const endpoint = await this.#find(tx, auth, id);
      endpoint.status = 'archived';
      endpoint.updatedAt = this.#ctx.clock.now();
      endpoint.updatedBy = auth.secretId;
    });
  }

  /** A new secret; the current one keeps signing beside it for 24 hours (an older one stops at once). */
  async rotateSecret(auth: AuthContext, id: string): Promise<EndpointWithSecret> {
    const secret = newWebhookSecret();
    const endpoint = await this.#ctx.db.run(async (tx) => {
      const e = await this.#find(tx, auth, id);
      const now = this.#ctx.clock.now();
      e.previousSecret = e.secret;
      e.previousSecretExpiresAt = new Date(now.getTime() + secretOverlapMs);
      e.secret = secret;
      e.updatedAt = now;
      e.updatedBy = auth.secretId;
      return e;
    });
    return { endpoint, secret };
  }

  /** Records a `webhook_endpoint.test` event for this endpoint alone; the worker delivers it like any other. */
  async sendTest(auth: AuthContext, id: string): Promise<WebhookEventRow> {
    return this.#ctx.db.run(async (tx) => {
      const e = await this.#find(tx, auth, id);
      if (e.disabled) {
        throw new AppError('invalid_operation', `Webhook endpoint ${e.id} is disabled; enable it to send it a test event`, { id: e.id });
      }
      const eventId = await record(tx, auth, {
        eventType: 'webhook_endpoint.test',
        entityType: 'webhook_endpoint',
        entityId: e.id,
        endpointId: e.id,
        at: this.#ctx.clock.now(),
        payload: toEndpointEventPayload({
          id: e.id,
          url: e.url,
          description: e.description,
          event_types: e.eventTypes,
          disabled: e.disabled,
          disabled_reason: e.disabledReason ?? null,
          disabled_at: null,
          metadata: e.metadata ?? {},
        }),
      });
      const row = await this.#events.find(tx, auth, eventId);
      if (!row) throw new Error(`test event ${eventId} was not read back`);
      return row;
    });
  }

  async #checkUrl(auth: AuthContext, url: string): Promise<void> {
    const httpAllowed = (await this.#environmentType(auth)) === 'development';
    throwIfProblems(endpointUrlProblems(url, 'url', httpAllowed, this.#policy));
  }

  async #find(tx: Tx, auth: AuthContext, id: string): Promise<WebhookEndpoint> {
    const endpoint = await this.#repo.findLive(tx, auth, id);
    if (!endpoint) throw notFound('Webhook endpoint', 'id', id);
    return endpoint;
  }
}
