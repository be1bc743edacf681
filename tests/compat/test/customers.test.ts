import { describe, expect } from 'vitest';
import { flexprice, sdkTest, thrown, unique } from '../src/sdk-test.ts';

describe('customers', () => {
  sdkTest('creates a customer and reads it back by id and by external id', ['customers.createCustomer', 'customers.getCustomer', 'customers.getCustomerByExternalId'], async () => {
    const externalId = unique('cust');
    const created = await flexprice.customers.createCustomer({
      externalId,
      name: 'Acme Corp',
      email: 'billing@acme.test',
      addressCity: 'Berlin',
      addressCountry: 'DE',
      metadata: { tier: 'gold' },
    });
    expect(created.id).toMatch(/^cust_[0-9A-Z]{26}$/);
    expect(created).toMatchObject({ externalId, name: 'Acme Corp', email: 'billing@acme.test', addressCity: 'Berlin', addressCountry: 'DE', metadata: { tier: 'gold' }, status: 'published' });

    const byId = await flexprice.customers.getCustomer(created.id!);
    expect(byId).toMatchObject({ id: created.id, externalId, name: 'Acme Corp' });
    const byExternalId = await flexprice.customers.getCustomerByExternalId(externalId);
    expect(byExternalId.id).toBe(created.id);
  });

  sdkTest('updates a customer by id and by external id', ['customers.updateCustomer'], async () => {
    const externalId = unique('cust-upd');
    const created = await flexprice.customers.createCustomer({ externalId, name: 'Before' });
    const byId = await flexprice.customers.updateCustomer({ name: 'After', email: 'after@acme.test' }, created.id);
    expect(byId).toMatchObject({ id: created.id, name: 'After', email: 'after@acme.test' });
    const byExternalId = await flexprice.customers.updateCustomer({ metadata: { plan: 'pro' } }, undefined, externalId);
    expect(byExternalId).toMatchObject({ id: created.id, name: 'After', metadata: { plan: 'pro' } });
  });

  sdkTest('searches customers by external id and paginates', ['customers.queryCustomer'], async () => {
    const tag = unique('cust-q');
    const ids: string[] = [];
    for (const n of [1, 2, 3]) ids.push((await flexprice.customers.createCustomer({ externalId: `${tag}-${n}`, name: `Query ${n}` })).id!);
    const page = await flexprice.customers.queryCustomer({ externalIds: [`${tag}-1`, `${tag}-2`, `${tag}-3`], limit: 2, offset: 0, order: 'asc' });
    expect(page.pagination).toEqual({ total: 3, limit: 2, offset: 2 });
    expect(page.items!.map((c) => c.id)).toEqual(ids.slice(0, 2));
    const rest = await flexprice.customers.queryCustomer({ externalIds: [`${tag}-1`, `${tag}-2`, `${tag}-3`], limit: 2, offset: 2, order: 'asc' });
    expect(rest.items!.map((c) => c.externalId)).toEqual([`${tag}-3`]);
  });

  sdkTest('deletes a customer: it is archived and no longer found by external id', ['customers.deleteCustomer'], async () => {
    const externalId = unique('cust-del');
    const created = await flexprice.customers.createCustomer({ externalId, name: 'Leaving' });
    await flexprice.customers.deleteCustomer(created.id!);
    const err = await thrown(() => flexprice.customers.getCustomerByExternalId(externalId));
    expect(err.statusCode).toBe(404);
  });
});
