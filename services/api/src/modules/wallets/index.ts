/** Wallets, as other modules and the composition root use them. */
export { WalletService, type WalletTime, type CreditConsumption, type CreditDeposit } from './wallet.service.ts';
export { toWalletResponse, toWalletTransactionResponse, type WalletView } from './wallet.convert.ts';
export type { Wallet } from './wallet.entity.ts';
export type { WalletTransaction } from './wallet-transaction.entity.ts';
export { hasActiveWallet } from './customer-holdings.ts';
export { WalletInvoiceCredits, prepaidCreditsKey, type PrepaidWallet } from './wallet-invoice-credits.ts';
export { WalletPayments, paymentDebitKey, type InvoiceWalletDebit } from './wallet-payments.ts';
