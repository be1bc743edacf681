import type { MikroORM } from '@mikro-orm/core';
import { newId } from '../../src/ids.ts';
import { Addon } from '../../src/modules/addons/addon.entity.ts';
import { Plan } from '../../src/modules/plans/plan.entity.ts';
import { Price } from '../../src/modules/prices/price.entity.ts';
import { unique } from './fixtures.ts';

/**
 * Rows written straight through the ORM, for rows the API cannot make (an archived price, one whose
 * owner is of another type or environment) or so a test does not depend on another resource's
 * endpoints (the price tests' plans and addons).
 */

/** Whose row it is: a tenant's environment. */
export type RowScope = { tenantId: string; environmentId: string };

/** A published plan with a unique lookup key. */
export async function insertPlan(server: { orm: MikroORM }, scope: RowScope, name = 'Pro', status = 'published'): Promise<string> {
  const em = server.orm.em.fork();
  const now = new Date();
  const plan = em.create(Plan, { id: newId('plan'), ...scope, name, lookupKey: unique('plan'), description: null, displayOrder: null, metadata: {}, status, createdAt: now, updatedAt: now, createdBy: null, updatedBy: null });
  await em.flush();
  return plan.id;
}

/** A published addon with a unique lookup key. */
export async function insertAddon(server: { orm: MikroORM }, scope: RowScope, name = 'Extra seats'): Promise<string> {
  const em = server.orm.em.fork();
  const now = new Date();
  const addon = em.create(Addon, { id: newId('addon'), ...scope, name, lookupKey: unique('addon'), description: null, metadata: {}, status: 'published', createdAt: now, updatedAt: now, createdBy: null, updatedBy: null });
  await em.flush();
  return addon.id;
}

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
