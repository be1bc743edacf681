import { describe, expect } from 'vitest';
import { flexprice, sdkTest, unique } from '../src/sdk-test.ts';

describe('features', () => {
  sdkTest('creates a metered feature with its meter inline, and a boolean one', ['features.createFeature'], async () => {
    const key = unique('tokens');
    const metered = await flexprice.features.createFeature({
      name: 'LLM tokens',
      type: 'metered',
      lookupKey: key,
      description: 'Tokens used by completions',
      unitSingular: 'token',
      unitPlural: 'tokens',
      metadata: { team: 'ai' },
      meter: { name: 'Tokens', eventName: `${key}.completion`, aggregation: { type: 'SUM', field: 'tokens' }, resetUsage: 'BILLING_PERIOD', filters: [{ key: 'model', values: ['gpt-4o'] }] },
    });
    expect(metered.id).toMatch(/^feat_[0-9A-Z]{26}$/);
    expect(metered).toMatchObject({ name: 'LLM tokens', type: 'metered', lookupKey: key, unitSingular: 'token', unitPlural: 'tokens', metadata: { team: 'ai' }, status: 'published' });
    expect(metered.meterId).toMatch(/^meter_[0-9A-Z]{26}$/);

    const flag = await flexprice.features.createFeature({ name: 'SSO', type: 'boolean', lookupKey: unique('sso') });
    expect(flag).toMatchObject({ name: 'SSO', type: 'boolean' });
    expect(flag.meterId ?? '').toBe('');
  });

  sdkTest('searches features by lookup key, name and type', ['features.queryFeature'], async () => {
    const tag = unique('search');
    const a = await flexprice.features.createFeature({ name: `${tag} alpha`, type: 'boolean', lookupKey: `${tag}-a` });
    const b = await flexprice.features.createFeature({ name: `${tag} beta`, type: 'static', lookupKey: `${tag}-b` });
    const byKeys = await flexprice.features.queryFeature({ lookupKeys: [`${tag}-a`, `${tag}-b`], order: 'asc' });
    expect(byKeys.items!.map((f) => f.id)).toEqual([a.id, b.id]);
    expect(byKeys.pagination!.total).toBe(2);
    const byName = await flexprice.features.queryFeature({ nameContains: `${tag} BET` });
    expect(byName.items!.map((f) => f.id)).toEqual([b.id]);
    const byIds = await flexprice.features.queryFeature({ featureIds: [a.id!], expand: 'meters' });
    expect(byIds.items![0]).toMatchObject({ id: a.id, name: `${tag} alpha`, type: 'boolean' });
  });

  sdkTest('updates a feature and adds meter filters', ['features.updateFeature'], async () => {
    const key = unique('calls');
    const created = await flexprice.features.createFeature({
      name: 'API calls',
      type: 'metered',
      lookupKey: key,
      meter: { name: 'Calls', eventName: `${key}.call`, aggregation: { type: 'COUNT' }, resetUsage: 'BILLING_PERIOD', filters: [{ key: 'region', values: ['eu'] }] },
    });
    const updated = await flexprice.features.updateFeature(created.id!, { name: 'API requests', description: 'Every request', metadata: { v: '2' }, filters: [{ key: 'region', values: ['us'] }] });
    expect(updated).toMatchObject({ id: created.id, name: 'API requests', description: 'Every request', metadata: { v: '2' } });
    const found = await flexprice.features.queryFeature({ featureIds: [created.id!], expand: 'meters' });
    expect(found.items![0].meter!.filters).toEqual([{ key: 'region', values: ['eu', 'us'] }]);
  });

  sdkTest('deletes a feature: archived, and gone from published searches', ['features.deleteFeature'], async () => {
    const key = unique('gone');
    const created = await flexprice.features.createFeature({ name: 'Gone', type: 'boolean', lookupKey: key });
    const res = await flexprice.features.deleteFeature(created.id!);
    expect(res.message).toBe('feature deleted successfully');
    expect((await flexprice.features.queryFeature({ lookupKeys: [key] })).pagination!.total).toBe(0);
    const archived = await flexprice.features.queryFeature({ lookupKeys: [key], status: 'archived' });
    expect(archived.items!.map((f) => [f.id, f.status])).toEqual([[created.id, 'archived']]);
  });
});
