import type { AuthContext } from '../../auth-context.ts';
import { ExactDecimal, formatDecimal } from '../../billing/money/index.ts';
import { windowStarts, type Period, type WindowSize } from '../../billing/period/index.ts';
import { priceCost } from '../../billing/pricing/index.ts';
import { notFound } from '../../errors/app-error.ts';
import type { ServiceContext } from '../../service-context.ts';
import type { CustomerReader } from '../customers/index.ts';
import type { Feature, FeatureReader } from '../features/index.ts';
import type { CustomerTime } from '../invoices/index.ts';
import type { Meter, MeterReader } from '../meters/index.ts';
import { ratedPriceOf, type PriceReader, type PriceService, type PriceView } from '../prices/index.ts';
import type { CustomerUsageFaces } from './customer-usage.ts';
import type { SubscriptionRepo } from './subscription.repo.ts';

export type UsageAnalyticsRequest = { externalCustomerId: string; featureIds?: string[]; start: Date | null; end: Date | null; windowSize?: WindowSize; expand: { price: boolean; feature: boolean } };

export type UsageAnalyticsItem = {
  feature: Feature;
  meter: Meter;
  lineItemId: string;
  subscriptionId: string;
  planId: string;
  priceId: string;
  price: PriceView | undefined;
  currency: string;
  totalUsage: string;
  totalCost: string;
  points?: { timestamp: Date; usage: string; cost: string }[];
};

export type UsageAnalytics = { currency: string; totalCost: string; items: UsageAnalyticsItem[]; windowSize?: WindowSize };

export type UsageAnalyticsFaces = CustomerUsageFaces & {
  customers: CustomerReader;
  features: FeatureReader;
  meters: MeterReader;
  prices: PriceService;
  priceReader: PriceReader;
  time: CustomerTime;
};

const weekMs = 7 * 24 * 3_600_000;

/**
 * Usage and list cost per metered feature for one customer over a window: each usage line item of its
 * subscriptions (not drafts) that is live in the window, its meter's usage there and the cost of that
 * usage at its price. A fixed number of reads, plus billing's one aggregation per line.
 */
export class UsageAnalyticsReads {
  readonly #ctx: ServiceContext;
  readonly #repo: SubscriptionRepo;
  readonly #faces: UsageAnalyticsFaces;

  constructor(ctx: ServiceContext, repo: SubscriptionRepo, faces: UsageAnalyticsFaces) {
    this.#ctx = ctx;
    this.#repo = repo;
    this.#faces = faces;
  }

  analytics(auth: AuthContext, req: UsageAnalyticsRequest): Promise<UsageAnalytics> {
    return this.#ctx.db.read(async (tx) => {
      const customer = await this.#faces.customers.getPublished(tx, auth, { externalId: req.externalCustomerId });
      if (!customer) throw notFound('Customer', 'external_customer_id', req.externalCustomerId);
      const end = req.end ?? (await this.#faces.time.nowFor(tx, auth, customer.id));
      const start = req.start ?? new Date(end.getTime() - weekMs);
      const subs = (await this.#repo.ofCustomer(tx, auth, customer.id)).filter((s) => s.subscriptionStatus !== 'draft');
      const lines = (await this.#repo.lineItemsOf(tx, auth, subs.map((s) => s.id)))
        .filter((l) => l.priceType === 'USAGE' && l.meterId)
        .map((l) => ({ line: l, window: { start: maxDate(start, l.startDate), end: l.endDate ? minDate(end, l.endDate) : end } }))
        .filter(({ window }) => window.start < window.end);
      const featureOf = new Map((await this.#faces.features.publishedOfMeters(tx, auth, lines.map(({ line }) => line.meterId!))).map((f) => [f.meterId!, f]));
      const wanted = lines.filter(({ line }) => {
        const f = featureOf.get(line.meterId!);
        return f && (!req.featureIds?.length || req.featureIds.includes(f.id));
      });
      const meters = await this.#faces.meters.getMany(tx, auth, wanted.map(({ line }) => line.meterId));
      const prices = await this.#faces.priceReader.getMany(tx, auth, wanted.map(({ line }) => line.priceId));
      const views = req.expand.price ? await this.#faces.prices.viewsOf(tx, auth, [...prices.values()], { meters: false, priceUnits: true }) : [];
      const usages = await this.#faces.usage(
        tx,
        auth,
        wanted.map(({ line, window }) => ({ meterId: line.meterId!, externalCustomerId: customer.externalId, start: window.start, end: window.end, timezone: customer.timezone, windowSize: req.windowSize })),
      );
      const subOf = new Map(subs.map((s) => [s.id, s]));
      const items = wanted.map(({ line, window }, i): UsageAnalyticsItem => {
        const rated = ratedPriceOf(prices.get(line.priceId)!);
        const cost = (usage: string) => priceCost(rated, usage).amount;
        const usage = usages[i]!;
        return {
          feature: featureOf.get(line.meterId!)!,
          meter: meters.get(line.meterId!)!,
          lineItemId: line.id,
          subscriptionId: line.subscriptionId,
          planId: subOf.get(line.subscriptionId)!.planId,
          priceId: line.priceId,
          price: views.find((v) => v.price.id === line.priceId),
          currency: line.currency,
          totalUsage: usage.total,
          totalCost: cost(usage.total),
          ...(req.windowSize ? { points: pointsOf(window, req.windowSize, customer.timezone, usage.windows ?? [], cost) } : {}),
        };
      });
      const currency = items.length ? subOf.get(items[0]!.subscriptionId)!.currency : '';
      const totalCost = items.filter((i) => i.currency === currency).reduce((sum, i) => sum.plus(i.totalCost), new ExactDecimal(0));
      return { currency, totalCost: formatDecimal(totalCost), items, windowSize: req.windowSize };
    });
  }
}

function pointsOf(window: Period, size: WindowSize, timezone: string, values: string[], cost: (usage: string) => string) {
  const starts = windowStarts(window.start.getTime(), window.end.getTime(), size, { timezone });
  return starts.map((t, i) => ({ timestamp: new Date(t), usage: values[i] ?? '0', cost: cost(values[i] ?? '0') }));
}

const maxDate = (a: Date, b: Date) => (a > b ? a : b);
const minDate = (a: Date, b: Date) => (a < b ? a : b);
