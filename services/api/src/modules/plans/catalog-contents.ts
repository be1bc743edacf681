import type { EntityManager } from '@mikro-orm/core';
import { scopeOf, type AuthContext } from '../../auth-context.ts';
import { Entitlement } from '../entitlements/entitlement.entity.ts';
import { toEntitlementResponse, type EntitlementResponse } from '../entitlements/entitlement.mapper.ts';
import { Feature } from '../features/feature.entity.ts';
import { Meter } from '../meters/meter.entity.ts';
import { PriceUnit } from '../price-units/price-unit.entity.ts';
import { notEndedAt } from '../prices/price-activity.ts';
import { Price } from '../prices/price.entity.ts';
import { toPriceResponse, type PriceResponse } from '../prices/price.mapper.ts';

/** What a plan or addon sells and grants, as embedded in its response. */
export type CatalogContents = { prices: PriceResponse[]; entitlements: EntitlementResponse[] };

/** Which contents to load, and what to embed in each. Absent `prices` / `entitlements` = not loaded. */
export type ContentsRequest = {
  /** `endedToo` keeps prices whose `end_date` has passed (a plan's GET shows them, as FlexPrice's does). */
  prices?: { endedToo: boolean; meters: boolean; priceUnits: boolean };
  entitlements?: { features: boolean };
};

/** Everything the GET of one plan or addon embeds. */
export const fullContents = (endedToo: boolean): ContentsRequest => ({
  prices: { endedToo, meters: true, priceUnits: true },
  entitlements: { features: true },
});


const byId = <T extends { id: string }>(rows: T[]) => new Map(rows.map((r) => [r.id, r]));
const distinct = (ids: (string | null | undefined)[]): string[] => [...new Set(ids.filter((id): id is string => !!id))];

/**
 * The published prices and entitlements of the given plans or addons (of the caller's environment),
 * per owner id; every id asked for gets an entry, possibly empty. Newest first, as FlexPrice lists them.
 */
export async function loadContents(
  em: EntityManager,
  auth: AuthContext,
  entityType: 'PLAN' | 'ADDON',
  ownerIds: string[],
  request: ContentsRequest,
  now: Date,
): Promise<Map<string, Partial<CatalogContents>>> {
  const result = new Map<string, Partial<CatalogContents>>(
    ownerIds.map((id) => [id, { ...(request.prices ? { prices: [] } : {}), ...(request.entitlements ? { entitlements: [] } : {}) }]),
  );
  if (!ownerIds.length) return result;
  const scope = scopeOf(auth);
  const orderBy = [{ createdAt: 'desc' as const }, { id: 'desc' as const }];

  if (request.prices) {
    const opts = request.prices;
    const prices = await em.find(
      Price,
      {
        $and: [
          { ...scope, entityType, entityId: { $in: ownerIds }, status: 'published' },
          ...(opts.endedToo ? [] : [notEndedAt(now)]),
        ],
      },
      { orderBy },
    );
    const meterIds = opts.meters ? distinct(prices.map((p) => p.meterId)) : [];
    const unitIds = opts.priceUnits ? distinct(prices.filter((p) => p.priceUnitType === 'CUSTOM').map((p) => p.priceUnitId)) : [];
    const meters = byId(meterIds.length ? await em.find(Meter, { ...scope, id: { $in: meterIds } }) : []);
    const units = byId(unitIds.length ? await em.find(PriceUnit, { ...scope, id: { $in: unitIds } }) : []);
    for (const price of prices) {
      result.get(price.entityId)?.prices?.push(
        toPriceResponse(price, {
          meter: price.meterId ? meters.get(price.meterId) : undefined,
          priceUnit: price.priceUnitId && price.priceUnitType === 'CUSTOM' ? units.get(price.priceUnitId) : undefined,
        }),
      );
    }
  }

  if (request.entitlements) {
    const entitlements = await em.find(
      Entitlement,
      { ...scope, entityType, entityId: { $in: ownerIds }, status: 'published' },
      { orderBy },
    );
    let features = new Map<string, Feature>();
    let featureMeters = new Map<string, Meter>();
    if (request.entitlements.features) {
      const featureIds = distinct(entitlements.map((e) => e.featureId));
      features = byId(featureIds.length ? await em.find(Feature, { ...scope, id: { $in: featureIds } }) : []);
      const meterIds = distinct([...features.values()].filter((f) => f.type === 'metered').map((f) => f.meterId));
      featureMeters = byId(meterIds.length ? await em.find(Meter, { ...scope, id: { $in: meterIds } }) : []);
    }
    for (const entitlement of entitlements) {
      const feature = features.get(entitlement.featureId);
      const featureMeter = feature?.meterId ? featureMeters.get(feature.meterId) : undefined;
      result.get(entitlement.entityId)?.entitlements?.push(toEntitlementResponse(entitlement, { feature, featureMeter }));
    }
  }
  return result;
}
