import type { AuthContext } from '../../auth-context.ts';
import { subscriptionEnd } from '../../billing/invoicing/index.ts';
import type { Tx } from '../../db/transactions.ts';
import type { RunMemo } from '../../jobs/run-memo.ts';
import { touch } from '../../records.ts';
import type { InvoiceService, InvoiceView } from '../invoices/index.ts';
import { record } from '../webhooks/index.ts';
import { periodFrom } from './subscription-periods.ts';
import type { SubscriptionReads } from './subscription-reads.ts';
import type { Subscription } from './subscription.entity.ts';
import { settled } from './subscription.service.ts';
import { cancel } from './subscription-cancellation.ts';
import { subscriptionEvent } from './subscription.webhook.ts';

export type TrialEndingFaces = { reads: SubscriptionReads; invoices: InvoiceService };

/** When billing of the subscription stops: the earlier of its end date and a scheduled cancellation. */
export const billingEndOf = (sub: Subscription) => subscriptionEnd({ endDate: sub.endDate ?? null, cancelAt: sub.cancelAt ?? null } as never);

/**
 * The trial is over at `sub.trialEnd` — reached by the bill run, or ended early by `modify`
 * `trial_end` — in the caller's unit of work: the anchor moves to the trial's end, the first paid
 * period starts, its ADVANCE charges are invoiced (`SUBSCRIPTION_TRIAL_END`, finalized at `at` — the
 * run's instant, so a run late after downtime numbers it in the month it really is finalized, as
 * renewals' invoices are), and the subscription is `incomplete` until that invoice is paid — `active`
 * at once when there is nothing to pay (`subscription.activated`; else `subscription.updated`). Trial
 * usage is never billed. Billing that ends by the trial's end cancels the subscription instead (no
 * invoice: null).
 */
export async function endTrial(tx: Tx, auth: AuthContext, sub: Subscription, at: Date, faces: TrialEndingFaces, memo?: RunMemo): Promise<InvoiceView | null> {
  const trialEnd = sub.trialEnd!;
  const end = billingEndOf(sub);
  if (end && end <= trialEnd) {
    await cancel(tx, auth, sub, end, at);
    return null;
  }
  const period = periodFrom(trialEnd, { anchor: trialEnd, unit: sub.billingPeriod, count: sub.billingPeriodCount, timezone: sub.timezone, end });
  sub.billingAnchor = trialEnd;
  sub.currentPeriodStart = period.start;
  sub.currentPeriodEnd = period.end;
  sub.subscriptionStatus = 'incomplete';
  const billable = await faces.reads.billableOf(tx, auth, sub, memo);
  const invoice = await faces.invoices.billSubscription(tx, auth, { subscription: billable, billingReason: 'SUBSCRIPTION_TRIAL_END', period, at, finalize: 'now', memo });
  if (settled(invoice.invoice)) sub.subscriptionStatus = 'active';
  sub.version += 1;
  touch(sub, auth, at);
  await record(tx, auth, subscriptionEvent(sub.subscriptionStatus === 'active' ? 'subscription.activated' : 'subscription.updated', sub, at));
  return invoice;
}
