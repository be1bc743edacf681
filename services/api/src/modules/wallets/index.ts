/** Wallets, as other modules and the composition root use them. */
export { WalletService, type WalletTime, type CreditConsumption, type CreditDeposit, type AfterLedgerChange } from './wallet.service.ts';
export { WalletRealTime, type WalletBilling, type UnpaidInvoiceAmounts, type RealTimeBalance } from './wallet-real-time.ts';
export { WalletAlerts, type AutoTopUpInvoicing } from './wallet-alerts.ts';
export { WalletExpiryWork } from './wallet-expiry.work.ts';
export { WalletOngoingWork, type AlertFeatures } from './wallet-ongoing.work.ts';
export { toWalletResponse, toWalletTransactionResponse, type WalletView } from './wallet.convert.ts';
export type { Wallet } from './wallet.entity.ts';
export type { WalletTransaction } from './wallet-transaction.entity.ts';
export { hasActiveWallet } from './customer-holdings.ts';
export { WalletInvoiceCredits, prepaidCreditsKey, type PrepaidWallet } from './wallet-invoice-credits.ts';
export { WalletPayments, paymentDebitKey, type InvoiceWalletDebit } from './wallet-payments.ts';
export { autoTopUpInvoicing } from './wallet-auto-topup-invoicing.ts';
