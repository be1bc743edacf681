import type { Clock } from '../../clock.ts';
import type { Transactions } from '../../db/transactions.ts';
import { ApiKeyProvisioning } from '../api-keys/index.ts';
import { EnvironmentProvisioning } from '../environments/index.ts';
import { TenantRepo } from './tenant.repo.ts';

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
export async function bootstrapTenancy(db: Transactions, clock: Clock, apiKey: string | undefined): Promise<BootstrapResult> {
  const tenants = new TenantRepo();
  const environments = new EnvironmentProvisioning();
  const keys = new ApiKeyProvisioning();
  return db.run(async (tx) => {
    const now = clock.now();
    let tenant = await tenants.first(tx);
    if (!tenant) {
      tenant = tenants.add(tx, 'Default', now);
      await environments.createDefaults(tx, tenant.id, now);
    }
    const defaultEnv = await environments.defaultOf(tx, tenant.id);
    const where = { tenantId: tenant.id, environmentId: defaultEnv.id };
    const result: BootstrapResult = { tenantId: tenant.id, defaultEnvironmentId: defaultEnv.id };
    if (apiKey) {
      await keys.ensureWorking(tx, where, apiKey, now);
      return result;
    }
    const createdApiKey = await keys.createFirstIfNone(tx, where, now);
    return createdApiKey ? { ...result, createdApiKey } : result;
  });
}
