import type { AuthContext } from '../../auth-context.ts';
import type { Tx } from '../../db/transactions.ts';
import { newId } from '../../ids.ts';
import { newRecord } from '../../records.ts';
import type { CouponApplication } from './coupon-application.entity.ts';
import type { InvoiceLineItem } from './invoice-line-item.entity.ts';
import type { Invoice } from './invoice.entity.ts';
import type { InvoiceRepo } from './invoice.repo.ts';
import type { ComputedApplication, ComputedInvoice, ComputedLine } from './subscription-invoice-calculation.ts';

/** Writes an invoice's computed lines and coupon applications (a recomputed draft's replace its old ones first) and its amounts. */
export function writeContents(tx: Tx, auth: AuthContext, repo: InvoiceRepo, invoice: Invoice, computed: Pick<ComputedInvoice, 'lines' | 'applications'>, now: Date): { lines: InvoiceLineItem[]; applications: CouponApplication[] } {
  const lines = computed.lines.map((l, position) => repo.addLine(tx, lineRow(auth, invoice, l, position, now)));
  const applications = computed.applications.map((a) => repo.addApplication(tx, applicationRow(auth, invoice, a, a.lineIndex === null ? null : lines[a.lineIndex]!.id, now)));
  return { lines, applications };
}

function lineRow(auth: AuthContext, invoice: Invoice, l: ComputedLine, position: number, now: Date): Partial<InvoiceLineItem> {
  return {
    id: newId('invoiceLineItem'),
    invoiceId: invoice.id,
    position,
    customerId: invoice.customerId,
    subscriptionId: invoice.subscriptionId ?? null,
    entityId: l.entityId,
    entityType: l.entityType,
    planDisplayName: l.planDisplayName,
    priceId: l.priceId,
    priceType: l.priceType,
    meterId: l.meterId,
    meterDisplayName: l.meterDisplayName,
    priceUnitId: l.priceUnitId,
    priceUnit: l.priceUnit,
    priceUnitAmount: l.priceUnitAmount,
    displayName: l.displayName,
    amount: l.amount,
    quantity: l.quantity,
    currency: invoice.currency,
    periodStart: l.period.start,
    periodEnd: l.period.end,
    metadata: l.metadata,
    commitmentInfo: l.commitmentInfo,
    prepaidCreditsApplied: l.prepaidCreditsApplied,
    lineItemDiscount: l.lineItemDiscount,
    invoiceLevelDiscount: l.invoiceLevelDiscount,
    adjustedEntitlementQuantity: l.adjustedEntitlementQuantity,
    subscriptionLineItemId: l.subscriptionLineItemId,
    parentLineItemId: null,
    ...newRecord(auth, now),
  };
}

function applicationRow(auth: AuthContext, invoice: Invoice, a: ComputedApplication, lineId: string | null, now: Date): Partial<CouponApplication> {
  return {
    id: newId('couponApplication'),
    couponId: a.couponId,
    couponAssociationId: a.couponAssociationId || null,
    invoiceId: invoice.id,
    invoiceLineItemId: lineId,
    subscriptionId: invoice.subscriptionId ?? null,
    appliedAt: now,
    originalPrice: a.originalPrice,
    finalPrice: a.finalPrice,
    discountedAmount: a.discountedAmount,
    discountType: a.discountType,
    discountPercentage: a.discountPercentage,
    currency: a.currency,
    couponSnapshot: a.snapshot,
    metadata: {},
    ...newRecord(auth, now),
  };
}
