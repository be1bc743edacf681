import { ExactDecimal, formatDecimal } from '../../billing/money/index.ts';
import { invalidFields } from '../../errors/app-error.ts';
import type { Schemas } from '../../wire/contract-types.ts';
import { canonicalDecimal } from '../../wire/canonical-decimal.ts';
import { toInvoiceResponse, type InvoiceView } from '../invoices/index.ts';
import type { Plan } from '../plans/index.ts';
import type { PlanChangeAt } from './subscription-change.convert.ts';
import type { ChangeType } from './subscription-plan-swap.ts';
import type { ReplacementCredit, ReplacementSpec } from './subscription-replacement.ts';
import type { Subscription } from './subscription.entity.ts';

/** A v1 plan change, as far as the request alone can tell. */
export type ReplacementRequest = ReplacementSpec & { changeAt: PlanChangeAt };

/** What a v1 plan change did (or, previewed, would do): at once, or scheduled for the period end. */
export type ReplacementOutcome = {
  old: Subscription;
  fromPlan: Plan | null;
  toPlan: Plan;
  changeType: ChangeType;
  effective: Date;
  /** The new subscription (absent while scheduled). */
  created: { subscription: Subscription; opening: InvoiceView } | null;
  /** The new subscription's first period as it would start (scheduled: at the period end). */
  newCycle: { start: Date; end: Date; anchor: Date; unit: ReplacementSpec['billingPeriod']; count: number };
  credit: ReplacementCredit | null;
  schedule: { id: string; at: Date } | null;
  metadata: Record<string, string>;
  warnings: string[];
  preview: boolean;
};

export function fromSubscriptionChangeRequest(body: Schemas['SubscriptionChangeRequest']): ReplacementRequest {
  return {
    targetPlanId: body.target_plan_id,
    prorationBehavior: body.proration_behavior,
    billingPeriod: body.billing_period === 'ONETIME' ? invalidPeriod() : body.billing_period,
    billingPeriodCount: body.billing_period_count || 1,
    billingCycle: body.billing_cycle,
    changeAt: body.change_at ?? 'immediate',
    metadata: body.metadata ?? {},
  };
}

function invalidPeriod(): never {
  throw invalidFields({ billing_period: 'must be a recurring period, not ONETIME' });
}

const planSummary = (p: Plan | null): Schemas['PlanSummary'] =>
  p ? { id: p.id, name: p.name, ...(p.lookupKey ? { lookup_key: p.lookupKey } : {}), ...(p.description ? { description: p.description } : {}) } : {};

const dayMs = 86_400_000;

function prorationDetails(o: ReplacementOutcome): Schemas['ProrationDetails'] | undefined {
  if (!o.credit) return undefined;
  const { start, end } = { start: o.old.currentPeriodStart, end: o.old.currentPeriodEnd };
  const credit = canonicalDecimal(o.credit.total);
  return {
    credit_amount: credit,
    credit_description: `Credit for unused time on plan ${o.fromPlan?.id ?? o.old.planId}`,
    charge_amount: '0',
    charge_description: `Charge for plan change from ${o.effective.toISOString().slice(0, 10)}`,
    net_amount: formatDecimal(new ExactDecimal(credit).negated()),
    proration_date: o.effective.toISOString(),
    current_period_start: start.toISOString(),
    current_period_end: end.toISOString(),
    days_used: Math.floor(Math.max(0, o.effective.getTime() - start.getTime()) / dayMs),
    days_remaining: Math.floor(Math.max(0, end.getTime() - o.effective.getTime()) / dayMs),
    currency: o.old.currency,
  };
}

/** The new subscription's opening invoice as FlexPrice's preview shape: its lines with the credit netted into them. */
function invoicePreview(v: InvoiceView): Schemas['InvoicePreview'] {
  const i = v.invoice;
  return {
    subtotal: canonicalDecimal(i.subtotal),
    tax_amount: canonicalDecimal(i.totalTax),
    total: canonicalDecimal(i.total),
    currency: i.currency,
    ...(i.dueDate ? { due_date: i.dueDate.toISOString() } : {}),
    line_items: (v.lines ?? []).map((l) => {
      const quantity = new ExactDecimal(l.quantity);
      const amount = new ExactDecimal(l.amount);
      return {
        description: l.displayName ?? l.priceId ?? '',
        amount: formatDecimal(amount),
        quantity: formatDecimal(quantity),
        unit_price: formatDecimal(quantity.isZero() ? amount : amount.div(quantity)),
        ...(l.periodStart ? { period_start: l.periodStart.toISOString() } : {}),
        ...(l.periodEnd ? { period_end: l.periodEnd.toISOString() } : {}),
        is_proration: l.metadata?.plan_change_credit !== undefined,
      };
    }),
  };
}

export function toSubscriptionChangePreviewResponse(o: ReplacementOutcome): Schemas['SubscriptionChangePreviewResponse'] {
  const details = prorationDetails(o);
  return {
    subscription_id: o.old.id,
    current_plan: planSummary(o.fromPlan),
    target_plan: planSummary(o.toPlan),
    change_type: o.changeType,
    ...(details ? { proration_details: details } : {}),
    ...(o.created ? { next_invoice_preview: invoicePreview(o.created.opening) } : {}),
    effective_date: o.effective.toISOString(),
    new_billing_cycle: {
      period_start: o.newCycle.start.toISOString(),
      period_end: o.newCycle.end.toISOString(),
      billing_anchor: o.newCycle.anchor.toISOString(),
      billing_cadence: 'RECURRING',
      billing_period: o.newCycle.unit,
      billing_period_count: o.newCycle.count,
    },
    warnings: o.warnings,
    metadata: o.metadata,
  };
}

function summary(s: Subscription, archived: boolean): Schemas['SubscriptionSummary'] {
  return {
    id: s.id,
    status: s.subscriptionStatus,
    plan_id: s.planId,
    current_period_start: s.currentPeriodStart.toISOString(),
    current_period_end: s.currentPeriodEnd.toISOString(),
    billing_anchor: s.billingAnchor.toISOString(),
    created_at: s.createdAt.toISOString(),
    ...(archived && s.cancelledAt ? { archived_at: s.cancelledAt.toISOString() } : {}),
  };
}

export function toSubscriptionChangeExecuteResponse(o: ReplacementOutcome): Schemas['SubscriptionChangeExecuteResponse'] {
  const details = prorationDetails(o);
  const invoice = o.created?.opening;
  return {
    is_scheduled: !!o.schedule,
    ...(o.schedule && !o.preview ? { schedule_id: o.schedule.id } : {}),
    ...(o.schedule ? { scheduled_at: o.schedule.at.toISOString() } : {}),
    old_subscription: summary(o.old, !!o.created),
    new_subscription: o.created ? summary(o.created.subscription, false) : {},
    change_type: o.changeType,
    ...(invoice ? { invoice: toInvoiceResponse(invoice) } : {}),
    ...(details ? { proration_applied: details } : {}),
    credit_grants: [],
    effective_date: o.effective.toISOString(),
    metadata: o.metadata,
  };
}
