import { scopeOf, type AuthContext } from '../../auth-context.ts';
import type { PageOf } from '../../db/find-page.ts';
import type { Tx } from '../../db/transactions.ts';
import { newId } from '../../ids.ts';
import type { Page } from '../../listing/pagination.ts';
import { displayIdOf, hashApiKey } from './api-key.ts';
import { Secret, type SecretType } from './secret.entity.ts';

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

/** A key that has not expired at `now` (revoked keys are not published). */
const workingAt = (now: Date) => ({ status: 'published', $or: [{ expiresAt: null }, { expiresAt: { $gt: now } }] });

/** Every query of API keys (stored as secrets: the key's hash, never the key). */
export class ApiKeyRepo {
  findPublishedByHash(tx: Tx, keyHash: string): Promise<Secret | null> {
    return tx.findOne(Secret, { keyHash, status: 'published' });
  }

  findAnyByHash(tx: Tx, keyHash: string): Promise<Secret | null> {
    return tx.findOne(Secret, { keyHash });
  }

  findLive(tx: Tx, auth: AuthContext, id: string): Promise<Secret | null> {
    return tx.findOne(Secret, { ...scopeOf(auth), id, status: 'published' });
  }

  countWorkingInEnvironment(tx: Tx, auth: AuthContext, now: Date): Promise<number> {
    return tx.count(Secret, { ...scopeOf(auth), ...workingAt(now) });
  }

  countWorkingInTenant(tx: Tx, tenantId: string, now: Date): Promise<number> {
    return tx.count(Secret, { tenantId, ...workingAt(now) });
  }

  /** Newest first. */
  async page(tx: Tx, auth: AuthContext, page: Page, status: string): Promise<PageOf<Secret>> {
    const [items, total] = await tx.findAndCount(
      Secret,
      { ...scopeOf(auth), status },
      { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], limit: page.limit, offset: page.offset },
    );
    return { items, total };
  }

  /** Bookkeeping outside any transaction. */
  async touchLastUsed(tx: Tx, id: string, at: Date): Promise<void> {
    await tx.nativeUpdate(Secret, { id }, { lastUsedAt: at });
  }

  /** Stores a key as its hash; the key itself is returned to the caller once and never kept. */
  add(tx: Tx, s: SecretInsert): Secret {
    return tx.create(Secret, {
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
}
