import { throwIfProblems, type Problems } from '../../errors/problems.ts';
import { canonicalDecimal } from '../../wire/canonical-decimal.ts';
import type { Schemas } from '../../wire/contract-types.ts';
import { toInvoiceResponse } from '../invoices/index.ts';
import type { Plan } from '../plans/index.ts';
import { toWalletTransactionResponse } from '../wallets/index.ts';
import type { AddonPolicy, EntityBehaviour, PlanChangeSpec, SwapResult } from './subscription-plan-swap.ts';
import { toSubscriptionResponse, type SubscriptionView } from './subscription-response.ts';

export type PlanChangeAt = Schemas['PlanChangeAt'];

/** A plan change in place, as far as the request alone can tell. */
export type PlanChangeRequest = PlanChangeSpec & { changeAt: PlanChangeAt; metadata: Record<string, string> };

/** What a plan change did (or, previewed, would do): at once (`swap`) or scheduled for the period end. */
export type PlanChangeOutcome = {
  subscription: SubscriptionView;
  fromPlan: Plan | null;
  toPlan: Plan;
  changeType: SwapResult['changeType'];
  effective: Date;
  swap: SwapResult | null;
  closing: SwapResult['closing'];
  entityChanges: SwapResult['entityChanges'];
  warnings: string[];
  schedule: { id: string; at: Date } | null;
  metadata: Record<string, string>;
  preview: boolean;
};

export function fromSubscriptionChangeV2Request(body: Schemas['SubscriptionChangeV2Request']): PlanChangeRequest {
  const errors: Problems = {};
  const changeAt = body.change_at ?? 'immediate';
  if (changeAt === 'end_of_period' && body.proration_behavior === 'create_prorations') {
    errors.proration_behavior = "is not applicable for an end_of_period plan change; use none (the period's end invoice already bills the new plan)";
  }
  const addonPolicy = fromAddonPolicy(body.entity_policies?.addons, errors);
  throwIfProblems(errors);
  return {
    targetPlanId: body.target_plan_id,
    prorationBehavior: body.proration_behavior,
    idempotencyKey: body.idempotency_key || null,
    addonPolicy,
    changeAt,
    metadata: body.metadata ?? {},
  };
}

/** `entity_policies.addons`: `carry` or `drop` (FlexPrice's server refuses its enum's `add` too). */
function fromAddonPolicy(policy: Schemas['EntityChangePolicy'] | undefined, errors: Problems): AddonPolicy | null {
  if (!policy) return null;
  const behaviour = (value: string | undefined, field: string): EntityBehaviour | null => {
    if (value === undefined || value === '') return null;
    if (value === 'carry' || value === 'drop') return value;
    errors[field] = `must be carry or drop, not ${value}`;
    return null;
  };
  const overrides: Record<string, EntityBehaviour> = {};
  for (const [id, value] of Object.entries(policy.overrides ?? {})) {
    const b = behaviour(value, `entity_policies.addons.overrides.${id}`);
    if (b) overrides[id] = b;
  }
  return { defaultBehaviour: behaviour(policy.default_behaviour, 'entity_policies.addons.default_behaviour') ?? 'carry', overrides };
}

const planSummary = (p: Plan | null): Schemas['PlanSummary'] =>
  p ? { id: p.id, name: p.name, ...(p.lookupKey ? { lookup_key: p.lookupKey } : {}), ...(p.description ? { description: p.description } : {}) } : {};

function changedInvoices(o: PlanChangeOutcome): Schemas['ChangedInvoice'][] {
  const s = o.swap?.settlement;
  if (!s) return [];
  const status = o.preview ? 'preview' : 'issued';
  if (s.kind === 'invoice') return [{ ...(o.preview ? {} : { id: s.invoice.invoice.id }), action: 'created', status, invoice: toInvoiceResponse(s.invoice) }];
  return [{ ...(o.preview ? {} : { id: s.transaction.id }), action: 'wallet_credit', status, wallet_transaction: toWalletTransactionResponse(s.transaction) }];
}

function changedLineItems(o: PlanChangeOutcome): Schemas['ChangedLineItem'][] {
  if (!o.swap) return []; // scheduled: nothing changed yet
  const ended = o.closing.map((l) => ({
    id: l.id,
    subscription_id: l.subscriptionId,
    price_id: l.priceId,
    quantity: canonicalDecimal(l.quantity),
    start_date: l.startDate.toISOString(),
    end_date: (l.endDate ?? o.effective).toISOString(),
    change_action: 'ended' as const,
  }));
  const created = (o.swap?.opened ?? []).map((l) => ({
    id: l.id,
    subscription_id: l.subscriptionId,
    price_id: l.priceId,
    quantity: canonicalDecimal(l.quantity),
    start_date: l.startDate.toISOString(),
    change_action: 'created' as const,
  }));
  return [...ended, ...created];
}

export function toSubscriptionChangeV2Response(o: PlanChangeOutcome): Schemas['SubscriptionChangeV2Response'] {
  const sub = o.subscription.subscription;
  return {
    subscription: toSubscriptionResponse(o.subscription),
    from_plan: planSummary(o.fromPlan),
    to_plan: planSummary(o.toPlan),
    change_type: o.changeType,
    effective_at: o.effective.toISOString(),
    is_scheduled: !!o.schedule,
    ...(o.schedule && !o.preview ? { schedule_id: o.schedule.id } : {}),
    ...(o.schedule ? { scheduled_at: o.schedule.at.toISOString() } : {}),
    changed_resources: {
      invoices: changedInvoices(o),
      line_items: changedLineItems(o),
      subscriptions: o.swap ? [{ id: sub.id, action: 'updated', status: sub.subscriptionStatus, current_period_end: sub.currentPeriodEnd.toISOString() }] : [],
    },
    entity_changes: o.entityChanges.map((c) => ({ entity_type: 'addon' as const, entity_id: c.addonId, reference_id: c.associationId, behaviour: c.behaviour })),
    warnings: o.warnings,
    metadata: o.metadata,
  };
}
