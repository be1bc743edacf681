import { parseExpand } from '../../listing/expand.ts';
import { fromAddonListRequest, toAddonResponse, type Addon, type AddonQuery, type AddonResponse } from '../addons/index.ts';
import { toEntitlementResponse } from '../entitlements/index.ts';
import { fromPlanListRequest, toPlanResponse, type Plan, type PlanContentsResponse, type PlanQuery, type PlanResponse } from '../plans/index.ts';
import { toPriceResponse } from '../prices/index.ts';
import type { CatalogContents, ContentsRequest } from './catalog-contents.ts';

/** A plan or addon with whatever of its prices and entitlements was loaded. */
export type PlanView = { plan: Plan; contents?: CatalogContents };
export type AddonView = { addon: Addon; contents?: CatalogContents };

/** FlexPrice's plan expand allow-list, less `credit_grant` (Tally has no credit grants yet). */
export const planExpandable = ['prices', 'meters', 'entitlements', 'priceunit', 'prices.meters', 'prices.priceunit', 'entitlements.features'];
/** FlexPrice's addon expand tokens, less `credit_grant` (Tally has no credit grants yet). */
export const addonExpandable = ['prices', 'entitlements', 'meters', 'prices.meters', 'entitlements.features'];

/** A list or search of plans or addons and what each embeds. */
export type PlanListQuery = PlanQuery & { contents: ContentsRequest };
export type AddonListQuery = AddonQuery & { contents: ContentsRequest };

/**
 * A plan list or search, and what it embeds. As in FlexPrice, `meters` and `priceunit` at the root
 * act on the prices, so they add nothing unless prices are expanded too; listed prices are those not
 * yet ended.
 */
export function fromPlanCatalogRequest(input: Parameters<typeof fromPlanListRequest>[0]): PlanListQuery {
  return { ...fromPlanListRequest(input), contents: contentsOf(parseExpand(input?.expand, planExpandable)) };
}

/** An addon list or search, and what it embeds; as for plans, a root `meters` acts on the prices. Addons have no price-unit token. */
export function fromAddonCatalogRequest(input: Parameters<typeof fromAddonListRequest>[0]): AddonListQuery {
  return { ...fromAddonListRequest(input), contents: contentsOf(parseExpand(input?.expand, addonExpandable)) };
}

function contentsOf(tokens: Set<string>): ContentsRequest {
  return {
    ...(tokens.has('prices')
      ? {
          prices: {
            endedToo: false,
            meters: tokens.has('meters') || tokens.has('prices.meters'),
            priceUnits: tokens.has('priceunit') || tokens.has('prices.priceunit'),
          },
        }
      : {}),
    ...(tokens.has('entitlements') ? { entitlements: { features: tokens.has('entitlements.features') } } : {}),
  };
}

/** The loaded contents as a plan or addon response embeds them. */
function toContentsResponse(contents: CatalogContents = {}): PlanContentsResponse {
  return {
    ...(contents.prices ? { prices: contents.prices.map(toPriceResponse) } : {}),
    ...(contents.entitlements ? { entitlements: contents.entitlements.map(toEntitlementResponse) } : {}),
  };
}

export const toPlanWithContents = (v: PlanView): PlanResponse => toPlanResponse(v.plan, toContentsResponse(v.contents));
export const toAddonWithContents = (v: AddonView): AddonResponse => toAddonResponse(v.addon, toContentsResponse(v.contents));
