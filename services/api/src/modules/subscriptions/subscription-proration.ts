import { proratedAdvanceCharge, unusedAdvanceCredit } from '../../billing/invoicing/index.ts';
import { currencyPrecision, ExactDecimal, formatDecimal, zero } from '../../billing/money/index.ts';
import { prorate, prorationCoefficient } from '../../billing/period/index.ts';
import type { ProrationDetail } from './subscription-cancel.convert.ts';
import type { SubscriptionLineItem } from './subscription-line-item.entity.ts';

const dayMs = 86_400_000;
type Period = { start: Date; end: Date };

/** A recurring FIXED charge billed at the start of its period: what proration credits and charges. */
export const isRecurringAdvance = (item: Pick<SubscriptionLineItem, 'priceType' | 'invoiceCadence' | 'billingPeriod'>): boolean =>
  item.priceType === 'FIXED' && item.invoiceCadence === 'ADVANCE' && item.billingPeriod !== 'ONETIME';

/**
 * What a line is credited by: its price's cost at its quantity (`costs`, by line item id), every line
 * item of the subscription (`all`, for the predecessors a line continues) and the proration credits
 * each line item already received this period (`credited`, by line item id).
 */
export type LineCosts = { costs: ReadonlyMap<string, string>; credited: ReadonlyMap<string, string>; all: readonly SubscriptionLineItem[] };

/**
 * The credit for the unused part, from `at` to the period end, of each FIXED ADVANCE charge of the
 * period (docs/flexprice-compatibility.md#proration).
 *
 * With `lines` (docs/api/subscriptions.md#proration-caps): each line item still held after `at` is
 * credited its cost for the time from `at` (or its later start) to its end inside the period, capped at
 * what its line (`lineageOf`) was charged for the period (`charged`, by line
 * item id) less the credits the line already received; a line item ended by then gets nothing.
 * Without: the share of what each line item was charged for the period (net of earlier credits), so
 * never more than that. Lines charged nothing get nothing.
 */
export function unusedAdvanceCredits(lineItems: readonly SubscriptionLineItem[], charged: ReadonlyMap<string, string>, period: Period, at: Date, currency: string, lines?: LineCosts) {
  const details: ProrationDetail[] = [];
  // Credits given here count against the line's cap for its other line items credited here.
  const given = new Map<string, string>(lines?.credited);
  let total = zero;
  for (const item of lineItems) {
    if (!isRecurringAdvance(item)) continue;
    let billed: ExactDecimal;
    let credit: string;
    if (lines) {
      if (item.endDate && item.endDate <= at) continue;
      const lineage = lineageOf(item, lines.all);
      billed = lineage.reduce((s, l) => s.plus(charged.get(l.id) ?? '0'), zero);
      const credited = lineage.reduce((s, l) => s.plus(given.get(l.id) ?? '0'), zero);
      const to = item.endDate && item.endDate < period.end ? item.endDate : period.end;
      const unused = unusedShare(lines.costs.get(item.id) ?? '0', period, item.startDate > at ? item.startDate : at, to, currency);
      credit = cappedCredit(unused, billed.toFixed(), credited.toFixed());
      if (billed.lte(0)) continue;
      given.set(item.id, formatDecimal(new ExactDecimal(given.get(item.id) ?? '0').plus(credit)));
    } else {
      billed = new ExactDecimal(charged.get(item.id) ?? '0');
      if (billed.lte(0)) continue;
      // The unused share of what the line was charged for the period (equal to amount × quantity for a flat fee).
      credit = unusedAdvanceCredit({ amount: billed.toFixed(), quantity: '1', period, at, currency, billed: billed.toFixed(), alreadyCredited: '0' }).credit;
    }
    total = total.plus(credit);
    details.push({
      lineItemId: item.id,
      priceId: item.priceId,
      planName: item.planDisplayName,
      originalAmount: formatDecimal(billed),
      creditAmount: credit,
      prorationDays: Math.floor(Math.max(0, period.end.getTime() - at.getTime()) / dayMs),
      description: `unused time of ${item.displayName ?? item.priceId} from ${at.toISOString()} to ${period.end.toISOString()}`,
    });
  }
  return { details, total: formatDecimal(total) };
}

/** A line's prorated charge for the rest of the period from `at`: `amount × quantity` × the same coefficient. */
export type ProratedCharge = { item: SubscriptionLineItem; amount: string };

/** The charge, from `at` to the period end, of each new FIXED ADVANCE line (its price's `amount` given by price id). */
export function remainingAdvanceCharges(lineItems: readonly SubscriptionLineItem[], amounts: ReadonlyMap<string, string>, period: Period, at: Date, currency: string): ProratedCharge[] {
  return lineItems
    .filter(isRecurringAdvance)
    .map((item) => ({ item, amount: proratedAdvanceCharge({ amount: amounts.get(item.priceId) ?? '0', quantity: item.quantity, period, at, currency }) }))
    .filter((c) => new ExactDecimal(c.amount).gt(0));
}

/**
 * The line items one line goes through: `item`, the predecessors it continues and the successors
 * that continue it (the same price in the same place, each ending where the next one starts — a
 * quantity change's successor). What "that line" was charged and credited for a period is counted
 * over all of them.
 */
export function lineageOf(item: SubscriptionLineItem, items: readonly SubscriptionLineItem[]): SubscriptionLineItem[] {
  const chain = [item];
  const same = (l: SubscriptionLineItem) => !chain.includes(l) && l.id !== item.id && l.priceId === item.priceId && l.position === item.position;
  for (let head = item; ; ) {
    const before = items.find((l) => same(l) && l.endDate?.getTime() === head.startDate.getTime());
    if (!before) break;
    chain.push(before);
    head = before;
  }
  for (let tail = item; tail.endDate; ) {
    const end = tail.endDate.getTime();
    const after = items.find((l) => same(l) && l.startDate.getTime() === end);
    if (!after) break;
    chain.push(after);
    tail = after;
  }
  return chain;
}

/**
 * The value of a FIXED ADVANCE charge of `cost` for the period that goes unused from `from` to `to`
 * (the line's own end, or the period's): cost × (c(from) − c(to)) with FlexPrice's coefficient
 * c(t) = (end − 1 s − t) ÷ (end − 1 s − start), rounded once to the currency; 0 when `to` is not
 * after `from`. For a line held to the period end (c(end) = 0) it is the familiar cost × c(from).
 */
export function unusedShare(cost: string, period: Period, from: Date, to: Date, currency: string): string {
  if (to <= from) return '0';
  const a = prorationCoefficient(period, from);
  const b = prorationCoefficient(period, to);
  return formatDecimal(prorate(new ExactDecimal(cost), { numerator: a.numerator.minus(b.numerator), denominator: a.denominator }, currencyPrecision(currency)));
}

/**
 * A proration credit as FlexPrice caps it: the unused value, but never more than the line was charged
 * for the period less the credits it already received (never below 0).
 */
export function cappedCredit(unused: string, charged: string, credited: string): string {
  const room = ExactDecimal.max(new ExactDecimal(charged).minus(credited), zero);
  return formatDecimal(ExactDecimal.max(ExactDecimal.min(new ExactDecimal(unused), room), zero));
}
