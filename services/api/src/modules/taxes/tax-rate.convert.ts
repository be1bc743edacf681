import type { components } from '@tally/contract';
import { ExactDecimal, formatDecimal } from '../../billing/money/index.ts';
import type { TaxRateType } from '../../billing/invoicing/index.ts';
import { throwIfProblems, type Problems } from '../../errors/problems.ts';
import { parseExpand } from '../../listing/expand.ts';
import { listQueryOf, type ListQuery } from '../../listing/list-query.ts';
import type { QueryParams } from '../../wire/contract-types.ts';
import { compareDecimals, parseDecimal } from '../../wire/decimal-input.ts';
import { recordFields } from '../../wire/record-fields.ts';
import type { TaxRate, TaxRateScope, TaxRateStatus } from './tax-rate.entity.ts';
import { taxRateSearchFields } from './tax-rate.search.ts';

type CreateRequest = components['schemas']['CreateTaxRateRequest'];
type UpdateRequest = components['schemas']['UpdateTaxRateRequest'];
export type TaxRateResponse = components['schemas']['TaxRateResponse'];

/** A tax rate to create, validated: exactly one value, the one its type uses. */
export type NewTaxRate = {
  name: string;
  code: string;
  description: string;
  taxRateType: TaxRateType;
  percentageValue: string | null;
  fixedValue: string | null;
  scope: TaxRateScope;
  metadata: Record<string, string>;
};

/** Changes to a tax rate: `undefined` leaves a field as it is. */
export type TaxRateChanges = {
  name?: string;
  code?: string;
  description?: string;
  taxRateStatus?: TaxRateStatus;
  metadata?: Record<string, string>;
};

const blank = (s: string | undefined) => s !== undefined && s.trim() === '';

/** `value` as a stored decimal in [0, max] (no max: any value ≥ 0), or a problem recorded under `field`. */
function nonNegative(value: string | number, field: string, problems: Problems, max?: string): string | null {
  const parsed = parseDecimal(value);
  if ('problem' in parsed) problems[field] = parsed.problem;
  else if (compareDecimals(parsed.value, '0') < 0 || (max !== undefined && compareDecimals(parsed.value, max) > 0)) {
    problems[field] = max === undefined ? 'must not be negative' : `must be between 0 and ${max}`;
  } else return parsed.value;
  return null;
}

function parseValues(body: CreateRequest, problems: Problems): { percentageValue: string | null; fixedValue: string | null } {
  if (body.tax_rate_type === 'percentage') {
    if (body.fixed_value !== undefined) problems.fixed_value = 'is only for a fixed rate; a percentage rate takes percentage_value';
    if (body.percentage_value === undefined) problems.percentage_value = 'is required for a percentage rate';
    const percentageValue = body.percentage_value === undefined ? null : nonNegative(body.percentage_value, 'percentage_value', problems, '100');
    return { percentageValue, fixedValue: null };
  }
  if (body.percentage_value !== undefined) problems.percentage_value = 'is only for a percentage rate; a fixed rate takes fixed_value';
  if (body.fixed_value === undefined) problems.fixed_value = 'is required for a fixed rate';
  const fixedValue = body.fixed_value === undefined ? null : nonNegative(body.fixed_value, 'fixed_value', problems);
  return { percentageValue: null, fixedValue };
}

export function fromCreateTaxRateRequest(body: CreateRequest): NewTaxRate {
  const problems: Problems = {};
  if (blank(body.name)) problems.name = 'must not be blank';
  if (blank(body.code)) problems.code = 'must not be blank';
  const values = parseValues(body, problems);
  throwIfProblems(problems);
  return {
    name: body.name,
    code: body.code,
    description: body.description ?? '',
    taxRateType: body.tax_rate_type,
    ...values,
    scope: body.scope ?? 'INTERNAL',
    metadata: body.metadata ?? {},
  };
}

export function fromUpdateTaxRateRequest(body: UpdateRequest): TaxRateChanges {
  const problems: Problems = {};
  if (blank(body.name)) problems.name = 'must not be blank';
  if (blank(body.code)) problems.code = 'must not be blank';
  throwIfProblems(problems);
  return { name: body.name, code: body.code, description: body.description, taxRateStatus: body.tax_rate_status, metadata: body.metadata };
}

/**
 * The values of a list parameter that FlexPrice's SDKs send comma-separated (`a,b`) and other clients
 * as repeated keys: both read alike; ids and codes never hold a comma. Absent stays `undefined`.
 */
export function listValues(values: readonly string[] | string | undefined): string[] | undefined {
  if (values === undefined) return undefined;
  return (typeof values === 'string' ? [values] : values).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

/** A list of tax rates. */
export type TaxRateQuery = ListQuery & { taxRateIds?: string[]; taxRateCodes?: string[]; scope?: TaxRateScope };

export function fromTaxRateListRequest(input: QueryParams<'getTaxRates'>): TaxRateQuery {
  parseExpand(input?.expand, []);
  return {
    ...listQueryOf(input, taxRateSearchFields, 'taxrate'),
    taxRateIds: listValues(input?.taxrate_ids),
    taxRateCodes: listValues(input?.taxrate_codes),
    scope: input?.scope,
  };
}

const decimalOut = (value: string | null | undefined): string => (value == null ? '0' : formatDecimal(new ExactDecimal(value)));

/** Entity → wire, as FlexPrice sends a stored rate: both values (the unused one `"0"`), no `description` when empty. */
export function toTaxRateResponse(r: TaxRate): TaxRateResponse {
  return {
    id: r.id,
    name: r.name,
    ...(r.description ? { description: r.description } : {}),
    code: r.code,
    tax_rate_status: r.taxRateStatus,
    tax_rate_type: r.taxRateType,
    scope: r.scope,
    percentage_value: decimalOut(r.percentageValue),
    fixed_value: decimalOut(r.fixedValue),
    metadata: r.metadata ?? {},
    ...recordFields(r),
  };
}
