import { beforeAll, describe, expect } from 'vitest';
import { flexprice, lastResponseBody, sdkTest, thrown, unique } from '../src/sdk-test.ts';

/**
 * Wallets through FlexPrice's SDK: a prepaid wallet with initial credits, top-ups converted at the
 * top-up rate, the ledger of transactions, real-time balances, search, update and termination.
 */
describe('wallets', () => {
  let customerId: string;
  let externalId: string;

  beforeAll(async () => {
    externalId = unique('holder');
    customerId = (await flexprice.customers.createCustomer({ externalId, name: 'Holder' })).id!;
  });

  sdkTest('creates a wallet with initial credits (rate 0.5: 200 credits are worth $100) and reads it', ['wallets.createWallet', 'wallets.getWallet'], async () => {
    const wallet = await flexprice.wallets.createWallet({ customerId, currency: 'USD', conversionRate: '0.5', initialCreditsToLoad: '200', metadata: { team: 'a' } });
    expect(wallet.id).toMatch(/^wallet_[0-9A-Z]{26}$/);
    expect(wallet).toMatchObject({ customerId, currency: 'usd', name: 'Prepaid Wallet - USD', walletType: 'PRE_PAID', walletStatus: 'active', creditBalance: '200', balance: '100', conversionRate: '0.5', topupConversionRate: '0.5', config: { allowedPriceTypes: ['USAGE'] }, metadata: { team: 'a' } });
    expect(await flexprice.wallets.getWallet(wallet.id!)).toEqual(wallet);
    const second = await thrown(() => flexprice.wallets.createWallet({ customerId, currency: 'usd' }));
    expect(second.statusCode).toBe(409);
  });

  sdkTest('tops up by amount at the top-up rate and lists the ledger', ['wallets.topUpWallet', 'wallets.getWalletTransactions', 'wallets.queryWalletTransaction'], async () => {
    const wallet = await flexprice.wallets.createWallet({ customerId, currency: 'eur', conversionRate: '0.5', topupConversionRate: '0.25' });
    const topUp = await flexprice.wallets.topUpWallet(wallet.id!, { transactionReason: 'PURCHASED_CREDIT_DIRECT', amount: '10', idempotencyKey: unique('order') });
    expect(topUp.walletTransaction).toMatchObject({ type: 'credit', creditAmount: '40', amount: '10', creditsAvailable: '40', transactionReason: 'PURCHASED_CREDIT_DIRECT', transactionStatus: 'completed' });
    expect(topUp.wallet).toMatchObject({ creditBalance: '40', balance: '20' });
    const refused = await thrown(() => flexprice.wallets.topUpWallet(wallet.id!, { transactionReason: 'SUBSCRIPTION_CREDIT_GRANT', creditsToAdd: '5' }));
    expect(refused.statusCode).toBe(400);
    expect((await lastResponseBody()).details).toHaveProperty('transaction_reason');
    const ledger = await flexprice.wallets.getWalletTransactions({ idPathParameter: wallet.id!, type: 'credit' });
    expect(ledger.items!.map((t) => [t.id, t.creditAmount])).toEqual([[topUp.walletTransaction!.id, '40']]);
    const found = await flexprice.wallets.queryWalletTransaction({ transactionReason: 'PURCHASED_CREDIT_DIRECT', limit: 1000 });
    expect(found.items!.map((t) => t.id)).toContain(topUp.walletTransaction!.id);
  });

  sdkTest('buys credits on an invoice: pending until the invoice is paid', ['wallets.topUpWallet', 'payments.createPayment', 'wallets.getWallet'], async () => {
    const wallet = await flexprice.wallets.createWallet({ customerId, currency: 'chf', topupConversionRate: '0.5' });
    const bought = await flexprice.wallets.topUpWallet(wallet.id!, { transactionReason: 'PURCHASED_CREDIT_INVOICED', creditsToAdd: '20', idempotencyKey: unique('purchase') });
    expect(bought.walletTransaction).toMatchObject({ transactionStatus: 'pending', transactionReason: 'PURCHASED_CREDIT_INVOICED', creditAmount: '20', amount: '10', creditsAvailable: '0' }); // 20 × 0.5
    expect(bought.invoiceId).toMatch(/^inv_/);
    expect(bought.wallet).toMatchObject({ creditBalance: '0' });
    await flexprice.payments.createPayment({ amount: '10', currency: 'chf', destinationType: 'INVOICE', destinationId: bought.invoiceId!, paymentMethodType: 'OFFLINE' });
    expect(await flexprice.wallets.getWallet(wallet.id!)).toMatchObject({ creditBalance: '20', balance: '20' }); // conversion rate 1 (the wallet's default)
  });

  sdkTest('reads real-time balances and a customer’s wallets', ['wallets.getWalletBalance', 'wallets.getWalletsByCustomerId', 'wallets.getCustomerWallets'], async () => {
    const other = await flexprice.customers.createCustomer({ externalId: unique('reader'), name: 'Reader' });
    const wallet = await flexprice.wallets.createWallet({ customerId: other.id!, currency: 'usd', conversionRate: '0.5', initialCreditsToLoad: '200' });
    const balance = await flexprice.wallets.getWalletBalance(wallet.id!);
    expect(balance).toMatchObject({ id: wallet.id, balance: '100', realTimeBalance: '100', realTimeCreditBalance: '200', currentPeriodUsage: '0', unpaidInvoicesAmount: '0' });
    const byId = await flexprice.wallets.getWalletsByCustomerId(other.id!);
    expect(byId.map((w) => w.id)).toEqual([wallet.id]);
    const byKey = await flexprice.wallets.getCustomerWallets({ lookupKey: other.externalId!, includeRealTimeBalance: true });
    expect(byKey.map((w) => [w.id, w.balance])).toEqual([[wallet.id, '100']]);
    // The SDK types the answer as plain wallets; FlexPrice's server, like Tally, adds the real-time balances.
    expect((await lastResponseBody()).map((w: any) => w.real_time_balance)).toEqual(['100']);
  });

  sdkTest('searches, updates and terminates a wallet', ['wallets.queryWallet', 'wallets.updateWallet', 'wallets.terminateWallet'], async () => {
    const wallet = await flexprice.wallets.createWallet({ externalCustomerId: externalId, currency: 'gbp', initialCreditsToLoad: '30' });
    const updated = await flexprice.wallets.updateWallet(wallet.id!, { name: 'Team credits', metadata: { lab: '7' } });
    expect(updated).toMatchObject({ id: wallet.id, name: 'Team credits', metadata: { lab: '7' } });
    const active = await flexprice.wallets.queryWallet({ walletIds: [wallet.id!], status: 'active' });
    expect(active.items!.map((w) => w.id)).toEqual([wallet.id]);
    await flexprice.wallets.terminateWallet(wallet.id!);
    expect(await lastResponseBody()).toEqual({ message: 'wallet terminated successfully' });
    expect(await flexprice.wallets.getWallet(wallet.id!)).toMatchObject({ walletStatus: 'closed', creditBalance: '0', balance: '0' });
    expect((await flexprice.wallets.queryWallet({ walletIds: [wallet.id!], status: 'closed' })).items!.map((w) => w.id)).toEqual([wallet.id]);
    const again = await thrown(() => flexprice.wallets.terminateWallet(wallet.id!));
    expect(again.statusCode).toBe(400);
  });
});
