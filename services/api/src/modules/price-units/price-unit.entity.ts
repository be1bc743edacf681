import { defineEntity, p } from '@mikro-orm/core';
import { recordProperties, scopeProperties } from '../../db/base-properties.ts';

/**
 * A custom pricing unit (credits, tokens…): `amount in unit × conversion_rate = amount in base_currency`.
 * `conversion_rate` is an exact decimal (PostgreSQL `numeric`, read back as a string).
 */
export const PriceUnitSchema = defineEntity({
  name: 'PriceUnit',
  tableName: 'price_units',
  properties: {
    id: p.string().length(64).primary(),
    ...scopeProperties(),
    name: p.string().length(255),
    code: p.string().length(3),
    symbol: p.string().length(10),
    baseCurrency: p.string().length(3),
    conversionRate: p.decimal('string').columnType('numeric'),
    metadata: p.json<Record<string, string>>().default('{}'),
    ...recordProperties(),
  },
  uniques: [
    {
      name: 'price_units_live_code_uq',
      properties: ['tenantId', 'environmentId', 'code'],
      where: "status = 'published'",
    },
  ],
  indexes: [{ name: 'price_units_env_status_created_idx', properties: ['tenantId', 'environmentId', 'status', 'createdAt'] }],
});
export class PriceUnit extends PriceUnitSchema.class {}
PriceUnitSchema.setClass(PriceUnit);
