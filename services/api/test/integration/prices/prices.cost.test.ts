import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../support/api-client.ts';
import { insertPlan } from '../../support/catalog-rows.ts';
import { createMeter, createPrice, devScope, fixedPrice, referenceTiers, unique, usagePrice, useTestServer } from '../../support/fixtures.ts';

const server = useTestServer();
let api: ApiClient;
let planId: string;
let meterId: string;
beforeAll(async () => {
  api = server.api;
  planId = await insertPlan(server, devScope(server));
  meterId = (await createMeter(api)).id;
});

async function cost(priceId: string, body: unknown): Promise<Record<string, any>> {
  const res = await api.post(`/v1/prices/${priceId}/cost`, body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}
const amountFor = async (priceId: string, quantity: string | number) => (await cost(priceId, { quantity })).amount;

describe('POST /v1/prices/{id}/cost — FlexPrice’s worked numbers (docs/flexprice-compatibility.md#price-math)', () => {
  it('FIXED $49 × 3 seats = $147', async () => {
    const p = await createPrice(api, fixedPrice(planId));
    expect(await cost(p.id, { quantity: 3 })).toEqual({
      price_id: p.id,
      currency: 'usd',
      billing_model: 'FLAT_FEE',
      quantity: '3',
      amount: '147',
      exact_amount: '147',
      display_amount: '$147',
      breakdown: [],
    });
  });

  it('USAGE $0.002 × 12,345 calls = $24.69', async () => {
    const p = await createPrice(api, usagePrice(planId, meterId));
    const c = await cost(p.id, { quantity: '12345' });
    expect(c).toMatchObject({ amount: '24.69', exact_amount: '24.69', quantity: '12345' });
  });

  it('PACKAGE $5 per 1,000: 2,500 → $15 (3 packages), 1 → $5; round down: 2,500 → $10', async () => {
    const up = await createPrice(api, usagePrice(planId, meterId, { billing_model: 'PACKAGE', amount: '5', transform_quantity: { divide_by: 1000 } }));
    expect(await cost(up.id, { quantity: '2500' })).toMatchObject({ amount: '15', packages: { divide_by: 1000, round: 'up', packages: '3' } });
    expect(await amountFor(up.id, '1')).toBe('5');
    const down = await createPrice(api, usagePrice(planId, meterId, { billing_model: 'PACKAGE', amount: '5', transform_quantity: { divide_by: 1000, round: 'down' } }));
    expect(await cost(down.id, { quantity: 2500 })).toMatchObject({ amount: '10', packages: { divide_by: 1000, round: 'down', packages: '2' } });
  });

  it('VOLUME tiers: 1000 → 100, 1001 → 90.08, 6000 → 300', async () => {
    const p = await createPrice(api, usagePrice(planId, meterId, { billing_model: 'TIERED', tier_mode: 'VOLUME', tiers: referenceTiers, amount: undefined }));
    expect(await amountFor(p.id, '1000')).toBe('100');
    const c = await cost(p.id, { quantity: '1001' });
    expect(c.amount).toBe('90.08');
    expect(c.tier_mode).toBe('VOLUME');
    expect(c.breakdown).toEqual([{ tier_index: 1, from: '1000', up_to: '5000', quantity: '1001', unit_amount: '0.08', flat_amount: '10', amount: '90.08' }]);
    expect(await amountFor(p.id, '6000')).toBe('300');
  });

  it('SLAB tiers: 6000 → 480 (100 + 330 + 50), 1000 → 100', async () => {
    const p = await createPrice(api, usagePrice(planId, meterId, { billing_model: 'TIERED', tier_mode: 'SLAB', tiers: referenceTiers, amount: undefined }));
    const c = await cost(p.id, { quantity: '6000' });
    expect(c.amount).toBe('480');
    expect(c.breakdown).toEqual([
      { tier_index: 0, from: '0', up_to: '1000', quantity: '1000', unit_amount: '0.1', flat_amount: '0', amount: '100' },
      { tier_index: 1, from: '1000', up_to: '5000', quantity: '4000', unit_amount: '0.08', flat_amount: '10', amount: '330' },
      { tier_index: 2, from: '5000', quantity: '1000', unit_amount: '0.05', flat_amount: '0', amount: '50' },
    ]);
    expect(await amountFor(p.id, '1000')).toBe('100');
  });

  it('quantity 0 costs 0 under every model, tier flat amounts included', async () => {
    const slab = await createPrice(api, usagePrice(planId, meterId, { billing_model: 'TIERED', tier_mode: 'SLAB', tiers: [{ up_to: 10, unit_amount: '1', flat_amount: '5' }, { unit_amount: '0.5' }], amount: undefined }));
    const pkg = await createPrice(api, usagePrice(planId, meterId, { billing_model: 'PACKAGE', amount: '5', transform_quantity: { divide_by: 1000 } }));
    const flat = await createPrice(api, fixedPrice(planId));
    for (const p of [slab, pkg, flat]) expect(await cost(p.id, { quantity: '0' })).toMatchObject({ amount: '0', exact_amount: '0', breakdown: [] });
  });

  it('rounds once to the currency precision, half away from zero: JPY 0 decimals, KWD 3 decimals', async () => {
    const jpy = await createPrice(api, usagePrice(planId, meterId, { currency: 'JPY', amount: '0.5' }));
    expect(jpy.currency).toBe('jpy');
    expect(jpy.display_amount).toBe('¥0.5');
    expect(await cost(jpy.id, { quantity: '3' })).toMatchObject({ amount: '2', exact_amount: '1.5', display_amount: '¥2' });
    expect(await amountFor(jpy.id, '5')).toBe('3'); // 2.5 → 3
    const kwd = await createPrice(api, usagePrice(planId, meterId, { currency: 'kwd', amount: '0.0015' }));
    expect(kwd.display_amount).toBe('KWD 0.0015');
    expect(await cost(kwd.id, { quantity: '3' })).toMatchObject({ amount: '0.005', exact_amount: '0.0045' });
    const usd = await createPrice(api, usagePrice(planId, meterId, { amount: '0.005' }));
    expect(await cost(usd.id, { quantity: '1' })).toMatchObject({ amount: '0.01', exact_amount: '0.005' });
  });

  it('a custom-unit price: 1,000 calls at 0.5 credits, 1 credit = $0.015 → 500 credits = $7.5', async () => {
    const code = unique('c').slice(-3).replace(/_/g, 'x');
    const unit = await api.post('/v1/prices/units', { name: 'Credits', code, symbol: 'Cr', base_currency: 'USD', conversion_rate: '0.015' });
    expect(unit.status, JSON.stringify(unit.body)).toBe(201);
    const p = await createPrice(api, usagePrice(planId, meterId, { amount: undefined, price_unit_type: 'CUSTOM', price_unit_config: { price_unit: code, amount: '0.5' } }));
    expect(p).toMatchObject({ amount: '0.0075', price_unit_amount: '0.5', conversion_rate: '0.015', price_unit: code, price_unit_id: unit.body.id, display_price_unit_amount: 'Cr0.5' });
    expect(await cost(p.id, { quantity: '1000' })).toMatchObject({
      amount: '7.5',
      exact_amount: '7.5',
      price_unit: code,
      conversion_rate: '0.015',
      price_unit_amount: '500',
    });
  });

  it('bucket_quantities: each bucket priced on its own with VOLUME tiers, then summed', async () => {
    const p = await createPrice(api, usagePrice(planId, meterId, { billing_model: 'TIERED', tier_mode: 'VOLUME', tiers: referenceTiers, amount: undefined }));
    // 1000 → 100; 1001 → 90.08; 0 → 0. Priced as one volume of 2001 it would be 2001 × 0.08 + 10 = 170.08.
    expect(await cost(p.id, { bucket_quantities: ['1000', 1001, '0'] })).toMatchObject({
      quantity: '2001',
      amount: '190.08',
      exact_amount: '190.08',
      buckets: [
        { quantity: '1000', amount: '100' },
        { quantity: '1001', amount: '90.08' },
        { quantity: '0', amount: '0' },
      ],
    });
  });

  it('refuses a missing, negative or malformed quantity with 400 naming it, and an unknown price with 404', async () => {
    const p = await createPrice(api, fixedPrice(planId));
    for (const [body, field] of [
      [{}, 'quantity'],
      [{ quantity: '-1' }, 'quantity'],
      [{ quantity: 'abc' }, 'quantity'],
      [{ quantity: '1', bucket_quantities: ['1'] }, 'bucket_quantities'],
      [{ bucket_quantities: ['1', '-2'] }, 'bucket_quantities[1]'],
    ] as const) {
      const res = await api.post(`/v1/prices/${p.id}/cost`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(Object.keys(res.body.details)).toContain(field);
    }
    expect((await api.post('/v1/prices/price_missing/cost', { quantity: '1' })).status).toBe(404);
  });
});
