import { defineEntity, p } from '@mikro-orm/core';
import { environmentRecord, inEnvironment } from '../../db/base-properties.ts';

/**
 * A custom pricing unit (credits, tokens…): `amount in unit × conversion_rate = amount in base_currency`.
 * `conversion_rate` is an exact decimal (PostgreSQL `numeric`, read back as a string).
 */
export const PriceUnitSchema = defineEntity(environmentRecord('PriceUnit', 'price_units', {
  name: p.string().length(255),
  code: p.string().length(3),
  symbol: p.string().length(10),
  baseCurrency: p.string().length(3),
  conversionRate: p.decimal('string').columnType('numeric'),
  metadata: p.json<Record<string, string>>().default('{}'),
}, { uniques: [inEnvironment('price_units_live_code_uq', ['code'], "status = 'published'")] }));
export class PriceUnit extends PriceUnitSchema.class {}
PriceUnitSchema.setClass(PriceUnit);
