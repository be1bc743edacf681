import { defineEntity, p } from '@mikro-orm/core';
import { environmentRecord, inEnvironment } from '../../db/base-properties.ts';

export const walletTypes = ['PRE_PAID', 'POST_PAID'] as const;
export type WalletType = (typeof walletTypes)[number];
export type WalletStatus = 'active' | 'frozen' | 'closed';
export type AllowedPriceType = 'ALL' | 'USAGE' | 'FIXED';
export type WalletConfig = { allowed_price_types: AllowedPriceType[] };
export type AlertThreshold = { threshold: string; condition: 'above' | 'below' };
export type AlertSettings = { alert_enabled?: boolean; critical?: AlertThreshold; warning?: AlertThreshold; info?: AlertThreshold };
export type AutoTopup = { enabled?: boolean; threshold?: string; amount?: string; invoicing?: boolean; cooldown?: { value: number; unit: 'MINUTE' | 'HOUR' | 'DAY' } };

/**
 * A customer's wallet. `creditBalance` is the sum of its ledger (completed credits minus debits),
 * stored so reads need no sum, and changed only by the service in the transaction that appends the
 * ledger entry, under this row's lock (see docs/api/wallets.md). The partial unique index allows one
 * active wallet per customer, currency and type.
 */
export const WalletSchema = defineEntity(environmentRecord('Wallet', 'wallets', {
  customerId: p.string().length(64),
  name: p.string().length(255),
  description: p.text().nullable(),
  currency: p.string().length(3),
  walletType: p.string().length(20).$type<WalletType>(),
  walletStatus: p.string().length(20).$type<WalletStatus>(),
  creditBalance: p.decimal('string').columnType('numeric'),
  conversionRate: p.decimal('string').columnType('numeric'),
  topupConversionRate: p.decimal('string').columnType('numeric'),
  config: p.json<WalletConfig>(),
  alertSettings: p.json<AlertSettings>().nullable(),
  alertState: p.string().length(20).default('ok'),
  autoTopup: p.json<AutoTopup>().nullable(),
  metadata: p.json<Record<string, string>>().default('{}'),
}, {
  uniques: [inEnvironment('wallets_one_active_uq', ['customerId', 'currency', 'walletType'], "wallet_status = 'active' and status = 'published'")],
  indexes: [inEnvironment('wallets_customer_idx', ['customerId'])],
}));
export class Wallet extends WalletSchema.class {}
WalletSchema.setClass(Wallet);
