import { expect } from 'vitest';
import { ExactDecimal } from '../../../src/billing/money/index.ts';
import type { ApiClient } from '../../support/api-client.ts';

/** Every transaction of a wallet, oldest first, through the API. */
export async function ledgerOf(api: ApiClient, walletId: string): Promise<any[]> {
  const res = await api.get(`/v1/wallets/${walletId}/transactions?limit=1000&order=asc`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items;
}

/**
 * The ledger's invariants, checked on what the API answers: credit_balance = Σ completed credits −
 * Σ debits; every credit's credits_available within [0, credit_amount]; balance = credit_balance ×
 * conversion_rate exactly; each transaction's balance before is the previous one's after.
 */
export function expectLedgerHolds(wallet: any, ledger: any[]): void {
  const d = (s: string) => new ExactDecimal(s);
  let sum = d('0');
  let previous = d('0');
  for (const t of ledger) {
    expect(d(t.credit_balance_before).eq(previous), `${t.id} starts where the one before ended`).toBe(true);
    const signed = t.type === 'credit' ? d(t.credit_amount) : d(t.credit_amount).negated();
    if (t.transaction_status === 'completed') sum = sum.plus(signed);
    expect(d(t.credit_balance_after).eq(d(t.credit_balance_before).plus(signed)), `${t.id} moves the balance by its amount`).toBe(true);
    previous = d(t.credit_balance_after);
    if (t.type === 'credit') {
      expect(d(t.credits_available).gte(0) && d(t.credits_available).lte(d(t.credit_amount)), `${t.id} available ${t.credits_available} of ${t.credit_amount}`).toBe(true);
    } else {
      expect(t.credits_available).toBe('0');
    }
  }
  expect(d(wallet.credit_balance).eq(sum), `credit_balance ${wallet.credit_balance} = ledger ${sum.toString()}`).toBe(true);
  expect(d(wallet.credit_balance).eq(previous)).toBe(true);
  expect(d(wallet.balance).eq(d(wallet.credit_balance).times(d(wallet.conversion_rate))), 'balance = credit_balance × conversion_rate').toBe(true);
}
