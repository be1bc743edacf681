import type { QueryParams, Schemas } from '../../wire/contract-types.ts';
import { canonicalDecimal } from '../../wire/canonical-decimal.ts';
import { parseDecimal } from '../../wire/decimal-input.ts';
import { invalidFields } from '../../errors/app-error.ts';
import { throwIfProblems, type Problems } from '../../errors/problems.ts';
import { listQueryOf, type ListQuery } from '../../listing/list-query.ts';
import { recordFields } from '../../wire/record-fields.ts';
import { blankProblems } from '../../wire/request-fields.ts';
import type { PriceUnit } from './price-unit.entity.ts';
import { priceUnitSearchFields } from './price-unit.search.ts';

export type PriceUnitResponse = Schemas['PriceUnitResponse'];

export type NewPriceUnit = {
  name: string;
  code: string;
  symbol: string;
  baseCurrency: string;
  conversionRate: string;
  metadata: Record<string, string>;
};

export type PriceUnitChanges = { name?: string; metadata?: Record<string, string> };

const currencyCode = /^[A-Za-z]{3}$/;

/** A unit to create, validated: every problem is named at once (400), nothing is written. */
export function fromCreatePriceUnitRequest(body: Schemas['CreatePriceUnitRequest']): NewPriceUnit {
  const problems: Problems = {};
  if (body.name.trim() === '') problems.name = 'must not be blank';
  if (body.code.trim().length !== 3) problems.code = 'must be exactly 3 characters';
  if (body.symbol.trim() === '') problems.symbol = 'must not be blank';
  if (!currencyCode.test(body.base_currency)) problems.base_currency = 'must be a 3-letter currency code';
  const rate = parseDecimal(body.conversion_rate, { positive: true });
  if ('problem' in rate) problems.conversion_rate = rate.problem;
  throwIfProblems(problems);
  return {
    name: body.name.trim(),
    code: body.code,
    symbol: body.symbol,
    baseCurrency: body.base_currency.toLowerCase(),
    conversionRate: 'value' in rate ? rate.value : '',
    metadata: body.metadata ?? {},
  };
}

export function fromUpdatePriceUnitRequest(body: Schemas['UpdatePriceUnitRequest']): PriceUnitChanges {
  throwIfProblems(blankProblems({ name: body.name }));
  return { name: body.name?.trim(), metadata: body.metadata };
}

/** A list or search of price units, as the GET list and the search body both express it. */
export type PriceUnitQuery = ListQuery & { priceUnitIds?: string[] };

export function fromPriceUnitListRequest(input: QueryParams<'listPriceUnits'> | Schemas['PriceUnitFilter']): PriceUnitQuery {
  if (input && 'expand' in input && input.expand?.trim()) throw invalidFields({ expand: 'price units have nothing to expand' });
  return { ...listQueryOf(input, priceUnitSearchFields, 'price unit'), priceUnitIds: input && 'price_unit_ids' in input ? input.price_unit_ids : undefined };
}

export function toPriceUnitResponse(u: PriceUnit): PriceUnitResponse {
  return {
    id: u.id,
    name: u.name,
    code: u.code,
    symbol: u.symbol,
    base_currency: u.baseCurrency,
    conversion_rate: canonicalDecimal(u.conversionRate),
    metadata: u.metadata ?? {},
    ...recordFields(u),
  };
}
