import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../support/api-client.ts';
import { at } from '../../support/billing.ts';
import { createCustomer, useTestServer } from '../../support/fixtures.ts';

const server = useTestServer();
let api: ApiClient;

beforeAll(() => {
  api = server.api;
  at(server, '2025-10-01T00:00:00Z');
});

describe('credit-balance alerts', () => {
  it('debug', async () => {
    const customer = await createCustomer(api);
    const res = await api.post('/v1/wallets', { customer_id: customer.id, currency: 'usd', initial_credits_to_load: '100', alert_settings: { alert_enabled: true, critical: { threshold: '20', condition: 'below' }, warning: { threshold: '60', condition: 'below' } } });
    expect(res.status).toBe(200);
    const d = await api.post(`/v1/wallets/${res.body.id}/debit`, { credits: '60', transaction_reason: 'MANUAL_BALANCE_DEBIT', idempotency_key: 'x' });
    console.log(JSON.stringify(d.body));
    const ev = await api.get(`/v1/webhooks/events?entity_id=${res.body.id}&limit=100`);
    console.log(JSON.stringify(ev.body.items.map((e: any) => [e.event_type, e.created_at, e.payload.alert])));
  });
});
