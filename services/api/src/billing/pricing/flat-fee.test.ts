import { describe, expect, it } from 'vitest';
import { costOf } from './pricing.test-helper.ts';
import type { PriceDefinition } from './rated-price.ts';

const flatFee = (amount: string, currency = 'usd'): PriceDefinition => ({ currency, billingModel: 'FLAT_FEE', billingPeriodCount: 1, amount });

describe('FLAT_FEE: amount × quantity, rounded once to the currency', () => {
  it.each<[string, string, string, string, string]>([
    // [amount, currency, quantity, exact, rounded]
    ['49', 'usd', '3', '147', '147'], // $49 fixed, 3 seats
    ['0.002', 'usd', '12345', '24.69', '24.69'], // $0.002 per call, 12,345 calls
    ['0.01', 'usd', '3000', '30', '30'], // FlexPrice's period-end example: 3,000 calls at $0.01
    ['0.01', 'usd', '2500', '25', '25'], // FlexPrice's included-usage example: 2,500 billable calls at $0.01
    ['20', 'usd', '1', '20', '20'],
    ['49', 'usd', '0', '0', '0'],
    ['10.1', 'usd', '2.5', '25.25', '25.25'],
    ['0.00015', 'usd', '333', '0.04995', '0.05'],
    ['0.00015', 'usd', '33', '0.00495', '0'],
    ['0.000001', 'usd', '1e15', '1000000000', '1000000000'],
    ['0.00000000000000000001', 'usd', '1000000000000000', '0.00001', '0'],
    ['1234567.12345678901234567891', 'usd', '1000000000000000', '1234567123456789012345.67891', '1234567123456789012345.68'],
    ['99999999999999999999.99999999999999999999', 'usd', '99999999999999999999', '9999999999999999999899999999999999999999.00000000000000000001', '9999999999999999999899999999999999999999'],
    ['0.5', 'jpy', '3', '1.5', '2'],
    ['150', 'jpy', '2.5', '375', '375'],
    ['0.0015', 'kwd', '3', '0.0045', '0.005'],
    ['1.2345', 'kwd', '1', '1.2345', '1.235'],
    ['0.00005', 'clf', '1', '0.00005', '0.0001'],
    ['2.5', 'USD', '1', '2.5', '2.5'],
  ])('%s %s × %s = %s exactly, %s on the line', (amount, currency, quantity, exact, rounded) => {
    const cost = costOf(flatFee(amount, currency), quantity);
    expect(cost).toEqual({
      currency: currency.toLowerCase(),
      billingModel: 'FLAT_FEE',
      tierMode: null,
      quantity: cost.quantity,
      amount: rounded,
      exactAmount: exact,
      tiers: [],
      packages: null,
    });
  });

  it('canonicalises the quantity it reports', () => {
    expect(costOf(flatFee('1'), '1e3').quantity).toBe('1000');
    expect(costOf(flatFee('1'), '2.50').quantity).toBe('2.5');
    expect(costOf(flatFee('1'), '-0').quantity).toBe('0');
  });
});
