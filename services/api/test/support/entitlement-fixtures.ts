import { expect } from 'vitest';
import type { ApiClient } from './api-client.ts';

let seq = 0;
/** A unique suffix per call, so lookup keys never clash by accident. */
export const unique = (base: string) => `${base}_${++seq}`;

async function created(client: ApiClient, path: string, body: Record<string, unknown>): Promise<Record<string, any>> {
  const res = await client.post(path, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** A plan, made through the API (`POST /v1/plans`). */
export const createPlan = (client: ApiClient, name = 'Pro') => created(client, '/v1/plans', { name, lookup_key: unique('plan') });

/** An addon, made through the API (`POST /v1/addons`). */
export const createAddon = (client: ApiClient, name = 'Extra seats') => created(client, '/v1/addons', { name, lookup_key: unique('addon') });

/** Features of each type; a metered one gets an inline meter (SUM by default). */
export const createFeature = {
  metered: (client: ApiClient, aggregation: Record<string, unknown> = { type: 'SUM', field: 'tokens' }) =>
    created(client, '/v1/features', {
      name: 'LLM tokens',
      type: 'metered',
      lookup_key: unique('tokens'),
      meter: { name: 'Tokens', event_name: unique('llm.completion'), aggregation, reset_usage: 'BILLING_PERIOD' },
    }),
  boolean: (client: ApiClient) => created(client, '/v1/features', { name: 'SSO', type: 'boolean', lookup_key: unique('sso') }),
  static: (client: ApiClient) => created(client, '/v1/features', { name: 'Support', type: 'static', lookup_key: unique('support') }),
  config: (client: ApiClient) => created(client, '/v1/features', { name: 'Limits', type: 'config', lookup_key: unique('limits') }),
};
