import type { AuthContext } from '../../auth-context.ts';
import type { ServiceContext } from '../../service-context.ts';
import type { Tx } from '../../db/transactions.ts';
import { notFound } from '../../errors/app-error.ts';
import type { Customer, CustomerReader } from '../customers/index.ts';
import type { EntitlementService } from '../entitlements/index.ts';
import type { Feature, FeatureReader } from '../features/index.ts';
import type { PlanReader } from '../plans/index.ts';
import type { AddonReader } from '../addons/index.ts';
import { AddonAssociationRepo, isCurrent } from './addon-association.repo.ts';
import { aggregateFeatures, sourcesOf, type AggregatedFeature } from './entitlement-aggregation.ts';
import type { Subscription } from './subscription.entity.ts';
import type { SubscriptionRepo } from './subscription.repo.ts';

export type EntitlementReadFaces = {
  customers: CustomerReader;
  plans: PlanReader;
  addons: AddonReader;
  features: FeatureReader;
  entitlements: EntitlementService;
};

/** Which customer (by id or external id) and which of its features and subscriptions. */
export type CustomerEntitlementsQuery = {
  customer: { id: string } | { externalId: string };
  featureIds?: string[];
  featureLookupKeys?: string[];
  subscriptionIds?: string[];
};

/** Subscriptions whose entitlements a customer holds now, as FlexPrice counts them. */
export const entitledStatuses = ['active', 'trialing'] as const;

/**
 * What a subscription or a customer is entitled to, read with a fixed number of indexed queries whatever
 * the number of subscriptions or features: the subscriptions, their plans, the plans' and the
 * subscriptions' entitlements, the features.
 */
export class EntitlementReads {
  readonly #ctx: ServiceContext;
  readonly #repo: SubscriptionRepo;
  readonly #faces: EntitlementReadFaces;
  readonly #associations = new AddonAssociationRepo();

  constructor(ctx: ServiceContext, repo: SubscriptionRepo, faces: EntitlementReadFaces) {
    this.#ctx = ctx;
    this.#repo = repo;
    this.#faces = faces;
  }

  ofSubscription(auth: AuthContext, id: string, featureIds?: string[]): Promise<{ subscription: Subscription; features: AggregatedFeature[] }> {
    return this.#ctx.db.read(async (tx) => {
      const subscription = await this.#repo.get(tx, auth, id);
      if (!subscription) throw notFound('Subscription', 'id', id);
      return { subscription, features: await this.aggregated(tx, auth, [subscription], { featureIds }) };
    });
  }

  ofCustomer(auth: AuthContext, query: CustomerEntitlementsQuery): Promise<{ customer: Customer; features: AggregatedFeature[] }> {
    return this.#ctx.db.read(async (tx) => {
      const customer = await this.customer(tx, auth, query.customer);
      const subs = await this.#repo.ofCustomer(tx, auth, customer.id, entitledStatuses, query.subscriptionIds);
      return { customer, features: await this.aggregated(tx, auth, subs, query) };
    });
  }

  /** A live customer by id or external id, else 404. */
  async customer(tx: Tx, auth: AuthContext, by: CustomerEntitlementsQuery['customer']): Promise<Customer> {
    const customer = await this.#faces.customers.getPublished(tx, auth, by);
    if (customer) return customer;
    throw 'id' in by ? notFound('Customer', 'id', by.id) : notFound('Customer', 'external_id', by.externalId);
  }

  /** The features these subscriptions grant, combined; narrowed to the features asked for. */
  async aggregated(tx: Tx, auth: AuthContext, subs: Subscription[], only: { featureIds?: string[]; featureLookupKeys?: string[] } = {}): Promise<AggregatedFeature[]> {
    if (!subs.length) return [];
    const plans = await this.#faces.plans.getMany(tx, auth, [...new Set(subs.map((s) => s.planId))]);
    const noEmbed = { features: false, meters: false };
    const planEntitlements = await this.#faces.entitlements.ownedBy(tx, auth, 'PLAN', [...plans.keys()], noEmbed);
    const own = await this.#faces.entitlements.ownedBy(tx, auth, 'SUBSCRIPTION', subs.map((s) => s.id), noEmbed);
    const byId = new Map(subs.map((s) => [s.id, s]));
    const attached = (await this.#associations.ofSubscriptions(tx, auth, subs.map((s) => s.id))).filter((a) => isCurrent(a, byId.get(a.entityId)!));
    const addonIds = [...new Set(attached.map((a) => a.addonId))];
    const addons = await this.#faces.addons.getMany(tx, auth, addonIds);
    const addonEntitlements = addonIds.length ? await this.#faces.entitlements.ownedBy(tx, auth, 'ADDON', addonIds, noEmbed) : [];
    const sources = subs.flatMap((sub) =>
      sourcesOf(
        sub,
        plans.get(sub.planId)?.name ?? '',
        planEntitlements.filter((v) => v.entitlement.entityId === sub.planId).map((v) => v.entitlement),
        own.filter((v) => v.entitlement.entityId === sub.id).map((v) => v.entitlement),
        attached
          .filter((a) => a.entityId === sub.id)
          .map((a) => ({
            addonId: a.addonId,
            addonName: addons.get(a.addonId)?.name ?? '',
            entitlements: addonEntitlements.filter((v) => v.entitlement.entityId === a.addonId).map((v) => v.entitlement),
          })),
      ),
    );
    const wanted = (f: Feature) =>
      f.status === 'published' &&
      (!only.featureIds?.length || only.featureIds.includes(f.id)) &&
      (!only.featureLookupKeys?.length || (f.lookupKey != null && only.featureLookupKeys.includes(f.lookupKey)));
    const features = await this.#faces.features.getMany(tx, auth, [...new Set(sources.map((s) => s.entitlement.featureId))]);
    return aggregateFeatures(sources, new Map([...features].filter(([, f]) => wanted(f))));
  }
}
