import type { AuthContext } from '../../auth-context.ts';
import type { Tx } from '../../db/transactions.ts';
import type { EntitlementService, EntitlementView } from '../entitlements/index.ts';
import type { PriceService, PriceView } from '../prices/index.ts';

/** What a plan or addon sells and grants, as far as it was loaded. */
export type CatalogContents = { prices?: PriceView[]; entitlements?: EntitlementView[] };

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

/** Where a plan's or addon's contents are read from: the modules that own them. */
export type ContentsSources = { prices: PriceService; entitlements: EntitlementService };

/** Reads what plans and addons sell and grant, in the caller's unit of work. */
export class ContentsLoader {
  readonly #sources: ContentsSources;

  constructor(sources: ContentsSources) {
    this.#sources = sources;
  }

  /**
   * The published prices and entitlements of the given plans or addons, per owner id; every id asked
   * for gets an entry, possibly empty. Newest first, as FlexPrice lists them; prices ended at `at`
   * only when asked.
   */
  async load(tx: Tx, auth: AuthContext, entityType: 'PLAN' | 'ADDON', ownerIds: string[], request: ContentsRequest, at: Date): Promise<Map<string, CatalogContents>> {
    const result = new Map<string, CatalogContents>(
      ownerIds.map((id) => [id, { ...(request.prices ? { prices: [] } : {}), ...(request.entitlements ? { entitlements: [] } : {}) }]),
    );
    if (!ownerIds.length) return result;
    if (request.prices) {
      const embed = { ...request.prices, at };
      for (const view of await this.#sources.prices.ownedBy(tx, auth, entityType, ownerIds, embed)) result.get(view.price.entityId)?.prices?.push(view);
    }
    if (request.entitlements) {
      const embed = { features: request.entitlements.features, meters: request.entitlements.features };
      for (const view of await this.#sources.entitlements.ownedBy(tx, auth, entityType, ownerIds, embed)) {
        result.get(view.entitlement.entityId)?.entitlements?.push(view);
      }
    }
    return result;
  }
}
