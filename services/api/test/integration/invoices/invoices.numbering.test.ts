import { describe, expect, it } from 'vitest';
import { at } from '../../support/billing.ts';
import { createCustomer, useTestServer } from '../../support/fixtures.ts';
import { productionApi } from '../../support/test-server.ts';

const server = useTestServer();

describe('invoice numbers', () => {
  it('are gap-free and unique when 24 drafts are finalized at once: INV-202512-00001 … 00024', async () => {
    at(server, '2025-12-05T00:00:00Z');
    const api = server.api;
    const customer = await createCustomer(api);
    const drafts: string[] = [];
    for (let i = 0; i < 24; i++) {
      const res = await api.post('/v1/invoices', {
        customer_id: customer.id, currency: 'usd', invoice_status: 'DRAFT', subtotal: '1', total: '1', amount_due: '1',
        line_items: [{ display_name: `Item ${i}`, amount: '1', quantity: '1' }],
      });
      expect(res.status).toBe(201);
      drafts.push(res.body.id);
    }
    const answers = await Promise.all(drafts.map((id) => api.post(`/v1/invoices/${id}/finalize`)));
    expect(answers.map((a) => a.status)).toEqual(drafts.map(() => 200));
    const numbers = await Promise.all(drafts.map(async (id) => (await api.get(`/v1/invoices/${id}`)).body.invoice_number as string));
    expect([...numbers].sort()).toEqual(Array.from({ length: 24 }, (_, i) => `INV-202512-${String(i + 1).padStart(5, '0')}`));
  });

  it('restart each month and belong to the environment: another environment’s December starts at 00001 too', async () => {
    const oneOff = async (api: typeof server.api) => {
      const customer = await createCustomer(api);
      const res = await api.post('/v1/invoices', { customer_id: customer.id, currency: 'usd', subtotal: '1', total: '1', amount_due: '1', line_items: [{ amount: '1', quantity: '1' }] });
      return res.body.invoice_number as string;
    };
    expect(await oneOff((await productionApi(server)).api)).toBe('INV-202512-00001');
    at(server, '2026-01-01T00:00:00Z');
    expect(await oneOff(server.api)).toBe('INV-202601-00001');
  });
});
