import type { AuthContext } from '../../auth-context.ts';
import { allowancePlan, allowanceWindows } from '../../billing/invoicing/index.ts';
import { ExactDecimal, divideRounded, formatDecimal } from '../../billing/money/index.ts';
import type { Period } from '../../billing/period/index.ts';
import type { Tx } from '../../db/transactions.ts';
import type { ServiceContext } from '../../service-context.ts';
import type { CustomerTime } from '../invoices/index.ts';
import type { MeterUsage, MeterUsageRequest } from '../usage/index.ts';
import type { AggregatedFeature } from './entitlement-aggregation.ts';
import { entitledStatuses, type CustomerEntitlementsQuery, type EntitlementReads } from './entitlement-reads.ts';
import type { Subscription } from './subscription.entity.ts';
import type { SubscriptionRepo } from './subscription.repo.ts';

export type CustomerUsageFaces = {
  /** Billing's usage reads (every meter's aggregation in one statement, in the caller's unit of work). */
  usage: (tx: Tx, auth: AuthContext, requests: MeterUsageRequest[]) => Promise<MeterUsage[]>;
  /** The customer's now (its test clock's time when it has one). */
  time: CustomerTime;
};

export type FeatureUsage = AggregatedFeature & { currentUsage: string; usagePercent: string; window: Period; nextResetAt: Date | null };
export type CustomerUsageSummary = { customerId: string; features: FeatureUsage[]; period: (Period & { billingPeriod: string }) | null };

/**
 * A customer's metered features: usage in the current window against the combined allowance. The window
 * follows billing's allowance rules (`allowancePlan`) on the granting subscription whose period ends
 * first: its current period; the local day or anchored month holding now for a DAILY or MONTHLY reset
 * that is not its billing period; for a `NEVER` reset, from the earliest start of the granting
 * subscriptions.
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
      const now = await this.#faces.time.nowFor(tx, auth, customer.id);
      const windows = metered.map((f) => windowOf(f, byId, now));
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

function windowOf(f: AggregatedFeature, subs: ReadonlyMap<string, Subscription>, now: Date): { period: Period; nextResetAt: Date | null; timezone: string } {
  const granting = [...new Set(f.sources.map((s) => s.subscriptionId))].map((id) => subs.get(id)!);
  const first = granting.sort((a, b) => a.currentPeriodEnd.getTime() - b.currentPeriodEnd.getTime())[0]!;
  const current = { start: first.currentPeriodStart, end: first.currentPeriodEnd };
  // The limit does not change the window; only the reset period and the subscription's period do.
  const plan = allowancePlan({ usageLimit: '0', usageResetPeriod: f.entitlement.usageResetPeriod }, first.billingPeriod);
  if (plan.kind === 'lifetime') {
    const start = new Date(Math.min(...granting.map((s) => s.startDate.getTime())));
    return { period: { start, end: current.end }, nextResetAt: null, timezone: first.timezone };
  }
  if (plan.kind === 'per_reset_window') {
    const windows = allowanceWindows(current, plan.reset, first.timezone, first.billingAnchor);
    const holding = windows.find((w) => w.start <= now && now < w.end) ?? (now < current.start ? windows[0] : windows.at(-1));
    if (holding) return { period: holding, nextResetAt: holding.end, timezone: first.timezone };
  }
  return { period: current, nextResetAt: current.end, timezone: first.timezone };
}
