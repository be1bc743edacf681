import type { AuthContext } from '../../auth-context.ts';
import { ExactDecimal, divideRounded, formatDecimal } from '../../billing/money/index.ts';
import type { Period } from '../../billing/period/index.ts';
import type { Tx } from '../../db/transactions.ts';
import type { ServiceContext } from '../../service-context.ts';
import type { MeterUsage, MeterUsageRequest } from '../usage/index.ts';
import type { AggregatedFeature } from './entitlement-aggregation.ts';
import { entitledStatuses, type CustomerEntitlementsQuery, type EntitlementReads } from './entitlement-reads.ts';
import type { Subscription } from './subscription.entity.ts';
import type { SubscriptionRepo } from './subscription.repo.ts';

export type CustomerUsageFaces = {
  /** Billing's usage reads (one aggregation per meter, in the caller's unit of work). */
  usage: (tx: Tx, auth: AuthContext, requests: MeterUsageRequest[]) => Promise<MeterUsage[]>;
};

export type FeatureUsage = AggregatedFeature & { currentUsage: string; usagePercent: string; window: Period; nextResetAt: Date | null };
export type CustomerUsageSummary = { customerId: string; features: FeatureUsage[]; period: (Period & { billingPeriod: string }) | null };

/**
 * A customer's metered features: usage in the current window against the combined allowance. The
 * window of a feature is the current period of the subscription granting it that ends first (its usage
 * starts again from zero then); for a `NEVER` reset, from the earliest start of those subscriptions.
 */
export class CustomerUsage {
  readonly #ctx: ServiceContext;
  readonly #repo: SubscriptionRepo;
  readonly #entitlements: EntitlementReads;
  readonly #faces: CustomerUsageFaces;

  constructor(ctx: ServiceContext, repo: SubscriptionRepo, entitlements: EntitlementReads, faces: CustomerUsageFaces) {
    this.#ctx = ctx;
    this.#repo = repo;
    this.#entitlements = entitlements;
    this.#faces = faces;
  }

  summary(auth: AuthContext, query: CustomerEntitlementsQuery): Promise<CustomerUsageSummary> {
    return this.#ctx.db.read(async (tx) => {
      const customer = await this.#entitlements.customer(tx, auth, query.customer);
      const subs = await this.#repo.ofCustomer(tx, auth, customer.id, entitledStatuses, query.subscriptionIds);
      const metered = (await this.#entitlements.aggregated(tx, auth, subs, query)).filter((f) => f.feature.type === 'metered' && f.feature.meterId);
      const byId = new Map(subs.map((s) => [s.id, s]));
      const windows = metered.map((f) => windowOf(f, byId));
      const usages = await this.#faces.usage(
        tx,
        auth,
        metered.map((f, i) => ({ meterId: f.feature.meterId!, externalCustomerId: customer.externalId, start: windows[i]!.period.start, end: windows[i]!.period.end, timezone: windows[i]!.timezone })),
      );
      const features = metered.map((f, i) => {
        const usage = new ExactDecimal(usages[i]!.total);
        const limit = f.entitlement.usageLimit;
        const percent = limit === null || new ExactDecimal(limit).isZero() ? new ExactDecimal(0) : divideRounded(usage.times(100), new ExactDecimal(limit), 2);
        return { ...f, currentUsage: formatDecimal(usage), usagePercent: formatDecimal(percent), window: windows[i]!.period, nextResetAt: windows[i]!.nextResetAt };
      });
      const first = [...subs].sort((a, b) => a.currentPeriodEnd.getTime() - b.currentPeriodEnd.getTime())[0];
      const period = first ? { start: first.currentPeriodStart, end: first.currentPeriodEnd, billingPeriod: first.billingPeriod } : null;
      return { customerId: customer.id, features, period };
    });
  }
}

function windowOf(f: AggregatedFeature, subs: ReadonlyMap<string, Subscription>): { period: Period; nextResetAt: Date | null; timezone: string } {
  const granting = [...new Set(f.sources.map((s) => s.subscriptionId))].map((id) => subs.get(id)!);
  const first = granting.sort((a, b) => a.currentPeriodEnd.getTime() - b.currentPeriodEnd.getTime())[0]!;
  if (f.entitlement.usageResetPeriod === 'NEVER') {
    const start = new Date(Math.min(...granting.map((s) => s.startDate.getTime())));
    return { period: { start, end: first.currentPeriodEnd }, nextResetAt: null, timezone: first.timezone };
  }
  return { period: { start: first.currentPeriodStart, end: first.currentPeriodEnd }, nextResetAt: first.currentPeriodEnd, timezone: first.timezone };
}
