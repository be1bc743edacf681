import type { Schemas } from '../../wire/contract-types.ts';
import { ExactDecimal } from '../../billing/money/index.ts';
import { displayAmount } from '../../billing/money/index.ts';
import { throwIfProblems, type Problems } from '../../errors/problems.ts';
import { parseDateInput } from '../../wire/date-input.ts';
import { toJsonNumber } from '../../wire/decimal-json-number.ts';
import { toPriceResponse } from '../prices/index.ts';
import type { SubscriptionUsageAnswer, SubscriptionUsageRequest } from './subscription-usage.ts';

const num = (value: string) => toJsonNumber(new ExactDecimal(value));

export function fromSubscriptionUsageRequest(body: Schemas['GetUsageBySubscriptionRequest']): SubscriptionUsageRequest {
  const errors: Problems = {};
  if (!body.subscription_id?.trim()) errors.subscription_id = 'is required';
  const start = parseDateInput(body.start_time, 'start_time', errors);
  const end = parseDateInput(body.end_time, 'end_time', errors);
  if (start && end && end < start) errors.end_time = 'must not be before start_time';
  throwIfProblems(errors);
  return { subscriptionId: body.subscription_id, start, end, lifetime: body.lifetime_usage === true };
}

export function toSubscriptionUsageResponse(u: SubscriptionUsageAnswer): Schemas['GetUsageBySubscriptionResponse'] {
  const c = u.commitment;
  return {
    amount: num(u.amount),
    amount_decimal: u.amount,
    currency: u.currency,
    display_amount: displayAmount(u.currency, u.amount),
    start_time: u.window.start.toISOString(),
    end_time: u.window.end.toISOString(),
    ...(c
      ? {
          commitment_amount: num(c.amount),
          ...(c.overageFactor ? { overage_factor: num(c.overageFactor) } : {}),
          commitment_utilized: num(c.utilized),
          overage_amount: num(c.overage),
          has_overage: !new ExactDecimal(c.overage).isZero(),
        }
      : {}),
    charges: u.charges.map((ch) => ({
      meter_display_name: ch.meterDisplayName,
      quantity: num(ch.quantity),
      quantity_decimal: ch.quantity,
      amount: num(ch.amount),
      amount_decimal: ch.amount,
      currency: u.currency,
      display_amount: displayAmount(u.currency, ch.amount),
      meter_id: ch.meterId,
      is_overage: ch.isOverage,
      ...(ch.overageFactor ? { overage_factor: num(ch.overageFactor) } : {}),
      subscription_line_item_id: ch.lineItemId,
      price: ch.price ? toPriceResponse(ch.price) : (undefined as never),
    })),
  };
}
