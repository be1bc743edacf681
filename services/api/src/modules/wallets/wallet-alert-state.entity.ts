import { defineEntity, p } from '@mikro-orm/core';
import type { AlertState } from '../../billing/wallets/index.ts';
import { environmentRecord, inEnvironment } from '../../db/base-properties.ts';

/** What a state row follows: the credit balance, the real-time balance, or a feature's alert on it (`feature:<feature id>`). */
export type AlertKind = 'credit_balance' | 'ongoing_balance' | `feature:${string}`;

/**
 * A wallet's alert state for one kind of balance, and the balance it was last computed on. The
 * `ongoing_balance` row is also the periodic balance check's: `computedAt` and the balance answer
 * `/balance/real-time-cached`, `nextCheckAt` is when the check is due again. One row per wallet and
 * kind (unique), written under the wallet's row lock.
 */
export const WalletAlertStateSchema = defineEntity(environmentRecord('WalletAlertState', 'wallet_alert_states', {
  walletId: p.string().length(64),
  customerId: p.string().length(64),
  kind: p.string().length(80).$type<AlertKind>(),
  alertState: p.string().length(20).$type<AlertState>(),
  balance: p.decimal('string').columnType('numeric'),
  creditBalance: p.decimal('string').columnType('numeric'),
  currentPeriodUsage: p.decimal('string').columnType('numeric').nullable(),
  unpaidInvoicesAmount: p.decimal('string').columnType('numeric').nullable(),
  computedAt: p.datetime(),
  nextCheckAt: p.datetime().nullable(),
}, {
  uniques: [inEnvironment('wallet_alert_states_kind_uq', ['walletId', 'kind'])],
}));
export class WalletAlertState extends WalletAlertStateSchema.class {}
WalletAlertStateSchema.setClass(WalletAlertState);
