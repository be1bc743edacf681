import type { AuthContext } from '../../auth-context.ts';
import type { PageOf } from '../../db/find-page.ts';
import type { Tx } from '../../db/transactions.ts';
import { AppError, invalidFields, notFound } from '../../errors/app-error.ts';
import type { Page } from '../../listing/pagination.ts';
import type { ServiceContext } from '../../service-context.ts';
import type { EnvironmentReader } from '../environments/index.ts';
import { generateApiKey, hashApiKey } from './api-key.ts';
import { ApiKeyRepo } from './api-key.repo.ts';
import type { Secret, SecretType } from './secret.entity.ts';

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
  readonly #ctx: ServiceContext;
  readonly #environments: EnvironmentReader;
  readonly #onTouchError: (err: unknown) => void;
  readonly #repo = new ApiKeyRepo();
  /** Resolved keys by hash; only keys that exist are kept. */
  readonly #cache = new Map<string, CachedKey>();

  constructor(ctx: ServiceContext, environments: EnvironmentReader, onTouchError: (err: unknown) => void) {
    this.#ctx = ctx;
    this.#environments = environments;
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
    const now = this.#ctx.clock.now();
    let cached = this.#cache.get(hash);
    if (!cached || now.getTime() - cached.loadedAt >= keyCacheTtlMs) {
      const secret = await this.#ctx.db.read((tx) => this.#repo.findPublishedByHash(tx, hash));
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
      const secretId = cached.auth.secretId;
      this.#ctx.db.read((tx) => this.#repo.touchLastUsed(tx, secretId, now)).catch(this.#onTouchError);
    }
    return cached.auth;
  }

  async create(auth: AuthContext, input: NewApiKey): Promise<{ apiKey: string; secret: Secret }> {
    const now = this.#ctx.clock.now();
    if (input.expiresAt && input.expiresAt <= now) throw invalidFields({ expires_at: 'must be in the future' });
    return this.#ctx.db.run(async (tx) => {
      const environmentId = input.environmentId ?? auth.environmentId;
      if (!(await this.#environments.find(tx, auth.tenantId, environmentId))) throw notFound('Environment', 'environment_id', environmentId);
      const apiKey = generateApiKey(input.type);
      const secret = this.#repo.add(tx, { tenantId: auth.tenantId, environmentId, name: input.name, type: input.type, apiKey, now, createdBy: auth.secretId, expiresAt: input.expiresAt });
      return { apiKey, secret };
    });
  }

  list(auth: AuthContext, query: { page: Page; status?: string }): Promise<PageOf<Secret>> {
    return this.#ctx.db.read((tx) => this.#repo.page(tx, auth, query.page, query.status ?? 'published'));
  }

  /** Revokes a key; refuses to revoke the environment's last working key. */
  async delete(auth: AuthContext, id: string): Promise<void> {
    const revokedHash = await this.#ctx.db.run(async (tx) => {
      // Serialise deletes per environment so two concurrent deletes cannot remove the last two keys.
      await this.#environments.lock(tx, auth.environmentId);
      const secret = await this.#repo.findLive(tx, auth, id);
      if (!secret) throw notFound('API key', 'id', id);
      const now = this.#ctx.clock.now();
      const working = await this.#repo.countWorkingInEnvironment(tx, auth, now);
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

/** Keys the operator sets up at start (see tenancy/bootstrap.ts), inside the start's unit of work. */
export class ApiKeyProvisioning {
  readonly #repo = new ApiKeyRepo();

  /** Makes sure `apiKey` works in the environment: stores it, or revives it if it was revoked or expired. */
  async ensureWorking(tx: Tx, where: { tenantId: string; environmentId: string }, apiKey: string, now: Date): Promise<void> {
    const existing = await this.#repo.findAnyByHash(tx, hashApiKey(apiKey));
    if (!existing) this.#repo.add(tx, { ...where, type: 'private_key', name: 'TALLY_API_KEY', apiKey, now });
    else if (existing.status !== 'published' || (existing.expiresAt && existing.expiresAt <= now)) {
      Object.assign(existing, { status: 'published', expiresAt: null, updatedAt: now });
    }
  }

  /** A new private key when the tenant has no working one, returned to be shown once. */
  async createFirstIfNone(tx: Tx, where: { tenantId: string; environmentId: string }, now: Date): Promise<string | undefined> {
    if ((await this.#repo.countWorkingInTenant(tx, where.tenantId, now)) > 0) return undefined;
    const apiKey = generateApiKey('private_key');
    this.#repo.add(tx, { ...where, type: 'private_key', name: 'Bootstrap key', apiKey, now });
    return apiKey;
  }
}
