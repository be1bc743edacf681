import type { AuthContext } from '../../auth-context.ts';
import { ExactDecimal, formatDecimal } from '../../billing/money/index.ts';
import type { Period } from '../../billing/period/index.ts';
import { invalidFields } from '../../errors/app-error.ts';
import type { ServiceContext } from '../../service-context.ts';
import type { BillableSubscription, InvoiceService } from '../invoices/index.ts';
import type { PriceReader, PriceService, PriceView } from '../prices/index.ts';

export type SubscriptionUsageRequest = { subscriptionId: string; start: Date | null; end: Date | null; lifetime: boolean };

/** One usage line of the window, as the invoice would bill it. */
export type UsageCharge = {
  lineItemId: string;
  meterId: string;
  meterDisplayName: string;
  quantity: string;
  amount: string;
  isOverage: boolean;
  overageFactor: string | null;
  price: PriceView | undefined;
};

export type SubscriptionUsageAnswer = {
  currency: string;
  window: Period;
  amount: string;
  charges: UsageCharge[];
  commitment: { amount: string; overageFactor: string | null; utilized: string; overage: string } | null;
};

export type SubscriptionUsageFaces = { invoices: InvoiceService; prices: PriceService; priceReader: PriceReader };

/**
 * The subscription's usage charges so far: the invoice preview's computation (allowances, commitment)
 * over the window, its usage lines only. One unit of work; the prices are read together.
 */
export class SubscriptionUsage {
  readonly #ctx: ServiceContext;
  readonly #faces: SubscriptionUsageFaces;

  constructor(ctx: ServiceContext, faces: SubscriptionUsageFaces) {
    this.#ctx = ctx;
    this.#faces = faces;
  }

  usage(auth: AuthContext, req: SubscriptionUsageRequest): Promise<SubscriptionUsageAnswer> {
    return this.#ctx.db.read(async (tx) => {
      let billable: BillableSubscription | undefined;
      const window = (sub: BillableSubscription): Period => {
        billable = sub;
        const current = sub.currentPeriod;
        const period = req.lifetime ? { start: sub.invoicing.startDate, end: current.end } : { start: req.start ?? current.start, end: req.end ?? current.end };
        if (period.end < period.start) throw invalidFields({ end_time: `must not be before start_time (${period.start.toISOString()})` });
        return period;
      };
      const preview = { subscriptionId: req.subscriptionId, periodStart: null, periodEnd: null, hideZeroLines: false };
      const view = await this.#faces.invoices.previewIn(tx, auth, preview, window);
      const lines = (view.lines ?? []).filter((l) => l.priceType === 'USAGE');
      const rows = await this.#faces.priceReader.getMany(tx, auth, lines.map((l) => l.priceId));
      const prices = new Map((await this.#faces.prices.viewsOf(tx, auth, [...rows.values()], { meters: true, priceUnits: true })).map((v) => [v.price.id, v]));
      const sum = (pick: (info: Record<string, unknown>) => unknown) =>
        formatDecimal(lines.reduce((total, l) => total.plus(new ExactDecimal(String(pick(l.commitmentInfo ?? {}) ?? '0'))), new ExactDecimal(0)));
      const c = billable!.commitment;
      return {
        currency: view.invoice.currency,
        window: { start: view.invoice.periodStart!, end: view.invoice.periodEnd! },
        amount: formatDecimal(lines.reduce((total, l) => total.plus(l.amount), new ExactDecimal(0))),
        charges: lines.map((l) => ({
          lineItemId: l.subscriptionLineItemId ?? '',
          meterId: l.meterId ?? '',
          meterDisplayName: l.meterDisplayName ?? l.displayName ?? '',
          quantity: l.quantity,
          amount: l.amount,
          isOverage: l.metadata?.is_overage === 'true',
          overageFactor: l.metadata?.overage_factor ?? null,
          price: l.priceId ? prices.get(l.priceId) : undefined,
        })),
        commitment: c.commitmentAmount
          ? { amount: c.commitmentAmount, overageFactor: c.overageFactor, utilized: sum((i) => i.computed_commitment_utilized_amount), overage: sum((i) => i.computed_overage_amount) }
          : null,
      };
    });
  }
}
