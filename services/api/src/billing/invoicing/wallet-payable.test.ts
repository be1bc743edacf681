import { describe, expect, it } from 'vitest';
import { walletPayable, type PayableLine } from './wallet-payable.ts';

const line = (priceType: 'USAGE' | 'FIXED', amount: string, discount = '0', credits = '0'): PayableLine => ({ priceType, amount, lineItemDiscount: discount, invoiceLevelDiscount: '0', prepaidCreditsApplied: credits });
// $40 of usage (less $5 of prepaid credits) + $20 fixed (less $2.50 off), taxed $4.40: $56.90 remains.
const lines = [line('USAGE', '40', '0', '5'), line('FIXED', '20', '2.5')];

describe('walletPayable: what a POST_PAID wallet may pay of an invoice', () => {
  it.each<[string, string[], string, string]>([
    ['ALL: everything that remains, taxes included', ['ALL'], '0', '56.9'],
    ['no restriction: as ALL', [], '0', '56.9'],
    ['USAGE: the usage line after its credits (40 − 5)', ['USAGE'], '0', '35'],
    ['FIXED: the fixed line after its discount (20 − 2.50)', ['FIXED'], '0', '17.5'],
    ['USAGE, having paid $30 already: 35 − 30', ['USAGE'], '30', '5'],
    ['USAGE, having paid more than that: 0', ['USAGE'], '40', '0'],
    ['USAGE and FIXED: both lines, not the tax (35 + 17.50)', ['USAGE', 'FIXED'], '0', '52.5'],
  ])('%s', (_case, allowed, paidByWallet, payable) => {
    expect(walletPayable({ lines, allowedPriceTypes: allowed, amountRemaining: '56.9', paidByWallet })).toBe(payable);
  });

  it('never more than remains: USAGE on an invoice with $10 left', () => {
    expect(walletPayable({ lines, allowedPriceTypes: ['USAGE'], amountRemaining: '10', paidByWallet: '0' })).toBe('10');
  });
});
