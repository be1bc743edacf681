import type { MikroORM } from '@mikro-orm/core';
import { newId } from '../../src/ids.ts';
import { Price } from '../../src/modules/prices/price.entity.ts';

/** Whose row it is: a tenant's environment. */
export type RowScope = { tenantId: string; environmentId: string };

/**
 * Writes a price row straight through the ORM, for rows the prices API cannot make: an archived
 * price, or one whose owner is of another type or environment. A flat monthly USD fee of 10 unless
 * `overrides` says otherwise.
 */
export async function insertPrice(orm: MikroORM, scope: RowScope, overrides: Partial<Price> & Pick<Price, 'entityType' | 'entityId'>): Promise<Price> {
  const em = orm.em.fork();
  const now = new Date();
  const price = em.create(Price, {
    id: newId('price'),
    ...scope,
    type: 'FIXED',
    currency: 'usd',
    amount: '10',
    billingPeriod: 'MONTHLY',
    billingPeriodCount: 1,
    billingModel: 'FLAT_FEE',
    billingCadence: 'RECURRING',
    invoiceCadence: 'ADVANCE',
    trialPeriodDays: 0,
    priceUnitType: 'FIAT',
    metadata: {},
    startDate: now,
    status: 'published',
    createdAt: now,
    updatedAt: now,
    ...overrides,
  });
  await em.flush();
  return price;
}

/** A price through the API: a flat monthly USD fee of 10 of the given plan or addon unless `body` says otherwise. */
export function priceBody(entityType: 'PLAN' | 'ADDON', entityId: string, body: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    entity_type: entityType,
    entity_id: entityId,
    type: 'FIXED',
    currency: 'usd',
    amount: '10',
    billing_period: 'MONTHLY',
    billing_period_count: 1,
    billing_model: 'FLAT_FEE',
    invoice_cadence: 'ADVANCE',
    ...body,
  };
}
