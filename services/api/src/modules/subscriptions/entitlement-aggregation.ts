import type { Entitlement, UsageResetPeriod } from '../entitlements/index.ts';
import type { Feature } from '../features/index.ts';

/** One entitlement that counts towards a feature for a subscription: the plan's, an attached addon's, or the subscription's own override. */
export type EntitlementSource = {
  subscriptionId: string;
  entityType: 'plan' | 'addon' | 'subscription';
  entityId: string;
  entityName: string;
  entitlement: Entitlement;
};

/** A feature's entitlements combined across its sources (FlexPrice's aggregation; docs/api/customers.md#entitlements). */
export type AggregatedEntitlement = {
  isEnabled: boolean;
  usageLimit: string | null;
  isSoftLimit: boolean;
  usageResetPeriod: UsageResetPeriod | null;
  staticValues: string[];
};

export type AggregatedFeature = { feature: Feature; entitlement: AggregatedEntitlement; sources: EntitlementSource[] };

/** An addon attached to a subscription, with its entitlements (once per attachment: an addon attached twice counts twice). */
export type AttachedAddonEntitlements = { addonId: string; addonName: string; entitlements: readonly Entitlement[] };

/**
 * What one subscription grants: its plan's entitlements and its attached addons', an override hiding
 * the plan or addon entitlement it replaces.
 */
export function sourcesOf(
  sub: { id: string; planId: string },
  planName: string,
  planEntitlements: readonly Entitlement[],
  own: readonly Entitlement[],
  addons: readonly AttachedAddonEntitlements[] = [],
): EntitlementSource[] {
  const overridden = new Set(own.map((e) => e.parentEntitlementId).filter(Boolean));
  return [
    ...planEntitlements
      .filter((e) => !overridden.has(e.id))
      .map((entitlement) => ({ subscriptionId: sub.id, entityType: 'plan' as const, entityId: sub.planId, entityName: planName, entitlement })),
    ...addons.flatMap((a) =>
      a.entitlements
        .filter((e) => !overridden.has(e.id))
        .map((entitlement) => ({ subscriptionId: sub.id, entityType: 'addon' as const, entityId: a.addonId, entityName: a.addonName, entitlement })),
    ),
    ...own.map((entitlement) => ({ subscriptionId: sub.id, entityType: 'subscription' as const, entityId: sub.id, entityName: '', entitlement })),
  ];
}

/**
 * One entry per feature (of `features`: published features only), ordered by name then id. Only
 * enabled sources count: a metered feature's limit is their sum, or unlimited (null) when any is;
 * soft when any is; the reset period most of them share (the first seen on a tie). A boolean feature is
 * enabled when any source is; a static one lists the distinct values. Disabled sources are still listed.
 */
export function aggregateFeatures(sources: readonly EntitlementSource[], features: ReadonlyMap<string, Feature>): AggregatedFeature[] {
  const byFeature = new Map<string, EntitlementSource[]>();
  for (const s of sources) {
    if (!features.has(s.entitlement.featureId)) continue;
    byFeature.set(s.entitlement.featureId, [...(byFeature.get(s.entitlement.featureId) ?? []), s]);
  }
  const result = [...byFeature].map(([featureId, list]) => ({ feature: features.get(featureId)!, entitlement: aggregate(list.map((s) => s.entitlement)), sources: list }));
  return result.sort((a, b) => a.feature.name.localeCompare(b.feature.name) || (a.feature.id < b.feature.id ? -1 : 1));
}

function aggregate(all: readonly Entitlement[]): AggregatedEntitlement {
  const enabled = all.filter((e) => e.isEnabled);
  const metered = enabled.filter((e) => e.featureType === 'metered');
  const unlimited = metered.some((e) => e.usageLimit === null || e.usageLimit === undefined);
  const usageLimit = !metered.length || unlimited ? null : metered.reduce((sum, e) => sum + BigInt(e.usageLimit as string), 0n).toString();
  return {
    isEnabled: enabled.length > 0,
    usageLimit,
    isSoftLimit: metered.some((e) => e.isSoftLimit),
    usageResetPeriod: mostCommon(metered.map((e) => e.usageResetPeriod ?? null)),
    staticValues: [...new Set(enabled.filter((e) => e.featureType === 'static' && e.staticValue).map((e) => e.staticValue as string))],
  };
}

function mostCommon(values: readonly (UsageResetPeriod | null)[]): UsageResetPeriod | null {
  const counts = new Map<UsageResetPeriod | null, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: UsageResetPeriod | null = values[0] ?? null;
  for (const [v, n] of counts) if (n > (counts.get(best) ?? 0)) best = v;
  return best;
}
