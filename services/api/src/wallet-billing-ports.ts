import { ExactDecimal, formatDecimal, zero } from './billing/money/index.ts';
import type { AlertLevels } from './billing/wallets/index.ts';
import type { FeatureReader } from './modules/features/index.ts';
import type { InvoiceService } from './modules/invoices/index.ts';
import type { SubscriptionRepo } from './modules/subscriptions/index.ts';
import type { AlertFeatures, WalletBilling } from './modules/wallets/index.ts';

/**
 * The wallets module's billing port, answered by the subscriptions and invoices modules (wired here
 * so that none imports another): the usage charges of the customer's active subscriptions in the
 * current period, priced by the invoice preview, and the customer's unpaid finalized invoices; and,
 * for the balance check, the features with wallet-balance alerts that those subscriptions bill.
 */
export function walletBillingPorts(faces: { subscriptions: SubscriptionRepo; invoices: InvoiceService; features: FeatureReader }): WalletBilling & { alertFeatures: AlertFeatures } {
  return {
    async currentPeriodUsage(tx, auth, customerId, currency) {
      const subscriptions = (await faces.subscriptions.ofCustomer(tx, auth, customerId, ['active'])).filter((s) => s.currency === currency);
      let total = zero;
      for (const sub of subscriptions) {
        const preview = await faces.invoices.previewIn(tx, auth, { subscriptionId: sub.id, periodStart: null, periodEnd: null, hideZeroLines: false });
        for (const line of preview.lines ?? []) if (line.priceType === 'USAGE') total = total.plus(new ExactDecimal(line.amount));
      }
      return formatDecimal(total);
    },
    async unpaidInvoices(tx, auth, customerId, currency) {
      const unpaid = (await faces.invoices.repo.openOf(tx, auth, customerId)).filter(
        (i) => i.invoiceStatus === 'FINALIZED' && i.currency === currency && new ExactDecimal(i.amountRemaining).gt(0),
      );
      const lines = await faces.invoices.repo.linesOf(tx, auth, unpaid.map((i) => i.id));
      return unpaid.map((i) => ({
        usageCharges: formatDecimal(lines.filter((l) => l.invoiceId === i.id && l.priceType === 'USAGE').reduce((sum, l) => sum.plus(new ExactDecimal(l.amount)), zero)),
        amountPaid: i.amountPaid,
        amountRemaining: i.amountRemaining,
      }));
    },
    async alertFeatures(tx, auth, customerId, currency) {
      const subscriptions = (await faces.subscriptions.ofCustomer(tx, auth, customerId, ['active'])).filter((s) => s.currency === currency);
      const items = await faces.subscriptions.lineItemsOf(tx, auth, subscriptions.map((s) => s.id));
      const meterIds = [...new Set(items.map((i) => i.meterId).filter((m): m is string => !!m))];
      if (!meterIds.length) return [];
      const features = await faces.features.publishedOfMeters(tx, auth, meterIds);
      return features
        .filter((f) => (f.alertSettings as { alert_enabled?: boolean } | null)?.alert_enabled === true)
        .map((f) => ({ id: f.id, alertSettings: f.alertSettings as AlertLevels }));
    },
  };
}
