import { expect } from 'vitest';
import { newId } from '../../src/ids.ts';
import { Addon } from '../../src/modules/addons/addon.entity.ts';
import { Plan } from '../../src/modules/plans/plan.entity.ts';
import type { ApiClient } from './api-client.ts';
import { productionApi, type TestServer } from './test-server.ts';

/**
 * Fixtures for the price tests. Plans and addons are inserted straight through the ORM so these
 * tests do not depend on the plan and addon endpoints.
 */
export type Scope = { tenantId: string; environmentId: string };

let seq = 0;
export const unique = (base: string) => `${base}_${++seq}_${Date.now().toString(36)}`;

export async function insertPlan(server: TestServer, scope: Scope, name = 'Pro', status = 'published'): Promise<string> {
  const em = server.orm.em.fork();
  const now = new Date();
  const plan = em.create(Plan, { id: newId('plan'), ...scope, name, lookupKey: unique('plan'), description: null, displayOrder: null, metadata: {}, status, createdAt: now, updatedAt: now, createdBy: null, updatedBy: null });
  await em.flush();
  return plan.id;
}

export async function insertAddon(server: TestServer, scope: Scope, name = 'Extra seats'): Promise<string> {
  const em = server.orm.em.fork();
  const now = new Date();
  const addon = em.create(Addon, { id: newId('addon'), ...scope, name, lookupKey: unique('addon'), description: null, metadata: {}, status: 'published', createdAt: now, updatedAt: now, createdBy: null, updatedBy: null });
  await em.flush();
  return addon.id;
}

export async function createMeter(api: ApiClient, name = 'API calls'): Promise<string> {
  const res = await api.post('/v1/meters', { name, event_name: unique('api.call'), aggregation: { type: 'COUNT' }, reset_usage: 'BILLING_PERIOD' });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

/** A recurring FIXED flat-fee price body; override any field. */
export const fixedPrice = (planId: string, extra: Record<string, unknown> = {}) => ({
  entity_type: 'PLAN',
  entity_id: planId,
  type: 'FIXED',
  currency: 'usd',
  amount: '49',
  billing_period: 'MONTHLY',
  billing_period_count: 1,
  billing_model: 'FLAT_FEE',
  invoice_cadence: 'ADVANCE',
  ...extra,
});

/** A USAGE price body on `meterId`; override any field. */
export const usagePrice = (planId: string, meterId: string, extra: Record<string, unknown> = {}) => ({
  entity_type: 'PLAN',
  entity_id: planId,
  type: 'USAGE',
  meter_id: meterId,
  currency: 'usd',
  amount: '0.002',
  billing_period: 'MONTHLY',
  billing_period_count: 1,
  billing_model: 'FLAT_FEE',
  invoice_cadence: 'ARREAR',
  ...extra,
});

/** The reference §3.2 tiers. */
export const referenceTiers = [
  { up_to: 1000, unit_amount: '0.10' },
  { up_to: 5000, unit_amount: '0.08', flat_amount: '10' },
  { up_to: null, unit_amount: '0.05' },
];

export async function createPrice(api: ApiClient, body: Record<string, unknown>): Promise<Record<string, any>> {
  const res = await api.post('/v1/prices', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** Every price row of the environment, any status, ended ones included. */
export async function priceCount(api: ApiClient): Promise<number> {
  const total = async (path: string) => (await api.get(path)).body.pagination.total as number;
  return (await total('/v1/prices?limit=1&allow_expired_prices=true')) + (await total('/v1/prices?limit=1&allow_expired_prices=true&status=archived'));
}

/** A second environment's client (production), for isolation checks. */
export async function productionClient(server: TestServer): Promise<{ client: ApiClient; scope: Scope }> {
  const { api, environmentId } = await productionApi(server);
  return { client: api, scope: { tenantId: server.bootstrap.tenantId, environmentId } };
}
