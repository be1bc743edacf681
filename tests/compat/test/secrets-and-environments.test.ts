import { describe, expect } from 'vitest';
import { flexprice, flexpriceWithKey, sdkTest, thrown, unique } from '../src/sdk-test.ts';

describe('API keys', () => {
  sdkTest('creates a key that works, lists it without the key, and deletes it', ['secrets.createApiKey', 'secrets.listApiKeys', 'secrets.deleteApiKey'], async () => {
    const name = unique('backend');
    const created = await flexprice.secrets.createApiKey({ name, type: 'private_key' });
    expect(created.apiKey).toMatch(/^sk_[0-9A-Z]{26}$/);
    expect(created.secret).toMatchObject({ name, type: 'private_key', status: 'published' });
    expect(created.secret!.displayId).toBe(`${created.apiKey!.slice(0, 5)}***${created.apiKey!.slice(-2)}`);

    // The new key is a working key of the same environment.
    const other = flexpriceWithKey(created.apiKey!);
    const listed = await other.secrets.listApiKeys(1000, 0);
    const mine = listed.items!.find((s) => s.id === created.secret!.id);
    expect(mine).toMatchObject({ name, displayId: created.secret!.displayId, type: 'private_key' });
    expect(JSON.stringify(listed)).not.toContain(created.apiKey);
    expect(listed.pagination!.total).toBeGreaterThanOrEqual(2);

    await flexprice.secrets.deleteApiKey(created.secret!.id!);
    const refused = await thrown(() => other.secrets.listApiKeys());
    expect(refused.statusCode).toBe(401);
    const after = await flexprice.secrets.listApiKeys(1000, 0);
    expect(after.items!.map((s) => s.id)).not.toContain(created.secret!.id);
  });
});

describe('environments', () => {
  sdkTest('creates an environment and renames it', ['environments.createEnvironment', 'environments.updateEnvironment'], async () => {
    const name = unique('Staging');
    const created = await flexprice.environments.createEnvironment({ name, type: 'development' });
    expect(created.id).toMatch(/^env_[0-9A-Z]{26}$/);
    expect(created).toMatchObject({ name, type: 'development' });
    const renamed = await flexprice.environments.updateEnvironment(created.id!, { name: `${name} 2` });
    expect(renamed).toMatchObject({ id: created.id, name: `${name} 2`, type: 'development' });
  });
});
