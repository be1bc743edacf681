import { canonicalDecimal } from '../../wire/canonical-decimal.ts';
import type { AlertState } from '../../billing/wallets/index.ts';
import type { NewWebhookEvent } from '../webhooks/index.ts';
import { walletWebhookPayload } from './wallet.webhook.ts';
import type { Wallet } from './wallet.entity.ts';

export type AlertType = 'credit_balance' | 'ongoing_balance';

/**
 * `wallet.credit_balance.dropped|recovered` and `wallet.ongoing_balance.dropped|recovered`: the
 * trimmed wallet and the alert — its new state, the balance it was computed on (currency), the
 * credit balance, its type and the wallet's alert settings.
 */
export function walletAlertEvent(type: AlertType, move: 'dropped' | 'recovered', w: Wallet, alert: { state: AlertState; balance: string; creditBalance: string }, at: Date): NewWebhookEvent {
  return {
    eventType: `wallet.${type}.${move}`,
    entityType: 'wallet',
    entityId: w.id,
    payload: {
      ...walletWebhookPayload(w),
      alert: { state: alert.state, current_balance: canonicalDecimal(alert.balance), credit_balance: canonicalDecimal(alert.creditBalance), alert_type: type, alert_settings: w.alertSettings ?? {} },
    },
    at,
  };
}

/** `feature.wallet_balance.alert`: a feature's alert thresholds met (or left) by a wallet's real-time balance. */
export function featureWalletAlertEvent(featureId: string, w: Wallet, alert: { state: AlertState; balance: string; creditBalance: string }, at: Date): NewWebhookEvent {
  return {
    eventType: 'feature.wallet_balance.alert',
    entityType: 'feature',
    entityId: featureId,
    payload: {
      alert_type: 'feature_wallet_balance',
      alert_status: alert.state,
      feature_id: featureId,
      wallet_id: w.id,
      customer_id: w.customerId,
      currency: w.currency,
      current_balance: canonicalDecimal(alert.balance),
      credit_balance: canonicalDecimal(alert.creditBalance),
    },
    at,
  };
}
