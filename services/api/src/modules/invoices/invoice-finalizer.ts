import type { AuthContext } from '../../auth-context.ts';
import { defaultInvoiceNumberConfig, invoiceNumber, invoiceNumberDate, invoiceTotals, type TaxRate } from '../../billing/invoicing/index.ts';
import type { Tx } from '../../db/transactions.ts';
import { record } from '../webhooks/index.ts';
import type { InvoicePaidHook, TaxApplications, TaxRates } from './billable-subscription.ts';
import type { Invoice } from './invoice.entity.ts';
import type { InvoiceRepo } from './invoice.repo.ts';
import type { InvoiceLineItem } from './invoice-line-item.entity.ts';
import type { CouponApplication } from './coupon-application.entity.ts';
import { applyPrepaidCreditsAtFinalization, type PrepaidCreditWallets } from './invoice-prepaid-credits.ts';
import { invoiceEvent, type InvoiceEventSource, type KnownContents } from './invoice.webhook.ts';

export type FinalizerFaces = { taxes: TaxRates; taxApplications?: TaxApplications; paidHooks: InvoicePaidHook[]; prepaidCredits?: PrepaidCreditWallets };

/**
 * Finalizes drafts (docs/flexprice-compatibility.md#invoices): a subscription invoice's prepaid credits
 * applied from the customer's PRE_PAID wallets (docs/api/wallet-invoices.md#prepaid-credits-at-finalization), taxes applied to the lines as computed,
 * the totals recomputed, the next number of the environment's sequence for the month of `at`
 * (`INV-YYYYMM-00001`, allocated in this transaction: gap-free), `finalized_at`; an invoice of 0 is
 * paid (SUCCEEDED) at once. Announced by `invoice.update.finalized`.
 */
export class InvoiceFinalizer {
  readonly #repo: InvoiceRepo;
  readonly #faces: FinalizerFaces;

  readonly #eventSource: InvoiceEventSource;

  constructor(repo: InvoiceRepo, faces: FinalizerFaces) {
    this.#repo = repo;
    this.#faces = faces;
    this.#eventSource = { repo, taxApplications: faces.taxApplications };
  }

  /**
   * `contents`: the lines and coupon applications the caller has just written in this unit of work (a
   * recomputed draft), used as they are instead of being read back.
   */
  async finalize(tx: Tx, auth: AuthContext, invoice: Invoice, at: Date, contents?: { lines: InvoiceLineItem[]; applications: CouponApplication[] }): Promise<void> {
    const lines = contents?.lines ?? (await this.#repo.linesOf(tx, auth, [invoice.id]));
    let taxesRecorded = false;
    if (this.#faces.prepaidCredits) await applyPrepaidCreditsAtFinalization(tx, auth, this.#faces.prepaidCredits, invoice, lines, at);
    if (invoice.invoiceType !== 'CREDIT') {
      const rates = await this.#faces.taxes.applicableRates(tx, auth, {
        customerId: invoice.customerId,
        subscriptionId: invoice.subscriptionId ?? null,
        currency: invoice.currency,
        at,
        overrides: invoice.taxRateOverrides ?? [],
      });
      const taxRates: TaxRate[] = rates.map((r) =>
        r.type === 'percentage' ? { id: r.rateId, taxRateType: 'percentage', percentageValue: r.value } : { id: r.rateId, taxRateType: 'fixed', fixedValue: r.value },
      );
      const totals = invoiceTotals({
        currency: invoice.currency,
        lines: lines.map((l) => ({ amount: l.amount, lineItemDiscount: l.lineItemDiscount, invoiceLevelDiscount: l.invoiceLevelDiscount, prepaidCreditsApplied: l.prepaidCreditsApplied })),
        taxRates,
        amountPaid: invoice.amountPaid,
      });
      Object.assign(invoice, {
        subtotal: totals.subtotal,
        totalDiscount: totals.totalDiscount,
        totalPrepaidCreditsApplied: totals.totalPrepaidCreditsApplied,
        totalTax: totals.totalTax,
        total: totals.total,
        amountDue: totals.amountDue,
        amountRemaining: totals.amountRemaining,
      });
      if (this.#faces.taxApplications && totals.taxes.length) {
        taxesRecorded = true;
        const byRate = new Map(rates.map((r) => [r.rateId, r.associationId]));
        await this.#faces.taxApplications.record(
          tx,
          auth,
          { id: invoice.id, currency: invoice.currency, at },
          totals.taxes.map((t) => ({ rateId: t.taxRateId, associationId: byRate.get(t.taxRateId) ?? null, taxableAmount: t.taxableAmount, taxAmount: t.taxAmount })),
        );
      }
    }
    const config = defaultInvoiceNumberConfig;
    const sequence = await this.#repo.nextNumber(tx, auth, invoiceNumberDate(config.format, at, config.timezone));
    invoice.invoiceNumber = invoiceNumber(at, sequence, config);
    invoice.invoiceStatus = 'FINALIZED';
    invoice.finalizedAt = at;
    invoice.finalizeAt = null;
    invoice.version += 1;
    invoice.updatedAt = at;
    const nothingDue = Number(invoice.amountDue) <= 0 && invoice.paymentStatus === 'PENDING';
    if (nothingDue) {
      invoice.paymentStatus = 'SUCCEEDED';
      invoice.paidAt = at;
      invoice.amountRemaining = '0';
    }
    // Taxes are recorded only here, when a draft is finalized: a draft has none, so when none were recorded now the invoice has none.
    const known: KnownContents = contents ? { ...contents, ...(taxesRecorded ? {} : { taxes: [] }) } : {};
    await record(tx, auth, await invoiceEvent(tx, auth, this.#eventSource, 'invoice.update.finalized', invoice, at, known));
    if (invoice.paymentStatus === 'SUCCEEDED' || invoice.paymentStatus === 'OVERPAID') {
      for (const hook of this.#faces.paidHooks) await hook(tx, auth, invoice, at);
    }
  }
}
