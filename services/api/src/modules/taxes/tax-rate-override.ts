import type { components } from '@tally/contract';
import type { Problems } from '../../errors/problems.ts';

type WireOverride = components['schemas']['TaxRateOverride'];

/**
 * FlexPrice's `TaxRateOverride`: a rate named by code for one customer, subscription or invoice
 * instead of the rates it would inherit. `currency` is lower-case; `autoApply` defaults to true.
 */
export type TaxRateOverride = {
  taxRateCode: string;
  currency: string;
  autoApply: boolean;
  priority: number;
  metadata: Record<string, string>;
};

const currencyCode = /^[A-Za-z]{3}$/;

/** A currency given on the wire: three letters, kept lower-case; `''` or absent is none. Records a problem under `field`. */
export function parseCurrencyCode(value: string | undefined | null, field: string, problems: Problems): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (!currencyCode.test(value)) {
    problems[field] = `must be a three-letter ISO currency code (e.g. "usd"), got '${value}'`;
    return null;
  }
  return value.toLowerCase();
}

/**
 * A request's `tax_rate_overrides` (under `field`, e.g. `tax_rate_overrides`), every problem recorded as
 * `<field>[i].<member>`. `null` when the request has none — which is not the same as `[]`: FlexPrice
 * inherits the rates above when the field is absent, and links nothing when it is an empty list.
 * Whether each code names a usable rate is checked where the overrides are used.
 */
export function parseTaxRateOverrides(input: readonly Partial<WireOverride>[] | undefined | null, field: string, problems: Problems): TaxRateOverride[] | null {
  if (input === undefined || input === null) return null;
  return input.map((o, i) => {
    const at = `${field}[${i}]`;
    const taxRateCode = o.tax_rate_code ?? '';
    if (taxRateCode.trim() === '') problems[`${at}.tax_rate_code`] = 'is required';
    const currency = parseCurrencyCode(o.currency, `${at}.currency`, problems);
    if (currency === null && problems[`${at}.currency`] === undefined) problems[`${at}.currency`] = 'is required';
    const priority = o.priority ?? 0;
    if (!Number.isInteger(priority) || priority < 0) problems[`${at}.priority`] = 'must be an integer ≥ 0';
    return { taxRateCode, currency: currency ?? '', autoApply: o.auto_apply ?? true, priority, metadata: o.metadata ?? {} };
  });
}
