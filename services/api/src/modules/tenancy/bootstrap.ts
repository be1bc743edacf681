import type { MikroORM } from '@mikro-orm/core';
import type { Clock } from '../../clock.ts';
import { newId } from '../../ids.ts';
import { generateApiKey, hashApiKey } from '../api-keys/api-key.ts';
import { insertSecret } from '../api-keys/api-key.service.ts';
import { Secret } from '../api-keys/secret.entity.ts';
import { Environment } from '../environments/environment.entity.ts';
import { Tenant } from './tenant.entity.ts';

export type BootstrapResult = {
  tenantId: string;
  defaultEnvironmentId: string;
  /** A key created by this start, to show once; undefined when keys already existed or came from TALLY_API_KEY. */
  createdApiKey?: string;
};

/**
 * First start: one tenant with a `development` and a `production` environment.
 * Every start: with `apiKey` (TALLY_API_KEY) that key works in the default (development) environment;
 * without it, a tenant with no working key gets a new one, returned to be shown once.
 */
export async function bootstrapTenancy(orm: MikroORM, clock: Clock, apiKey: string | undefined): Promise<BootstrapResult> {
  return orm.em.fork().transactional(async (em) => {
    const now = clock.now();
    let tenant = await em.findOne(Tenant, { status: 'published' }, { orderBy: { createdAt: 'asc' } });
    if (!tenant) {
      tenant = em.create(Tenant, { id: newId('tenant'), name: 'Default', status: 'published', createdAt: now, updatedAt: now });
      // Both rows share `now`, so lists order them by id; monotonic ids keep Development first.
      for (const [name, type] of [['Development', 'development'], ['Production', 'production']] as const) {
        em.create(Environment, { id: newId('environment'), tenantId: tenant.id, name, type, status: 'published', createdAt: now, updatedAt: now });
      }
      await em.flush();
    }
    const environments = await em.find(Environment, { tenantId: tenant.id, status: 'published' }, { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    const defaultEnv = environments.find((e) => e.type === 'development') ?? environments[0];
    const result: BootstrapResult = { tenantId: tenant.id, defaultEnvironmentId: defaultEnv.id };
    const base = { tenantId: tenant.id, environmentId: defaultEnv.id, type: 'private_key' as const, now };
    if (apiKey) {
      const existing = await em.findOne(Secret, { keyHash: hashApiKey(apiKey) });
      if (!existing) insertSecret(em, { ...base, name: 'TALLY_API_KEY', apiKey });
      else if (existing.status !== 'published' || (existing.expiresAt && existing.expiresAt <= now)) {
        // The operator asked for this key to work: revive it.
        Object.assign(existing, { status: 'published', expiresAt: null, updatedAt: now });
      }
      return result;
    }
    const working = await em.count(Secret, { tenantId: tenant.id, status: 'published', $or: [{ expiresAt: null }, { expiresAt: { $gt: now } }] });
    if (working === 0) {
      result.createdApiKey = generateApiKey('private_key');
      insertSecret(em, { ...base, name: 'Bootstrap key', apiKey: result.createdApiKey });
    }
    return result;
  });
}
