import { describe, expect, it } from 'vitest';
import type { Entitlement } from '../entitlements/index.ts';
import type { Feature } from '../features/index.ts';
import { aggregateFeatures, sourcesOf } from './entitlement-aggregation.ts';

const feature = (id: string, name: string, type: Feature['type']) => ({ id, name, type, status: 'published' }) as Feature;
const entitlement = (id: string, featureId: string, featureType: Feature['type'], more: Partial<Entitlement> = {}) =>
  ({ id, featureId, featureType, isEnabled: true, usageLimit: null, usageResetPeriod: null, isSoftLimit: false, staticValue: null, parentEntitlementId: null, ...more }) as Entitlement;

const calls = feature('feat_calls', 'API calls', 'metered');
const sso = feature('feat_sso', 'SSO', 'boolean');
const support = feature('feat_support', 'Support', 'static');
const features = new Map([calls, sso, support].map((f) => [f.id, f]));

describe('sourcesOf', () => {
  it('takes the plan’s entitlements and the subscription’s own, an override hiding the one it replaces', () => {
    const planCalls = entitlement('ent_plan_calls', calls.id, 'metered', { usageLimit: '1000' });
    const planSso = entitlement('ent_plan_sso', sso.id, 'boolean');
    const override = entitlement('ent_own_calls', calls.id, 'metered', { usageLimit: '5000', parentEntitlementId: planCalls.id });
    const sources = sourcesOf({ id: 'subs_1', planId: 'plan_1' }, 'Pro', [planCalls, planSso], [override]);
    expect(sources.map((s) => [s.entityType, s.entityId, s.entityName, s.entitlement.id])).toEqual([
      ['plan', 'plan_1', 'Pro', 'ent_plan_sso'],
      ['subscription', 'subs_1', '', 'ent_own_calls'],
    ]);
  });
});

describe('sourcesOf with attached addons', () => {
  it('adds each attachment’s entitlements as addon sources (twice when attached twice); an override hides the addon one it replaces', () => {
    const planCalls = entitlement('ent_plan_calls', calls.id, 'metered', { usageLimit: '1000' });
    const addonCalls = entitlement('ent_addon_calls', calls.id, 'metered', { usageLimit: '500' });
    const addonSso = entitlement('ent_addon_sso', sso.id, 'boolean');
    const override = entitlement('ent_own_sso', sso.id, 'boolean', { isEnabled: false, parentEntitlementId: addonSso.id });
    const boost = { addonId: 'addon_1', addonName: 'Boost', entitlements: [addonCalls, addonSso] };
    const sources = sourcesOf({ id: 'subs_1', planId: 'plan_1' }, 'Pro', [planCalls], [override], [boost, boost]);
    expect(sources.map((s) => [s.entityType, s.entityId, s.entityName, s.entitlement.id])).toEqual([
      ['plan', 'plan_1', 'Pro', 'ent_plan_calls'],
      ['addon', 'addon_1', 'Boost', 'ent_addon_calls'],
      ['addon', 'addon_1', 'Boost', 'ent_addon_calls'],
      ['subscription', 'subs_1', '', 'ent_own_sso'],
    ]);
    // 1,000 + 500 + 500 calls; SSO off (the override replaces the addon's).
    const [callsFeature, ssoFeature] = aggregateFeatures(sources, features);
    expect(callsFeature!.entitlement.usageLimit).toBe('2000');
    expect(ssoFeature!.entitlement.isEnabled).toBe(false);
  });
});

describe('aggregateFeatures', () => {
  const source = (subscriptionId: string, e: Entitlement) => ({ subscriptionId, entityType: 'plan' as const, entityId: 'plan', entityName: 'Plan', entitlement: e });

  it('adds limits (1,000 + 500), soft when any source is, the most common reset; ordered by feature name', () => {
    const result = aggregateFeatures(
      [
        source('subs_1', entitlement('e1', support.id, 'static', { staticValue: '24/7' })),
        source('subs_1', entitlement('e2', calls.id, 'metered', { usageLimit: '1000', usageResetPeriod: 'MONTHLY' })),
        source('subs_2', entitlement('e3', calls.id, 'metered', { usageLimit: '500', usageResetPeriod: 'DAILY', isSoftLimit: true })),
        source('subs_3', entitlement('e4', calls.id, 'metered', { usageLimit: '250', usageResetPeriod: 'MONTHLY' })),
        source('subs_2', entitlement('e5', support.id, 'static', { staticValue: 'email' })),
        source('subs_3', entitlement('e6', support.id, 'static', { staticValue: '24/7' })),
        source('subs_1', entitlement('e7', sso.id, 'boolean', { isEnabled: false })),
      ],
      features,
    );
    expect(result.map((f) => [f.feature.name, f.entitlement, f.sources.length])).toEqual([
      ['API calls', { isEnabled: true, usageLimit: '1750', isSoftLimit: true, usageResetPeriod: 'MONTHLY', staticValues: [] }, 3],
      ['SSO', { isEnabled: false, usageLimit: null, isSoftLimit: false, usageResetPeriod: null, staticValues: [] }, 1], // listed, disabled
      ['Support', { isEnabled: true, usageLimit: null, isSoftLimit: false, usageResetPeriod: null, staticValues: ['24/7', 'email'] }, 3],
    ]);
  });

  it('is unlimited when any enabled source is; a disabled source neither adds nor unlimits', () => {
    const [unlimited] = aggregateFeatures(
      [source('s1', entitlement('e1', calls.id, 'metered', { usageLimit: '1000' })), source('s2', entitlement('e2', calls.id, 'metered', { usageLimit: null }))],
      features,
    );
    expect(unlimited!.entitlement.usageLimit).toBeNull();
    const [limited] = aggregateFeatures(
      [source('s1', entitlement('e1', calls.id, 'metered', { usageLimit: '1000' })), source('s2', entitlement('e2', calls.id, 'metered', { usageLimit: null, isEnabled: false }))],
      features,
    );
    expect(limited!.entitlement.usageLimit).toBe('1000');
  });

  it('sums past 2^53 exactly and leaves out features not given (unpublished, filtered)', () => {
    const result = aggregateFeatures(
      [
        source('s1', entitlement('e1', calls.id, 'metered', { usageLimit: '9007199254740991' })),
        source('s2', entitlement('e2', calls.id, 'metered', { usageLimit: '9007199254740991' })),
        source('s2', entitlement('e3', 'feat_gone', 'boolean')),
      ],
      features,
    );
    expect(result.map((f) => [f.feature.id, f.entitlement.usageLimit])).toEqual([[calls.id, '18014398509481982']]);
  });
});
