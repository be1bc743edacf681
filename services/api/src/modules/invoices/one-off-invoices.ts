import type { AuthContext } from '../../auth-context.ts';
import { applyInvoiceDiscounts, invoiceTotals, type InvoiceCoupon } from '../../billing/invoicing/index.ts';
import { currencyPrecision, ExactDecimal, formatDecimal, zero } from '../../billing/money/index.ts';
import type { Tx } from '../../db/transactions.ts';
import { AppError, invalidFields, notFound } from '../../errors/app-error.ts';
import { newId } from '../../ids.ts';
import { newRecord } from '../../records.ts';
import type { ServiceContext } from '../../service-context.ts';
import type { CouponReader } from '../coupons/index.ts';
import type { CustomerReader } from '../customers/index.ts';
import { writeContents } from './invoice-contents.ts';
import type { InvoiceView, NewOneOffInvoice } from './invoice.convert.ts';
import type { InvoiceService } from './invoice.service.ts';
import type { ComputedApplication, ComputedLine } from './subscription-invoice-calculation.ts';
import type { CustomerTime } from './billable-subscription.ts';

const keyUsed = (key: string) => new AppError('already_exists', 'invoice already exists', { idempotency_key: key });

/**
 * One-off and credit invoices (`POST /invoices`), as FlexPrice makes them: the lines as given, invoice
 * coupons (an unusable coupon skipped silently), taxes, then finalized unless asked for a draft.
 */
export class OneOffInvoices {
  readonly #ctx: ServiceContext;
  readonly #invoices: InvoiceService;
  readonly #faces: { customers: CustomerReader; coupons: CouponReader; time: CustomerTime };

  constructor(ctx: ServiceContext, invoices: InvoiceService, faces: { customers: CustomerReader; coupons: CouponReader; time: CustomerTime }) {
    this.#ctx = ctx;
    this.#invoices = invoices;
    this.#faces = faces;
  }

  create(auth: AuthContext, input: NewOneOffInvoice): Promise<InvoiceView> {
    return this.#ctx.db.run((tx) => this.createIn(tx, auth, input), () => keyUsed(input.idempotencyKey ?? ''));
  }

  /** {@link create} in the caller's unit of work (a purchase of wallet credits invoiced, a plan change's settlement invoice). */
  async createIn(tx: Tx, auth: AuthContext, input: NewOneOffInvoice): Promise<InvoiceView> {
    const repo = this.#invoices.repo;
    if (input.idempotencyKey) {
      const existing = await repo.getPublished(tx, auth, { idempotencyKey: input.idempotencyKey });
      if (existing) {
        if (existing.invoiceStatus !== 'DRAFT' && existing.invoiceStatus !== 'SKIPPED') throw keyUsed(input.idempotencyKey);
        return (await this.#invoices.viewsOf(tx, auth, [existing], { customer: false, subscription: false, subscriptionPlan: false }))[0]!;
      }
    }
    const customer = await this.#faces.customers.getPublished(tx, auth, { id: input.customerId });
    if (!customer) throw notFound('Customer', 'customer_id', input.customerId);
    const places = currencyPrecision(input.currency);
    const problems: Record<string, string> = {};
    input.lines.forEach((l, i) => {
      if (new ExactDecimal(l.amount).decimalPlaces() > places) problems[`line_items[${i}].amount`] = `has more than the ${places} decimals of ${input.currency}`;
    });
    if (Object.keys(problems).length) throw invalidFields(problems);
    const now = await this.#faces.time.nowFor(tx, auth, customer);
    const lines: ComputedLine[] = input.lines.map((l) => ({
      subscriptionLineItemId: l.subscriptionLineItemId,
      priceId: l.priceId,
      priceType: (l.priceType as 'FIXED' | 'USAGE' | null) ?? 'FIXED',
      displayName: l.displayName ?? '',
      planDisplayName: l.planDisplayName,
      entityId: l.entityId ?? l.planId,
      entityType: l.entityType ?? (l.planId ? 'plan' : null),
      meterId: l.meterId,
      meterDisplayName: l.meterDisplayName,
      priceUnitId: null,
      priceUnit: l.priceUnit,
      priceUnitAmount: l.priceUnitAmount,
      amount: l.amount,
      quantity: l.quantity,
      period: { start: l.periodStart ?? input.periodStart ?? now, end: l.periodEnd ?? input.periodEnd ?? now },
      adjustedEntitlementQuantity: null,
      lineItemDiscount: '0',
      invoiceLevelDiscount: '0',
      prepaidCreditsApplied: '0',
      commitmentInfo: null,
      metadata: l.metadata,
    }));
    const sum = formatDecimal(lines.reduce((s, l) => s.plus(l.amount), zero));
    let applications: ComputedApplication[] = [];
    let totals = { subtotal: sum, totalDiscount: '0', totalTax: '0', total: sum, amountDue: sum, amountRemaining: sum };
    if (input.invoiceType === 'ONE_OFF') {
      const coupons = await this.#coupons(tx, auth, input.couponIds, input.currency, now);
      // Without coupons nothing is discounted; a plan change's invoice, with its negative credit lines, has none.
      const discounts = coupons.length === 0 ? { lines: lines.map(() => ({ lineItemDiscount: '0', invoiceLevelDiscount: '0' })), applications: [] } : applyInvoiceDiscounts({ currency: input.currency, lines: lines.map((l, i) => ({ id: String(i), amount: l.amount })), invoiceCoupons: coupons.map((c) => c.coupon) });
      discounts.lines.forEach((d, i) => Object.assign(lines[i]!, { lineItemDiscount: d.lineItemDiscount, invoiceLevelDiscount: d.invoiceLevelDiscount }));
      applications = discounts.applications.map(({ invoiceLineId, ...a }) => ({ ...a, lineIndex: invoiceLineId === null ? null : Number(invoiceLineId), snapshot: coupons.find((c) => c.coupon.couponId === a.couponId)?.snapshot ?? {} }));
      const taxRates = await this.#invoices.taxRates(tx, auth, { customerId: customer.id, subscriptionId: input.subscriptionId, currency: input.currency, at: now, overrides: input.taxRateOverrides });
      const t = invoiceTotals({ currency: input.currency, lines, taxRates });
      totals = { subtotal: t.subtotal, totalDiscount: t.totalDiscount, totalTax: t.totalTax, total: t.total, amountDue: t.amountDue, amountRemaining: t.amountRemaining };
    }
    checkGivenTotals(input, totals.subtotal, totals.total);
    const invoice = this.#invoices.repo.add(tx, {
      id: newId('invoice'),
      customerId: customer.id,
      subscriptionId: input.subscriptionId,
      invoiceType: input.invoiceType,
      invoiceStatus: 'DRAFT',
      paymentStatus: 'PENDING',
      currency: input.currency,
      ...totals,
      totalPrepaidCreditsApplied: '0',
      amountPaid: '0',
      adjustmentAmount: '0',
      refundedAmount: '0',
      overpaidAmount: null,
      invoiceNumber: null,
      idempotencyKey: input.idempotencyKey,
      billingSequence: null,
      description: input.description,
      dueDate: input.dueDate,
      issueDate: input.issueDate ?? now,
      lastComputedAt: now,
      finalizeAt: null,
      billingPeriod: input.billingPeriod,
      periodStart: input.periodStart,
      periodEnd: input.periodEnd,
      invoicePdfUrl: input.invoicePdfUrl,
      billingReason: input.billingReason,
      metadata: input.metadata,
      version: 1,
      isManuallyEdited: false,
      taxRateOverrides: input.taxRateOverrides,
      ...newRecord(auth, now),
    });
    writeContents(tx, auth, this.#invoices.repo, invoice, { lines, applications }, now);
    if (!input.draft) await this.#invoices.finalizer.finalize(tx, auth, invoice, now);
    return (await this.#invoices.viewsOf(tx, auth, [invoice], { customer: false, subscription: false, subscriptionPlan: false }))[0]!;
  }

  /** The coupons given, in order, that can discount an invoice in `currency` now; the others are skipped, as FlexPrice does. */
  async #coupons(tx: Tx, auth: AuthContext, ids: string[], currency: string, at: Date) {
    const found = await this.#faces.coupons.getMany(tx, auth, ids);
    const usable: { coupon: InvoiceCoupon; snapshot: Record<string, unknown> }[] = [];
    for (const id of ids) {
      const c = found.get(id);
      if (!c || c.status !== 'published') continue;
      if (c.type === 'fixed' && c.currency && c.currency !== currency) continue;
      if ((c.redeemAfter && at < c.redeemAfter) || (c.redeemBefore && at > c.redeemBefore)) continue;
      usable.push({
        coupon: { associationId: '', couponId: c.id, startDate: c.createdAt, coupon: { type: c.type, amountOff: c.amountOff, percentageOff: c.percentageOff, currency: c.currency } },
        snapshot: { id: c.id, name: c.name, type: c.type, cadence: c.cadence, amount_off: c.amountOff ?? '0', percentage_off: c.percentageOff ?? '0', currency: c.currency ?? '' },
      });
    }
    return usable;
  }
}

/**
 * The request's own totals must agree with the lines: `subtotal` with their sum; `total` and
 * `amount_due` with the total Tally computes, or — as FlexPrice checks them — with the lines' sum.
 */
function checkGivenTotals(input: NewOneOffInvoice, subtotal: string, total: string): void {
  const eq = (a: string, b: string) => new ExactDecimal(a).eq(b);
  const problems: Record<string, string> = {};
  if (!eq(input.subtotal, subtotal)) problems.subtotal = `must equal the sum of the line amounts (${subtotal})`;
  for (const [field, value] of [['total', input.total], ['amount_due', input.amountDue]] as const) {
    if (!eq(value, total) && !eq(value, subtotal)) problems[field] = `must equal the invoice total (${total})`;
  }
  if (Object.keys(problems).length) throw invalidFields(problems);
}
