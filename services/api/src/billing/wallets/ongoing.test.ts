import { describe, expect, it } from 'vitest';
import { ExactDecimal } from '../money/index.ts';
import { ongoingBalance, unpaidAgainstWallet, type UnpaidInvoice } from './ongoing.ts';

const d = (s: string) => new ExactDecimal(s);
const inv = (usage: string, paid: string, remaining: string): UnpaidInvoice => ({ usageCharges: d(usage), amountPaid: d(paid), amountRemaining: d(remaining) });
const text = (b: ReturnType<typeof ongoingBalance>) => [b.currentPeriodUsage.toString(), b.unpaidInvoicesAmount.toString(), b.realTimeBalance.toString()];

describe('ongoingBalance', () => {
  it("FlexPrice's example: balance $100, current-period usage $30, unpaid usage invoices $15 → $55", () => {
    expect(text(ongoingBalance(d('100'), d('30'), [inv('15', '0', '15')], ['USAGE']))).toEqual(['45', '15', '55']);
  });

  it('counts no usage when the wallet pays only fixed charges, but every unpaid amount', () => {
    // An invoice of $20 fixed + $15 usage, $5 paid: $30 remain.
    expect(text(ongoingBalance(d('100'), d('30'), [inv('15', '5', '30')], ['FIXED']))).toEqual(['30', '30', '70']);
  });

  it('with ALL: usage and every unpaid amount; it may go below zero', () => {
    expect(text(ongoingBalance(d('10'), d('12.5'), [inv('15', '5', '30'), inv('0', '0', '0.25')], ['ALL']))).toEqual(['42.75', '30.25', '-32.75']);
  });

  it('keeps every digit: no rounding of fractions of a cent', () => {
    expect(text(ongoingBalance(d('1.005'), d('0.0001'), [], ['USAGE']))).toEqual(['0.0001', '0', '1.0049']);
  });
});

describe('unpaidAgainstWallet', () => {
  it('USAGE only: usage charges less what was paid, never below zero', () => {
    // $15 usage with $5 paid → $10; $8 usage with $20 paid → 0.
    expect(unpaidAgainstWallet([inv('15', '5', '30'), inv('8', '20', '3')], ['USAGE']).toString()).toBe('10');
  });

  it('no restriction counts as usage only for the unpaid part', () => {
    expect(unpaidAgainstWallet([inv('15', '5', '30')], []).toString()).toBe('10');
  });
});
