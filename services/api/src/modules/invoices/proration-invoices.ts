import type { AuthContext } from '../../auth-context.ts';
import { ExactDecimal, formatDecimal, zero } from '../../billing/money/index.ts';
import type { Period } from '../../billing/period/index.ts';
import type { Tx } from '../../db/transactions.ts';
import { newId } from '../../ids.ts';
import { newRecord } from '../../records.ts';
import { writeContents } from './invoice-contents.ts';
import type { InvoiceView } from './invoice.convert.ts';
import type { InvoiceService } from './invoice.service.ts';
import type { ComputedLine } from './subscription-invoice-calculation.ts';

/** One mid-period charge: what the subscription line item it is for copies onto the invoice, and its amount. */
export type ProrationCharge = Pick<
  ComputedLine,
  'subscriptionLineItemId' | 'priceId' | 'priceType' | 'displayName' | 'planDisplayName' | 'entityId' | 'entityType' | 'meterId' | 'meterDisplayName' | 'priceUnitId' | 'priceUnit' | 'amount' | 'quantity' | 'period' | 'metadata'
>;

export type ProrationInvoiceRequest = {
  subscriptionId: string;
  customerId: string;
  currency: string;
  billingPeriod: string;
  /** The invoice's period: from the change to the current period's end. */
  period: Period;
  at: Date;
  /** One per change (subscription, line item, instant): a retry answers the invoice made. */
  idempotencyKey: string;
  charges: ProrationCharge[];
};

const noEmbeds = { customer: false, subscription: false, subscriptionPlan: false };

/**
 * A proration invoice (`billing_reason: PRORATION`) for charges a subscription change makes in the
 * middle of a period (a line item added, a quantity raised), in the caller's unit of work, finalized
 * at once (taxes, number). Like FlexPrice's, it is not one of the subscription's window invoices
 * (`invoice_type: ONE_OFF`, with `subscription_id`), so several changes at one instant each get one.
 */
export async function billProrationCharges(tx: Tx, auth: AuthContext, invoices: InvoiceService, req: ProrationInvoiceRequest): Promise<InvoiceView> {
  const existing = await invoices.repo.getPublished(tx, auth, { idempotencyKey: req.idempotencyKey });
  if (existing) return (await invoices.viewsOf(tx, auth, [existing], noEmbeds))[0]!;
  const sum = formatDecimal(req.charges.reduce((s, c) => s.plus(new ExactDecimal(c.amount)), zero));
  const invoice = invoices.repo.add(tx, {
    id: newId('invoice'),
    customerId: req.customerId,
    subscriptionId: req.subscriptionId,
    invoiceType: 'ONE_OFF',
    invoiceStatus: 'DRAFT',
    paymentStatus: 'PENDING',
    currency: req.currency,
    subtotal: sum,
    totalDiscount: '0',
    totalTax: '0',
    total: sum,
    amountDue: sum,
    amountRemaining: sum,
    totalPrepaidCreditsApplied: '0',
    amountPaid: '0',
    adjustmentAmount: '0',
    refundedAmount: '0',
    overpaidAmount: null,
    invoiceNumber: null,
    idempotencyKey: req.idempotencyKey,
    billingSequence: null,
    description: null,
    dueDate: req.at,
    issueDate: req.at,
    lastComputedAt: req.at,
    finalizeAt: null,
    billingPeriod: req.billingPeriod,
    periodStart: req.period.start,
    periodEnd: req.period.end,
    invoicePdfUrl: null,
    billingReason: 'PRORATION',
    metadata: {},
    version: 1,
    isManuallyEdited: false,
    taxRateOverrides: [],
    ...newRecord(auth, req.at),
  });
  const lines: ComputedLine[] = req.charges.map((c) => ({
    ...c,
    adjustedEntitlementQuantity: null,
    lineItemDiscount: '0',
    invoiceLevelDiscount: '0',
    prepaidCreditsApplied: '0',
    priceUnitAmount: null,
    commitmentInfo: null,
  }));
  const contents = writeContents(tx, auth, invoices.repo, invoice, { lines, applications: [] }, req.at);
  await invoices.finalizer.finalize(tx, auth, invoice, req.at, contents);
  return (await invoices.viewsOf(tx, auth, [invoice], noEmbeds))[0]!;
}
