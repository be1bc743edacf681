import type { components } from '@tally/contract';
import { parseDecimal } from '../../decimal/decimal-input.ts';
import { invalidFields } from '../../errors/app-error.ts';

type CreateRequest = components['schemas']['CreatePriceUnitRequest'];
type UpdateRequest = components['schemas']['UpdatePriceUnitRequest'];

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
export function parseCreatePriceUnit(body: CreateRequest): NewPriceUnit {
  const errors: Record<string, string> = {};
  if (body.name.trim() === '') errors.name = 'must not be blank';
  if (body.code.trim().length !== 3) errors.code = 'must be exactly 3 characters';
  if (body.symbol.trim() === '') errors.symbol = 'must not be blank';
  if (!currencyCode.test(body.base_currency)) errors.base_currency = 'must be a 3-letter currency code';
  const rate = parseDecimal(body.conversion_rate, { positive: true });
  if ('problem' in rate) errors.conversion_rate = rate.problem;
  if (Object.keys(errors).length) throw invalidFields(errors);
  return {
    name: body.name.trim(),
    code: body.code,
    symbol: body.symbol,
    baseCurrency: body.base_currency.toLowerCase(),
    conversionRate: 'value' in rate ? rate.value : '',
    metadata: body.metadata ?? {},
  };
}

export function parseUpdatePriceUnit(body: UpdateRequest): PriceUnitChanges {
  if (body.name !== undefined && body.name.trim() === '') throw invalidFields({ name: 'must not be blank' });
  return { name: body.name?.trim(), metadata: body.metadata };
}
