import { ExactDecimal } from '../money/index.ts';
import {
  contains,
  durationMs,
  nextBillingDate,
  periodShare,
  previousBillingDate,
  prorationCoefficient,
  type Fraction,
  type Period,
} from '../period/index.ts';
import { isAlreadyBilled, samePeriod, type BilledCharge } from './already-billed.ts';
import type { WindowBillingReason } from './billing-reason.ts';
import { scheduleOf, subscriptionEnd, type InvoicingSubscription } from './invoicing-subscription.ts';
import { checkLineItem, type InvoiceCadence, type SubscriptionLineItem } from './line-item.ts';
import { isLongerPeriod, longerLinePeriod } from './longer-period-line.ts';

/** A fixed charge billed in advance, in arrear, or once. */
export type FixedChargeKind = 'fixed_advance' | 'fixed_arrear' | 'one_time';
export type ChargeKind = FixedChargeKind | 'usage';

/**
 * Why a fixed line is charged less than its price's full cost: `time_ratio` (the line item is active
 * for only part of the window), `calendar_first_period` (the partial first period of calendar
 * billing with create_prorations), `trial` (the trial-start invoice, all zero).
 */
export type ChargeProration = 'none' | 'time_ratio' | 'calendar_first_period' | 'trial';

type PlannedCharge = {
  subscriptionLineItemId: string;
  priceId: string;
  /** The invoice line's period_start/period_end. */
  period: Period;
};

/**
 * A fixed charge: the price's cost for `quantity`, times `share` (1 for a whole period), rounded
 * once (`fixedChargeAmount`).
 */
export type PlannedFixedLine = PlannedCharge & {
  kind: FixedChargeKind;
  priceType: 'FIXED';
  quantity: string;
  share: Fraction;
  proration: ChargeProration;
};

/** A usage charge: the meter's usage over `usageWindow` (the line item's active part of the period), priced by `usageCharge`. */
export type PlannedUsageLine = PlannedCharge & { kind: 'usage'; priceType: 'USAGE'; usageWindow: Period };

export type PlannedLine = PlannedFixedLine | PlannedUsageLine;

/** A charge left off because it is on an invoice already. */
export type SkippedCharge = PlannedCharge & { kind: ChargeKind; reason: 'already_billed' };

export type InvoicePlanInput = {
  billingReason: WindowBillingReason;
  /**
   * The invoice's period_start/period_end: the first period (SUBSCRIPTION_CREATE), the ended period
   * (SUBSCRIPTION_CYCLE), the trial (SUBSCRIPTION_TRIAL_START), the first period after the trial
   * (SUBSCRIPTION_TRIAL_END).
   */
  period: Period;
  subscription: InvoicingSubscription;
  /** Charges on the subscription's DRAFT and FINALIZED invoices; none for a preview. */
  alreadyBilled?: readonly BilledCharge[];
};

export type InvoicePlan = {
  billingReason: WindowBillingReason;
  period: Period;
  /** The period ADVANCE charges are billed for: the window itself, or the next period on a period-end invoice (null when there is none). */
  advancePeriod: Period | null;
  lines: PlannedLine[];
  skipped: SkippedCharge[];
};

const whole: Fraction = { numerator: new ExactDecimal(1), denominator: new ExactDecimal(1) };
const nothing: Fraction = { numerator: new ExactDecimal(0), denominator: new ExactDecimal(1) };

const later = (a: Date, b: Date) => (a > b ? a : b);
const earlier = (a: Date, b: Date) => (a < b ? a : b);

/** The part of `window` the line item is active in: within its own dates and the subscription's. */
function activeIn(item: SubscriptionLineItem, window: Period, sub: InvoicingSubscription, end: Date | null): Period | undefined {
  const start = later(later(item.startDate, sub.startDate), window.start);
  let stop = window.end;
  if (item.endDate) stop = earlier(stop, item.endDate);
  if (end) stop = earlier(stop, end);
  return start < stop ? { start, end: stop } : undefined;
}

/**
 * The partial first period of a calendar subscription with create_prorations, and the share of it
 * charged: FlexPrice's coefficient over the full calendar period ending at the anchor (started
 * Apr 16, Apr 1 → May 1: about half). Undefined for anniversary billing, without create_prorations,
 * when line items have mixed billing periods, or when the first period is not cut by the anchor.
 */
function calendarFirstPeriod(sub: InvoicingSubscription): { period: Period; share: Fraction } | undefined {
  if (sub.billingCycle !== 'calendar' || sub.prorationBehavior !== 'create_prorations') return undefined;
  const mixed = sub.lineItems.some(
    (i) => i.price.billingPeriod !== 'ONETIME' && (i.price.billingPeriod !== sub.billingPeriod || i.price.billingPeriodCount !== sub.billingPeriodCount),
  );
  if (mixed || !(sub.startDate < sub.billingAnchor)) return undefined;
  const fullStart = previousBillingDate(sub.billingAnchor, sub.billingPeriod, sub.billingPeriodCount, sub.timezone);
  return { period: { start: sub.startDate, end: sub.billingAnchor }, share: prorationCoefficient({ start: fullStart, end: sub.billingAnchor }, sub.startDate) };
}

type Composer = { sub: InvoicingSubscription; end: Date | null; firstPeriod: { period: Period; share: Fraction } | undefined };

/** A recurring fixed line for `window`: whole, by time ratio, or prorated as the calendar first period. */
function recurringFixedLine(c: Composer, item: SubscriptionLineItem, window: Period, kind: 'fixed_advance' | 'fixed_arrear'): PlannedFixedLine | undefined {
  const { sub, end } = c;
  const base = { kind, priceType: 'FIXED' as const, subscriptionLineItemId: item.id, priceId: item.price.id, quantity: item.quantity };
  const cadence: InvoiceCadence = kind === 'fixed_advance' ? 'ADVANCE' : 'ARREAR';
  const unit = item.price.billingPeriod;
  if (unit === 'ONETIME') throw new RangeError(`line item ${item.id}: a ONETIME price has no recurring charge`);
  if (isLongerPeriod(unit, item.price.billingPeriodCount, sub.billingPeriod, sub.billingPeriodCount)) {
    const own = longerLinePeriod(item, window, cadence, sub.timezone, item.endDate && end ? earlier(item.endDate, end) : (item.endDate ?? end));
    return own ? { ...base, period: own, share: whole, proration: 'none' } : undefined;
  }
  const active = activeIn(item, window, sub, end);
  if (!active) return undefined;
  if (durationMs(active) < durationMs(window)) return { ...base, period: active, share: periodShare(window, active), proration: 'time_ratio' };
  if (c.firstPeriod && samePeriod(window, c.firstPeriod.period)) return { ...base, period: window, share: c.firstPeriod.share, proration: 'calendar_first_period' };
  return { ...base, period: window, share: whole, proration: 'none' };
}

/** ADVANCE fixed charges for `window`: recurring ones, and one-time lines that start inside it. */
function advanceCharges(c: Composer, window: Period): PlannedFixedLine[] {
  const lines: PlannedFixedLine[] = [];
  for (const item of c.sub.lineItems) {
    if (item.price.type !== 'FIXED' || item.price.invoiceCadence !== 'ADVANCE') continue;
    if (item.price.billingPeriod === 'ONETIME') {
      const billable = contains(window, item.startDate) && (!c.end || item.startDate < c.end) && (!item.endDate || item.startDate < item.endDate);
      if (billable) {
        const at = item.startDate;
        lines.push({ kind: 'one_time', priceType: 'FIXED', subscriptionLineItemId: item.id, priceId: item.price.id, quantity: item.quantity, period: { start: at, end: at }, share: whole, proration: 'none' });
      }
      continue;
    }
    const line = recurringFixedLine(c, item, window, 'fixed_advance');
    if (line) lines.push(line);
  }
  return lines;
}

/** ARREAR fixed charges and usage charges for the ended `window`. */
function arrearCharges(c: Composer, window: Period): PlannedLine[] {
  const lines: PlannedLine[] = [];
  for (const item of c.sub.lineItems) {
    if (item.price.invoiceCadence !== 'ARREAR') continue;
    if (item.price.type === 'USAGE') {
      const active = activeIn(item, window, c.sub, c.end);
      if (active) lines.push({ kind: 'usage', priceType: 'USAGE', subscriptionLineItemId: item.id, priceId: item.price.id, period: active, usageWindow: active });
      continue;
    }
    const line = recurringFixedLine(c, item, window, 'fixed_arrear');
    if (line) lines.push(line);
  }
  return lines;
}

/** The period after the ended `window`, or null when billing stops at or before its end. */
function nextPeriod(sub: InvoicingSubscription, window: Period, end: Date | null): Period | null {
  if (end && end <= window.end) return null;
  const { anchor, unit, count, timezone } = scheduleOf(sub);
  return { start: window.end, end: nextBillingDate(window.end, anchor, unit, count, timezone, end) };
}

/**
 * Which charges a subscription invoice holds and for which period each (docs/flexprice-compatibility.md#invoices):
 *
 * - SUBSCRIPTION_CREATE (opening) and SUBSCRIPTION_TRIAL_END: the ADVANCE fixed charges of the
 *   window, and one-time charges whose line item starts in it. No ARREAR, no usage.
 * - SUBSCRIPTION_TRIAL_START: the same lines, all charged 0 (`share` 0).
 * - SUBSCRIPTION_CYCLE (period end): ARREAR fixed charges and usage for the ended window, and the
 *   ADVANCE charges of the next period (line period = the next period) unless billing ends at or
 *   before the boundary (end date or scheduled cancellation) or the line item does.
 * - PRORATION (the final invoice of an immediate cancellation, window = [period start, cancellation)):
 *   the ARREAR fixed charges and usage of the window, which ends where the subscription ends. As in
 *   FlexPrice, a fixed ARREAR line active for the whole (shortened) window is charged whole. No
 *   ADVANCE charge: the period after it is never billed.
 *
 * A fixed line active for only part of its window is charged `cost × active time ÷ window length`
 * (`time_ratio`); a line whose period is longer than the subscription's is charged whole, on the
 * invoice whose window holds its period's start (ADVANCE) or end (ARREAR); the partial first period
 * of calendar billing with create_prorations is charged FlexPrice's coefficient. Any charge whose
 * price was billed for the same or an overlapping period (`alreadyBilled`) is left off.
 */
export function planInvoiceLines(input: InvoicePlanInput): InvoicePlan {
  const { billingReason, period: window, subscription: sub } = input;
  if (!(window.start < window.end)) throw new RangeError('an invoice period must start before it ends');
  sub.lineItems.forEach(checkLineItem);
  const end = subscriptionEnd(sub);
  const c: Composer = { sub, end, firstPeriod: calendarFirstPeriod(sub) };
  let advancePeriod: Period | null = window;
  let planned: PlannedLine[];
  switch (billingReason) {
    case 'SUBSCRIPTION_CREATE':
    case 'SUBSCRIPTION_TRIAL_END':
      planned = advanceCharges(c, window);
      break;
    case 'SUBSCRIPTION_TRIAL_START':
      planned = advanceCharges(c, window).map((line) => ({ ...line, share: nothing, proration: 'trial' }));
      break;
    case 'SUBSCRIPTION_CYCLE': {
      advancePeriod = nextPeriod(sub, window, end);
      planned = [...arrearCharges(c, window), ...(advancePeriod ? advanceCharges(c, advancePeriod) : [])];
      break;
    }
    case 'PRORATION': {
      if (!end || end.getTime() !== window.end.getTime()) throw new RangeError('a cancel invoice ends where the subscription ends');
      advancePeriod = null;
      planned = arrearCharges(c, window);
      break;
    }
  }
  const billed = input.alreadyBilled ?? [];
  const lines: PlannedLine[] = [];
  const skipped: SkippedCharge[] = [];
  for (const line of planned) {
    if (isAlreadyBilled(line.priceId, line.period, billed)) {
      skipped.push({ kind: line.kind, subscriptionLineItemId: line.subscriptionLineItemId, priceId: line.priceId, period: line.period, reason: 'already_billed' });
    } else lines.push(line);
  }
  return { billingReason, period: window, advancePeriod, lines, skipped };
}
