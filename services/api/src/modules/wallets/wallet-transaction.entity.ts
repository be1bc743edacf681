import { defineEntity, p } from '@mikro-orm/core';
import { environmentRecord, inEnvironment } from '../../db/base-properties.ts';

export const transactionReasons = [
  'INVOICE_PAYMENT', 'FREE_CREDIT_GRANT', 'SUBSCRIPTION_CREDIT_GRANT', 'PURCHASED_CREDIT_INVOICED', 'PURCHASED_CREDIT_DIRECT', 'CREDIT_NOTE',
  'CREDIT_EXPIRED', 'WALLET_TERMINATION', 'MANUAL_BALANCE_DEBIT', 'CREDIT_ADJUSTMENT', 'INVOICE_VOID_REFUND', 'PURCHASED_CREDIT_BONUS',
] as const;
export type TransactionReason = (typeof transactionReasons)[number];
export type TransactionType = 'credit' | 'debit';
export type TransactionStatus = 'pending' | 'completed' | 'failed';
export type ReferenceType = 'PAYMENT' | 'EXTERNAL' | 'REQUEST' | 'INVOICE';

/**
 * An entry of a wallet's ledger: appended, never edited — except `creditsAvailable` of a credit, the
 * part not yet consumed by debits. `amount` (currency) and `creditAmount` (credits) are both stored,
 * unrounded, with the wallet's credit balance before and after. The partial unique index makes an
 * idempotency key name one transaction per wallet; the others serve consumption and expiry.
 */
export const WalletTransactionSchema = defineEntity(environmentRecord('WalletTransaction', 'wallet_transactions', {
  walletId: p.string().length(64),
  customerId: p.string().length(64),
  type: p.string().length(10).$type<TransactionType>(),
  amount: p.decimal('string').columnType('numeric'),
  creditAmount: p.decimal('string').columnType('numeric'),
  creditBalanceBefore: p.decimal('string').columnType('numeric'),
  creditBalanceAfter: p.decimal('string').columnType('numeric'),
  creditsAvailable: p.decimal('string').columnType('numeric'),
  transactionStatus: p.string().length(20).$type<TransactionStatus>(),
  transactionReason: p.string().length(40).$type<TransactionReason>(),
  referenceType: p.string().length(20).$type<ReferenceType>().nullable(),
  referenceId: p.string().length(255).nullable(),
  description: p.text().nullable(),
  metadata: p.json<Record<string, string>>().default('{}'),
  expiryDate: p.datetime().nullable(),
  priority: p.integer().nullable(),
  currency: p.string().length(3),
  conversionRate: p.decimal('string').columnType('numeric').nullable(),
  topupConversionRate: p.decimal('string').columnType('numeric').nullable(),
  idempotencyKey: p.string().length(255).nullable(),
  parentTransactionId: p.string().length(64).nullable(),
}, {
  uniques: [inEnvironment('wallet_transactions_idempotency_key_uq', ['walletId', 'idempotencyKey'], 'idempotency_key is not null')],
  indexes: [
    inEnvironment('wallet_transactions_wallet_idx', ['walletId', 'type', 'createdAt']),
    // Credits with something left to expire: what the expiry due work looks for.
    { name: 'wallet_transactions_expiry_idx', properties: ['expiryDate'], where: "type = 'credit' and credits_available > 0 and expiry_date is not null" },
  ],
}));
export class WalletTransaction extends WalletTransactionSchema.class {}
WalletTransactionSchema.setClass(WalletTransaction);
