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
 * Σ completed debits; every credit's credits_available within [0, credit_amount]; balance =
 * credit_balance × conversion_rate exactly. The completed transactions chain: each one's balance
 * before is the balance after the one that moved the balance before it — in ledger order, except
 * that a purchase bought on an invoice moves it when its invoice is paid, after rows made later. A
 * pending or failed transaction moves nothing (before = after) and has no credits available.
 */
export function expectLedgerHolds(wallet: any, ledger: any[]): void {
  const d = (s: string) => new ExactDecimal(s);
  const signed = (t: any) => (t.type === 'credit' ? d(t.credit_amount) : d(t.credit_amount).negated());
  let sum = d('0');
  const completed: any[] = [];
  for (const t of ledger) {
    expect(['pending', 'completed', 'failed'], `${t.id} status`).toContain(t.transaction_status);
    if (t.transaction_status === 'completed') {
      sum = sum.plus(signed(t));
      completed.push(t);
      expect(d(t.credit_balance_after).eq(d(t.credit_balance_before).plus(signed(t))), `${t.id} moves the balance by its amount`).toBe(true);
    } else {
      expect(d(t.credit_balance_after).eq(d(t.credit_balance_before)), `${t.id} (${t.transaction_status}) moves nothing`).toBe(true);
      expect(t.credits_available, `${t.id} (${t.transaction_status}) has nothing to spend`).toBe('0');
    }
    if (t.type === 'credit') {
      expect(d(t.credits_available).gte(0) && d(t.credits_available).lte(d(t.credit_amount)), `${t.id} available ${t.credits_available} of ${t.credit_amount}`).toBe(true);
    } else {
      expect(t.credits_available).toBe('0');
    }
  }
  let balance = d('0');
  while (completed.length) {
    const next = completed.findIndex((t) => d(t.credit_balance_before).eq(balance));
    expect(next, `a completed transaction starts at ${balance.toString()} (${completed.map((t) => t.id).join(', ')} left)`).toBeGreaterThanOrEqual(0);
    balance = d(completed.splice(next, 1)[0].credit_balance_after);
  }
  expect(d(wallet.credit_balance).eq(sum), `credit_balance ${wallet.credit_balance} = ledger ${sum.toString()}`).toBe(true);
  expect(d(wallet.credit_balance).eq(balance)).toBe(true);
  expect(d(wallet.balance).eq(d(wallet.credit_balance).times(d(wallet.conversion_rate))), 'balance = credit_balance × conversion_rate').toBe(true);
}
