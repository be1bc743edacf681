import { LockMode, type EntityManager, type MikroORM } from '@mikro-orm/core';
import { scopeOf, type AuthContext } from '../../auth-context.ts';
import type { Clock } from '../../clock.ts';
import { AppError, invalidFields, notFound } from '../../errors/app-error.ts';
import { newId } from '../../ids.ts';
import type { Page } from '../../listing/pagination.ts';
import { Environment } from '../environments/environment.entity.ts';
import { displayIdOf, generateApiKey, hashApiKey } from './api-key.ts';
import { Secret, type SecretType } from './secret.entity.ts';
import { useCaseEm } from '../../db/use-case-em.ts';

export type NewApiKey = { name: string; type: SecretType; expiresAt?: Date; environmentId?: string };

/** Who is calling, and with which kind of key (what it may call depends on it: http/key-permissions.ts). */
export type ApiKeyAuth = AuthContext & { keyType: SecretType };

/** How stale `last_used_at` may get before a request writes it again: one write per key per minute at most. */
const lastUsedResolutionMs = 60_000;
/**
 * How long a resolved key is trusted without reading the database again. A lookup per request
 * costs more than the rest of an event ingestion; revocation by this process clears the cache at
 * once, and other processes sharing the database notice within this time.
 */
const keyCacheTtlMs = 2_000;
const keyCacheMaxEntries = 10_000;

type CachedKey = { auth: ApiKeyAuth; expiresAt: Date | null; lastUsedAt: Date | null; loadedAt: number };

export class ApiKeyService {
  readonly #orm: MikroORM;
  readonly #clock: Clock;
  readonly #onTouchError: (err: unknown) => void;
  /** Resolved keys by hash; only keys that exist are kept. */
  readonly #cache = new Map<string, CachedKey>();

  constructor(orm: MikroORM, clock: Clock, onTouchError: (err: unknown) => void) {
    this.#orm = orm;
    this.#clock = clock;
    this.#onTouchError = onTouchError;
  }

  /**
   * Whether this process has resolved `key` to a stored key recently (its cache entry may be stale):
   * answered from memory, without the database. A guessed key is never known, since only keys that
   * exist are cached.
   */
  isKnown(key: string): boolean {
    return this.#cache.has(hashApiKey(key));
  }

  /** Resolves a presented key to its tenant, environment and type, or refuses it with 401. */
  async authenticate(key: string | undefined): Promise<ApiKeyAuth> {
    if (!key) throw new AppError('unauthorized', 'Missing API key: send it in the x-api-key header');
    const hash = hashApiKey(key);
    const now = this.#clock.now();
    let cached = this.#cache.get(hash);
    if (!cached || now.getTime() - cached.loadedAt >= keyCacheTtlMs) {
      const secret = await useCaseEm(this.#orm).findOne(Secret, { keyHash: hash, status: 'published' });
      if (!secret) {
        this.#cache.delete(hash);
        throw new AppError('unauthorized', 'Invalid API key');
      }
      if (this.#cache.size >= keyCacheMaxEntries) this.#cache.clear();
      cached = {
        auth: { tenantId: secret.tenantId, environmentId: secret.environmentId, secretId: secret.id, keyType: secret.type },
        expiresAt: secret.expiresAt ?? null,
        lastUsedAt: secret.lastUsedAt ?? null,
        loadedAt: now.getTime(),
      };
      this.#cache.set(hash, cached);
    }
    if (cached.expiresAt && cached.expiresAt <= now) throw new AppError('unauthorized', 'API key has expired');
    if (!cached.lastUsedAt || now.getTime() - cached.lastUsedAt.getTime() >= lastUsedResolutionMs) {
      cached.lastUsedAt = now;
      // Bookkeeping only: never delays or fails the request.
      useCaseEm(this.#orm).nativeUpdate(Secret, { id: cached.auth.secretId }, { lastUsedAt: now }).catch(this.#onTouchError);
    }
    return cached.auth;
  }

  async create(auth: AuthContext, input: NewApiKey): Promise<{ apiKey: string; secret: Secret }> {
    const now = this.#clock.now();
    if (input.expiresAt && input.expiresAt <= now) throw invalidFields({ expires_at: 'must be in the future' });
    return useCaseEm(this.#orm).transactional(async (em) => {
      const environmentId = input.environmentId ?? auth.environmentId;
      const environment = await em.findOne(Environment, { id: environmentId, tenantId: auth.tenantId, status: 'published' });
      if (!environment) throw notFound('Environment', 'environment_id', environmentId);
      const apiKey = generateApiKey(input.type);
      const secret = insertSecret(em, { tenantId: auth.tenantId, environmentId, name: input.name, type: input.type, apiKey, now, createdBy: auth.secretId, expiresAt: input.expiresAt });
      return { apiKey, secret };
    });
  }

  async list(auth: AuthContext, query: { page: Page; status?: string }): Promise<{ items: Secret[]; total: number }> {
    const [items, total] = await useCaseEm(this.#orm).findAndCount(
      Secret,
      { ...scopeOf(auth), status: query.status ?? 'published' },
      { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], limit: query.page.limit, offset: query.page.offset },
    );
    return { items, total };
  }

  /** Revokes a key; refuses to revoke the environment's last working key. */
  async delete(auth: AuthContext, id: string): Promise<void> {
    const revokedHash = await useCaseEm(this.#orm).transactional(async (em) => {
      // Serialise deletes per environment so two concurrent deletes cannot remove the last two keys.
      await em.findOne(Environment, { id: auth.environmentId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      const secret = await em.findOne(Secret, { ...scopeOf(auth), id, status: 'published' });
      if (!secret) throw notFound('API key', 'id', id);
      const now = this.#clock.now();
      const working = await em.count(Secret, {
        ...scopeOf(auth),
        status: 'published',
        $or: [{ expiresAt: null }, { expiresAt: { $gt: now } }],
      });
      const isWorking = !secret.expiresAt || secret.expiresAt > now;
      if (isWorking && working <= 1) {
        throw new AppError(
          'invalid_operation',
          `Cannot delete the last working API key of environment ${auth.environmentId}: create another key first`,
          { environment_id: auth.environmentId },
        );
      }
      secret.status = 'deleted';
      secret.updatedAt = now;
      secret.updatedBy = auth.secretId;
      return secret.keyHash;
    });
    // Revoked at once in this process (other processes within keyCacheTtlMs). Only this key is
    // forgotten: the others stay known (see isKnown).
    this.#cache.delete(revokedHash);
  }
}

export type SecretInsert = {
  tenantId: string;
  environmentId: string;
  name: string;
  type: SecretType;
  apiKey: string;
  now: Date;
  createdBy?: string;
  expiresAt?: Date;
};

/** Stores a key as its hash; the key itself is returned to the caller once and never kept. */
export function insertSecret(em: EntityManager, s: SecretInsert): Secret {
  return em.create(Secret, {
    id: newId('secret'),
    tenantId: s.tenantId,
    environmentId: s.environmentId,
    name: s.name,
    type: s.type,
    provider: 'flexprice',
    keyHash: hashApiKey(s.apiKey),
    displayId: displayIdOf(s.apiKey),
    expiresAt: s.expiresAt ?? null,
    lastUsedAt: null,
    status: 'published',
    createdAt: s.now,
    updatedAt: s.now,
    createdBy: s.createdBy ?? null,
    updatedBy: s.createdBy ?? null,
  });
}
