import { expect } from 'vitest';
import type { ApiClient } from '../../support/api-client.ts';
import { ledgerOf } from '../wallets/wallet-ledger.ts';

/** The customer's one wallet (there must be exactly one) and its ledger, oldest first. */
export async function walletOf(api: ApiClient, customerId: string): Promise<{ wallet: any; ledger: any[] }> {
  const res = await api.get(`/v1/customers/${customerId}/wallets`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body).toHaveLength(1);
  const wallet = res.body[0];
  return { wallet, ledger: await ledgerOf(api, wallet.id) };
}

/** The wallet's credits as [credit_amount, expiry_date, credits_available, grant id of its metadata]. */
export const creditsOf = (ledger: any[]) =>
  ledger.filter((t) => t.type === 'credit').map((t) => [t.credit_amount, t.expiry_date ?? null, t.credits_available, t.metadata?.grant_id ?? null]);

/** A subscription's upcoming applications as [scheduled_for, period_start, period_end, application_reason, credits, application_status]. */
export async function upcomingOf(api: ApiClient, subscriptionId: string): Promise<unknown[][]> {
  const res = await api.get(`/v1/subscriptions/${subscriptionId}/grants/upcoming`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items.map((a: any) => [a.scheduled_for, a.period_start, a.period_end ?? null, a.application_reason, a.credits, a.application_status]);
}

/** The SUBSCRIPTION grants of a subscription. */
export async function grantsOf(api: ApiClient, subscriptionId: string): Promise<any[]> {
  const res = await api.get(`/v1/creditgrants?subscription_ids=${subscriptionId}&limit=100`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items;
}
