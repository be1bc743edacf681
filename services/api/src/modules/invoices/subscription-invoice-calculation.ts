import {
  allowancePlan,
  applyCommitment,
  applyInvoiceDiscounts,
  applyPrepaidCredits,
  computedInvoiceStatus,
  couponApplies,
  fixedChargeAmount,
  invoiceTotals,
  netOpeningCredit,
  planInvoiceLines,
  usageCharge,
  type AllowancePlan,
  type BilledCharge,
  type CouponApplication,
  type InvoiceCoupon,
  type InvoiceTotals,
  type LineCoupon,
  type PlannedUsageLine,
  type TaxRate,
  type WindowBillingReason,
} from '../../billing/invoicing/index.ts';
import type { Period, WindowSize } from '../../billing/period/index.ts';
import { lineItemPriceUnitAmount } from '../../billing/pricing/index.ts';
import type { MeterUsage, MeterUsageRequest } from '../usage/index.ts';
import type { BillableCoupon, BillableSubscription } from './billable-subscription.ts';
import type { CommitmentInfo } from './invoice-line-item.entity.ts';

/** An invoice line as computed, before it is stored. */
export type ComputedLine = {
  subscriptionLineItemId: string | null;
  priceId: string | null;
  priceType: 'FIXED' | 'USAGE';
  displayName: string;
  planDisplayName: string | null;
  entityId: string | null;
  entityType: string | null;
  meterId: string | null;
  meterDisplayName: string | null;
  priceUnitId: string | null;
  priceUnit: string | null;
  /** A custom-unit line's amount in its unit: `amount ÷ conversion_rate`, rounded to the currency's precision (null for fiat lines). */
  priceUnitAmount: string | null;
  amount: string;
  quantity: string;
  period: Period;
  adjustedEntitlementQuantity: string | null;
  lineItemDiscount: string;
  invoiceLevelDiscount: string;
  prepaidCreditsApplied: string;
  commitmentInfo: CommitmentInfo | null;
  metadata: Record<string, string>;
};

/** A coupon application as computed: `lineIndex` is the line it discounted (null: the invoice). */
export type ComputedApplication = Omit<CouponApplication, 'invoiceLineId'> & { lineIndex: number | null; snapshot: Record<string, unknown> };

export type ComputedInvoice = {
  lines: ComputedLine[];
  applications: ComputedApplication[];
  totals: InvoiceTotals;
  status: 'DRAFT' | 'SKIPPED';
};

export type CalculationInput = {
  subscription: BillableSubscription;
  billingReason: WindowBillingReason;
  period: Period;
  /** Charges on the subscription's DRAFT and FINALIZED invoices (none for a preview). */
  alreadyBilled: readonly BilledCharge[];
  /** Coupon applications already recorded, per association. */
  priorApplications: ReadonlyMap<string, number>;
  /** Reads usage: one aggregation per request, in order. */
  usage: (requests: MeterUsageRequest[]) => Promise<MeterUsage[]>;
  /** Tax rates to apply now (none until finalization for subscription invoices). */
  taxRates?: readonly TaxRate[];
  /** A plan change's credit netted against the FIXED lines of a new subscription's opening invoice (netOpeningCredit). */
  openingCredit?: string;
};

/** The usage reads a usage line needs under its allowance: the window, per reset window, or cumulative before and through. */
function usageReads(sub: BillableSubscription, line: PlannedUsageLine, meterId: string, plan: AllowancePlan): MeterUsageRequest[] {
  const base = { meterId, externalCustomerId: sub.customerExternalId, timezone: sub.invoicing.timezone };
  const { start, end } = line.usageWindow;
  if (plan.kind === 'per_reset_window') {
    const windowSize: WindowSize = plan.reset === 'DAILY' ? 'DAY' : 'MONTH';
    return [{ ...base, start, end, windowSize, billingAnchor: sub.invoicing.billingAnchor }];
  }
  if (plan.kind === 'lifetime') {
    const from = sub.invoicing.startDate;
    return [{ ...base, start, end }, { ...base, start: from, end: start }, { ...base, start: from, end }];
  }
  return [{ ...base, start, end }];
}

const zeroLine = { lineItemDiscount: '0', invoiceLevelDiscount: '0', prepaidCreditsApplied: '0' };

/** Coupon associations that discount an invoice of `period`, split into line-level and invoice-level ones. */
function applicableCoupons(sub: BillableSubscription, period: Period, prior: ReadonlyMap<string, number>, lines: ComputedLine[]) {
  const lineCoupons: LineCoupon[] = [];
  const invoiceCoupons: InvoiceCoupon[] = [];
  const byAssociation = new Map<string, BillableCoupon>();
  const subscriptionPeriod = { unit: sub.invoicing.billingPeriod, count: sub.invoicing.billingPeriodCount, timezone: sub.invoicing.timezone };
  for (const c of sub.coupons) {
    const applies = couponApplies({
      cadence: c.cadence,
      durationInPeriods: c.durationInPeriods,
      association: { startDate: c.startDate, endDate: c.endDate },
      invoicePeriod: period,
      priorApplications: prior.get(c.associationId) ?? 0,
      subscriptionPeriod,
    });
    if (!applies) continue;
    byAssociation.set(c.associationId, c);
    const association = { associationId: c.associationId, couponId: c.couponId, startDate: c.startDate, coupon: c.coupon };
    if (c.lineItemId === null) invoiceCoupons.push(association);
    else {
      const index = lines.findIndex((l) => l.subscriptionLineItemId === c.lineItemId && l.metadata.is_overage !== 'true');
      if (index >= 0) lineCoupons.push({ ...association, lineId: String(index) });
    }
  }
  return { lineCoupons, invoiceCoupons, byAssociation };
}

/** The line with its amount in its custom price unit (FlexPrice: the line's amount ÷ the unit's rate, rounded to the currency). */
function withPriceUnitAmount(sub: BillableSubscription, line: ComputedLine): ComputedLine {
  const rate = line.subscriptionLineItemId === null ? null : sub.lines.find((l) => l.id === line.subscriptionLineItemId)?.conversionRate;
  return { ...line, priceUnitAmount: line.priceUnit && rate ? lineItemPriceUnitAmount(line.amount, rate, sub.currency) : null };
}

/**
 * A subscription invoice computed in FlexPrice's order (docs/flexprice-compatibility.md#invoices): the
 * charges `planInvoiceLines` plans for the window; fixed lines priced and prorated; usage read from
 * the meters and reduced by the subscription's included usage; the commitment (overage lines, true-up);
 * line coupons, then invoice coupons; prepaid credits (0 here: a draft and a preview show none, and the
 * finalization applies the wallets', invoice-prepaid-credits.ts); taxes when given; totals
 * and the status (SKIPPED when there is nothing to bill, but for the trial-start invoice).
 */
export async function calculateSubscriptionInvoice(input: CalculationInput): Promise<ComputedInvoice> {
  const { subscription: sub, period } = input;
  const currency = sub.currency;
  const plan = planInvoiceLines({ billingReason: input.billingReason, period, subscription: sub.invoicing, alreadyBilled: input.alreadyBilled });
  const itemIndex = new Map(sub.invoicing.lineItems.map((item, i) => [item.id, i]));
  const describe = (itemId: string) => {
    const billable = sub.lines[itemIndex.get(itemId)!]!;
    return {
      subscriptionLineItemId: itemId,
      priceId: billable.priceId,
      priceType: billable.priceType,
      displayName: billable.displayName,
      planDisplayName: billable.planDisplayName,
      entityId: billable.entityId,
      entityType: billable.entityType,
      meterId: billable.meterId,
      meterDisplayName: billable.meterDisplayName,
      priceUnitId: billable.priceUnitId,
      priceUnit: billable.priceUnit,
      priceUnitAmount: null,
    };
  };

  // Usage first: every read of every usage line in one batch.
  const reads: MeterUsageRequest[] = [];
  const usagePlans = plan.lines.map((line) => {
    if (line.kind !== 'usage') return null;
    const meterId = describe(line.subscriptionLineItemId).meterId;
    if (!meterId) throw new RangeError(`line item ${line.subscriptionLineItemId} is a usage price without a meter`);
    const allowance = allowancePlan(sub.entitlements.get(meterId), sub.invoicing.billingPeriod);
    const requests = usageReads(sub, line, meterId, allowance);
    const first = reads.length;
    reads.push(...requests);
    return { allowance, first, count: requests.length };
  });
  const usage = reads.length ? await input.usage(reads) : [];

  const lines: ComputedLine[] = plan.lines.map((line, i) => {
    const item = sub.invoicing.lineItems[itemIndex.get(line.subscriptionLineItemId)!]!;
    const common = { ...describe(line.subscriptionLineItemId), period: line.period, ...zeroLine, commitmentInfo: null };
    if (line.kind !== 'usage') {
      const { amount } = fixedChargeAmount(line, item.price.rated);
      return { ...common, amount, quantity: line.quantity, adjustedEntitlementQuantity: null, metadata: { description: `${common.displayName} (Fixed Charge)` } };
    }
    const u = usagePlans[i]!;
    const read = usage.slice(u.first, u.first + u.count);
    const main = read[0]!;
    const charge = usageCharge({
      price: item.price.rated,
      usage: main.buckets ? { buckets: main.buckets } : { quantity: main.total },
      allowance: u.allowance,
      windowQuantities: u.allowance.kind === 'per_reset_window' ? (main.windows ?? []) : undefined,
      cumulativeUsage: u.allowance.kind === 'lifetime' ? { before: read[1]!.total, through: read[2]!.total } : undefined,
    });
    return {
      ...common,
      amount: charge.amount,
      quantity: charge.quantity,
      adjustedEntitlementQuantity: charge.adjustedEntitlementQuantity,
      metadata: { description: `${common.displayName} (Usage Charge)` },
    };
  });

  if (input.openingCredit) netInto(lines, input.openingCredit);
  const committed = commitmentLines(sub, lines).map((l) => withPriceUnitAmount(sub, l));
  const { lineCoupons, invoiceCoupons, byAssociation } = applicableCoupons(sub, period, input.priorApplications, committed);
  const discounts = applyInvoiceDiscounts({
    currency,
    lines: committed.map((l, i) => ({ id: String(i), amount: l.amount })),
    lineCoupons,
    invoiceCoupons,
  });
  const credits = applyPrepaidCredits(
    discounts.lines.map((d, i) => ({ id: d.id, priceType: committed[i]!.priceType, amountAfterDiscounts: d.amountAfterDiscounts })),
    '0',
    currency,
  );
  const finalLines = committed.map((l, i) => ({
    ...l,
    lineItemDiscount: discounts.lines[i]!.lineItemDiscount,
    invoiceLevelDiscount: discounts.lines[i]!.invoiceLevelDiscount,
    prepaidCreditsApplied: credits.lines[i]!.prepaidCreditsApplied,
  }));
  const totals = invoiceTotals({ currency, lines: finalLines, taxRates: input.taxRates ?? [] });
  const applications = discounts.applications.map(({ invoiceLineId, ...a }) => ({
    ...a,
    lineIndex: invoiceLineId === null ? null : Number(invoiceLineId),
    snapshot: byAssociation.get(a.couponAssociationId)?.snapshot ?? {},
  }));
  return { lines: finalLines, applications, totals, status: computedInvoiceStatus('SUBSCRIPTION', input.billingReason, totals.subtotal) };
}

/** The credit lowers the FIXED lines in order (after their rounding, before coupons); each line it reaches records what it took. */
function netInto(lines: ComputedLine[], credit: string): void {
  const fixed = lines.filter((l) => l.priceType === 'FIXED');
  const netted = netOpeningCredit(fixed.map((l) => l.amount), credit);
  fixed.forEach((line, i) => {
    if (netted.taken[i] === '0') return;
    line.amount = netted.amounts[i]!;
    line.metadata = { ...line.metadata, plan_change_credit: netted.taken[i]! };
  });
}

/**
 * The subscription's commitment over the usage lines (docs/flexprice-compatibility.md#commitments):
 * each usage line keeps the part consumed within the commitment at list price, an overage line
 * "<name> (Overage)" follows it for the rest at the factor, and a true-up line "<plan> True Up" ends
 * the invoice when enabled and nothing overran. Without a commitment the lines stand.
 */
function commitmentLines(sub: BillableSubscription, lines: ComputedLine[]): ComputedLine[] {
  const usage = lines.map((l, i) => ({ l, i })).filter(({ l }) => l.priceType === 'USAGE');
  if (!usage.length) return lines;
  const result = applyCommitment(sub.commitment, usage.map(({ l, i }) => ({ id: String(i), amount: l.amount, quantity: l.quantity })), sub.currency);
  if (!result.applies) return lines;
  const factor = sub.commitment.overageFactor ?? '1';
  const info = (extra: CommitmentInfo): CommitmentInfo => ({
    type: 'amount',
    amount: sub.commitment.commitmentAmount ?? '0',
    overage_factor: factor,
    true_up_enabled: sub.commitment.enableTrueUp,
    is_windowed: false,
    ...extra,
  });
  const out: ComputedLine[] = [];
  lines.forEach((line, i) => {
    if (line.priceType !== 'USAGE') {
      out.push(line);
      return;
    }
    for (const charge of result.charges.filter((c) => c.sourceLineId === String(i))) {
      if (!charge.isOverage) {
        out.push({ ...line, amount: charge.amount, quantity: charge.quantity, commitmentInfo: info({ computed_commitment_utilized_amount: charge.amount, computed_overage_amount: '0', computed_true_up_amount: '0' }) });
      } else {
        out.push({
          ...line,
          displayName: `${line.displayName} (Overage)`,
          amount: charge.amount,
          quantity: charge.quantity,
          adjustedEntitlementQuantity: null,
          commitmentInfo: info({ computed_commitment_utilized_amount: '0', computed_overage_amount: charge.amount, computed_true_up_amount: '0' }),
          metadata: { description: `${line.displayName} (Overage)`, is_overage: 'true', overage_factor: factor },
        });
      }
    }
  });
  if (result.trueUp) {
    const { amount, commitmentAmount, commitmentUtilized } = result.trueUp;
    const period = lines.find((l) => l.priceType === 'USAGE')!.period;
    out.push({
      subscriptionLineItemId: null,
      priceId: null,
      priceType: 'FIXED',
      displayName: `${sub.planName} True Up`,
      planDisplayName: sub.planName,
      entityId: sub.planId,
      entityType: 'plan',
      meterId: null,
      meterDisplayName: null,
      priceUnitId: null,
      priceUnit: null,
      priceUnitAmount: null,
      amount,
      quantity: '1',
      period,
      adjustedEntitlementQuantity: null,
      ...zeroLine,
      commitmentInfo: info({ computed_commitment_utilized_amount: commitmentUtilized, computed_overage_amount: '0', computed_true_up_amount: amount }),
      metadata: { description: `${sub.planName} True Up`, is_commitment_trueup: 'true', commitment_amount: commitmentAmount, commitment_utilized: commitmentUtilized },
    });
  }
  return out;
}
