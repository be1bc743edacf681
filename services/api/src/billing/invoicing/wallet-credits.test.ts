import { describe, expect, it } from 'vitest';
import { applyWalletCredits, type CreditWallet } from './wallet-credits.ts';

const lines = (...ls: [string, 'USAGE' | 'FIXED'][]) => ls.map(([amount, priceType], i) => ({ id: `l${i}`, priceType, amountAfterDiscounts: amount }));
const wallet = (id: string, value: string, allowed: string[] = ['USAGE']): CreditWallet => ({ id, value, allowedPriceTypes: allowed });

describe('applyWalletCredits: PRE_PAID wallets pooled, the largest first, over usage lines', () => {
  it('one wallet with more than the usage: usage lines paid in full, the fixed line untouched', () => {
    const r = applyWalletCredits(lines(['52.5', 'USAGE'], ['17.5', 'FIXED']), [wallet('w1', '100')], 'usd');
    expect(r.lines.map((l) => l.prepaidCreditsApplied)).toEqual(['52.5', '0']);
    expect(r.totalPrepaidCreditsApplied).toBe('52.5');
    expect(r.byWallet).toEqual([{ walletId: 'w1', amount: '52.5' }]);
  });

  it('insufficient balance: credits apply up to what is available (30 of 52.50), whole cents only (30.009 → 30.00)', () => {
    const r = applyWalletCredits(lines(['40', 'USAGE'], ['12.5', 'USAGE']), [wallet('w1', '30.009')], 'usd');
    expect(r.lines.map((l) => l.prepaidCreditsApplied)).toEqual(['30', '0']);
    expect(r.byWallet).toEqual([{ walletId: 'w1', amount: '30' }]);
  });

  it('two wallets: the larger (25) pays first, the smaller (10) pays what is left of the lines (40 + 12.50 − 25 → 10 of 27.50)', () => {
    const r = applyWalletCredits(lines(['40', 'USAGE'], ['12.5', 'USAGE']), [wallet('small', '10'), wallet('large', '25')], 'usd');
    expect(r.lines.map((l) => l.prepaidCreditsApplied)).toEqual(['35', '0']); // 25 + 10 on the first line
    expect(r.totalPrepaidCreditsApplied).toBe('35');
    expect(r.byWallet).toEqual([{ walletId: 'large', amount: '25' }, { walletId: 'small', amount: '10' }]);
  });

  it('a wallet that may pay only FIXED pays nothing; ALL pays usage (never fixed lines)', () => {
    const r = applyWalletCredits(lines(['10', 'USAGE'], ['20', 'FIXED']), [wallet('fixed', '500', ['FIXED']), wallet('all', '4', ['ALL'])], 'usd');
    expect(r.lines.map((l) => l.prepaidCreditsApplied)).toEqual(['4', '0']);
    expect(r.byWallet).toEqual([{ walletId: 'all', amount: '4' }]);
  });

  it('no wallets, or empty ones: nothing applied', () => {
    expect(applyWalletCredits(lines(['10', 'USAGE']), [], 'usd').totalPrepaidCreditsApplied).toBe('0');
    const r = applyWalletCredits(lines(['10', 'USAGE']), [wallet('w', '0.004')], 'usd');
    expect([r.totalPrepaidCreditsApplied, r.byWallet]).toEqual(['0', []]);
  });

  it('JPY has no minor unit: 7.9 yen of credits pay 7', () => {
    expect(applyWalletCredits(lines(['100', 'USAGE']), [wallet('w', '7.9')], 'jpy').totalPrepaidCreditsApplied).toBe('7');
  });
});
