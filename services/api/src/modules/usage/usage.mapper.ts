import type { components } from '@tally/contract';
import { toDecimalString, type Quantity } from '../../billing/usage/index.ts';
import { toJsonNumber } from '../../wire/decimal-json-number.ts';
import type { UsageAnswer } from './usage.service.ts';

export type UsageResponse = components['schemas']['GetUsageResponse'];

/** FlexPrice prints times as RFC 3339 in UTC without empty fractions: `2024-03-13T00:00:00Z`. */
const toWireTime = (d: Date) => d.toISOString().replace('.000Z', 'Z');

/** Each value twice: a JSON number (FlexPrice's type) and the exact decimal string (Tally's `value_decimal`). */
const valueFields = (q: Quantity) => ({ value: toJsonNumber(q), value_decimal: toDecimalString(q) });

export function toApiUsage(answer: UsageAnswer): UsageResponse {
  const { outcome } = answer;
  return {
    event_name: answer.eventName,
    type: answer.type,
    ...valueFields(outcome.value),
    ...(outcome.results ? { results: outcome.results.map((r) => ({ window_size: toWireTime(r.start), ...valueFields(r.value) })) } : {}),
  };
}
