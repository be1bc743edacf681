import { createHash } from 'node:crypto';
import type { AuthContext } from '../../auth-context.ts';
import { quantityProration } from '../../billing/invoicing/index.ts';
import { ExactDecimal, formatDecimal, zero } from '../../billing/money/index.ts';
import type { Tx } from '../../db/transactions.ts';
import { AppError, invalidFields } from '../../errors/app-error.ts';
import { touch } from '../../records.ts';
import type { ProrationCharge } from '../invoices/index.ts';
import { ratedPriceOf, type PriceReader } from '../prices/index.ts';
import { record } from '../webhooks/index.ts';
import { successorOf } from './subscription-line-item.service.ts';
import type { ChangedInvoice, ChangedLineItem, ModifyOutcome, QuantityChange } from './subscription-modify.convert.ts';
import { currentPeriodOf, isRecurringAdvance, prorationChargeOf, type ProrationSettlement } from './line-item-proration.ts';
import type { Subscription } from './subscription.entity.ts';
import type { SubscriptionRepo } from './subscription.repo.ts';
import { subscriptionEvent } from './subscription.webhook.ts';

export type QuantityFaces = { repo: SubscriptionRepo; priceReader: PriceReader; settlement: ProrationSettlement };

const refused = (message: string, details: Record<string, unknown>) => new AppError('invalid_operation', message, details);

/**
 * Each line item ends at its effective date and a successor with the new quantity starts there.
 * A FIXED ADVANCE line's difference for the rest of the current period is charged (one proration
 * invoice for the request) or credited (one PRE_PAID wallet top-up, capped at what the line was
 * charged for the period less its earlier credits); ARREAR lines are billed by time at each quantity at the period end.
 */
export async function modifyQuantities(tx: Tx, auth: AuthContext, sub: Subscription, changes: QuantityChange[], now: Date, faces: QuantityFaces): Promise<ModifyOutcome> {
  const id = sub.id;
  if (sub.subscriptionStatus !== 'active') throw refused(`subscription ${id} is ${sub.subscriptionStatus}; only an active subscription's quantities can change`, { id, subscription_status: sub.subscriptionStatus });
  const period = currentPeriodOf(sub);
  const items = await faces.repo.lineItemsOf(tx, auth, [sub.id]);
  const prices = await faces.priceReader.getMany(tx, auth, items.map((i) => i.priceId));
  const charged = await faces.settlement.invoices.lineItemCharges(tx, auth, sub.id, period);
  const changed: ChangedLineItem[] = [];
  const charges: ProrationCharge[] = [];
  let credit = zero;
  const keyParts: string[] = [];
  for (const [i, change] of changes.entries()) {
    const f = (field: string) => `quantity_change_params.line_items[${i}].${field}`;
    const item = items.find((l) => l.id === change.id);
    if (!item) throw invalidFields({ [f('id')]: `must name a line item of subscription ${id}` });
    if (item.priceType !== 'FIXED') throw invalidFields({ [f('id')]: 'names a USAGE line item; quantity changes apply to FIXED line items only' });
    const at = change.effectiveDate ?? now;
    if (at < period.start) throw invalidFields({ [f('effective_date')]: `must not be before the current period's start (${period.start.toISOString()})` });
    if (at >= period.end) throw invalidFields({ [f('effective_date')]: `must be before the current period's end (${period.end.toISOString()})` });
    if (at < item.startDate) throw invalidFields({ [f('effective_date')]: `must not be before the line item starts (${item.startDate.toISOString()})` });
    if (item.endDate && at >= item.endDate) throw invalidFields({ [f('id')]: `names a line item that ends at ${item.endDate.toISOString()}, not after effective_date` });
    if (new ExactDecimal(change.quantity).eq(item.quantity)) continue;
    const successor = faces.repo.addLineItem(tx, { ...successorOf(item, auth, now), quantity: change.quantity, startDate: at, endDate: item.endDate ?? null });
    const from = item.quantity;
    item.endDate = at;
    touch(item, auth, now);
    changed.push({ id: item.id, priceId: item.priceId, quantity: from, startDate: item.startDate, endDate: at, action: 'ended' });
    changed.push({ id: successor.id, priceId: successor.priceId, quantity: successor.quantity, startDate: at, endDate: successor.endDate ?? null, action: 'created' });
    keyParts.push(`${item.id}@${at.toISOString()}`);
    if (!isRecurringAdvance(item)) continue;
    // A line ending inside the period (a deletion scheduled) is worth the time up to its end.
    const until = successor.endDate && successor.endDate < period.end ? successor.endDate : period.end;
    const { amount } = quantityProration({ price: ratedPriceOf(prices.get(item.priceId)!), from, to: change.quantity, period, at, until });
    const delta = new ExactDecimal(change.quantity).minus(from);
    const description = `${item.displayName ?? item.priceId}: quantity ${from} → ${change.quantity} from ${at.toISOString()} to ${until.toISOString()}`;
    if (new ExactDecimal(amount).gt(0)) charges.push(prorationChargeOf(successor, amount, formatDecimal(delta), { start: at, end: until }, description));
    // Never more than the line was charged for this period less the credits it already received.
    else if (new ExactDecimal(amount).lt(0)) credit = credit.plus(await faces.settlement.capCredit(tx, auth, sub, item, items, charged, formatDecimal(new ExactDecimal(amount).negated()), at, 'quantity_change', now));
  }
  const invoices: ChangedInvoice[] = [];
  if (changed.length) {
    const key = createHash('sha256').update(`${sub.id}|${keyParts.join('|')}`).digest('hex');
    await faces.repo.flush(tx);
    const start = charges.reduce((min, c) => (c.period.start < min ? c.period.start : min), period.end);
    const invoice = await faces.settlement.charge(tx, auth, sub, charges, { start, end: period.end }, now, `qty-${key}`);
    if (invoice) invoices.push({ kind: 'invoice', invoice });
    const amount = formatDecimal(credit);
    const transactionId = await faces.settlement.credit(tx, auth, sub, amount, now, `qty-${key}`, `quantity change of subscription ${sub.id}`, {});
    if (transactionId !== undefined) invoices.push({ kind: 'wallet_credit', transactionId, amount });
    sub.version += 1;
    touch(sub, auth, now);
    await record(tx, auth, subscriptionEvent('subscription.updated', sub, now));
  }
  return { lineItems: changed, invoices };
}
