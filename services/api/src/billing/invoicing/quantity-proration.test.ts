import { describe, expect, it } from 'vitest';
import { readPrice } from '../pricing/index.ts';
import { quantityProration } from './quantity-proration.ts';

const day = 86_400_000;
const april = { start: new Date('2025-04-01T00:00:00Z'), end: new Date('2025-05-01T00:00:00Z') };
const seat = readPrice({ currency: 'usd', billingModel: 'FLAT_FEE', billingPeriodCount: 1, amount: '10' });
const at = (days: number) => new Date(april.start.getTime() + days * day);

describe('quantityProration', () => {
  it('charges 2 → 5 seats of $10 from 16 April: 30 × 1,295,999 ÷ 2,591,999 = 14.99999… → 15.00', () => {
    expect(quantityProration({ price: seat, from: '2', to: '5', period: april, at: at(15) }).amount).toBe('15');
  });

  it('credits 5 → 1 seats from 26 April: −40 × 431,999 ÷ 2,591,999 = −6.66665… → −6.67', () => {
    expect(quantityProration({ price: seat, from: '5', to: '1', period: april, at: at(25) }).amount).toBe('-6.67');
  });

  it('is the whole difference at the period start and nothing in its last second', () => {
    expect(quantityProration({ price: seat, from: '0', to: '3', period: april, at: april.start }).amount).toBe('30');
    expect(quantityProration({ price: seat, from: '0', to: '3', period: april, at: new Date(april.end.getTime() - 1000) }).amount).toBe('0');
  });

  it('charges 2 → 5 seats from 16 April on a line ending 26 April for those 10 days: 30 × (1,295,999 − 431,999) ÷ 2,591,999 = 10.0000038… → 10.00', () => {
    expect(quantityProration({ price: seat, from: '2', to: '5', period: april, at: at(15), until: at(25) }).amount).toBe('10');
    // An end at or after the period's changes nothing.
    expect(quantityProration({ price: seat, from: '2', to: '5', period: april, at: at(15), until: april.end }).amount).toBe('15');
    expect(quantityProration({ price: seat, from: '5', to: '2', period: april, at: at(15), until: at(25) }).amount).toBe('-10');
  });

  it('prices tiers by the cost of each quantity, not the unit amount', () => {
    const tiered = readPrice({ currency: 'usd', billingModel: 'TIERED', tierMode: 'SLAB', billingPeriodCount: 1, tiers: [{ up_to: 2, unit_amount: '10' }, { up_to: null, unit_amount: '5' }] });
    // cost(4) − cost(2) = 30 − 20 = 10, at the period start.
    expect(quantityProration({ price: tiered, from: '2', to: '4', period: april, at: april.start }).amount).toBe('10');
  });
});
