import type { AuthContext } from '../../auth-context.ts';
import { canTransitionPaymentStatus, canVoidInvoice, invoiceDueDate, reconcileInvoicePayments, type BilledCharge, type TaxRate, type WindowBillingReason } from '../../billing/invoicing/index.ts';
import { ExactDecimal, formatDecimal } from '../../billing/money/index.ts';
import type { Period } from '../../billing/period/index.ts';
import type { PageOf } from '../../db/find-page.ts';
import type { Tx } from '../../db/transactions.ts';
import type { RunMemo } from '../../jobs/run-memo.ts';
import { AppError, invalidFields, notFound } from '../../errors/app-error.ts';
import { orNotFound } from '../../errors/not-found.ts';
import { newId } from '../../ids.ts';
import { newRecord, touch } from '../../records.ts';
import type { ServiceContext } from '../../service-context.ts';
import type { CouponReader } from '../coupons/index.ts';
import { byCustomerId, type CustomerReader } from '../customers/index.ts';
import type { UsageService } from '../usage/index.ts';
import { record } from '../webhooks/index.ts';
import type { BillableSubscription, CustomerTime, InvoicePaidHook, SubscriptionBillingRequest, SubscriptionSource, TaxApplications, TaxRates } from './billable-subscription.ts';
import { writeContents } from './invoice-contents.ts';
import type { InvoiceChanges, InvoiceEmbeds, InvoiceQuery, InvoiceView, PaymentStatusChange, PreviewRequest } from './invoice.convert.ts';
import type { Invoice } from './invoice.entity.ts';
import type { InvoiceLineItem } from './invoice-line-item.entity.ts';
import type { CouponApplication } from './coupon-application.entity.ts';
import { InvoiceFinalizer } from './invoice-finalizer.ts';
import type { PrepaidCreditWallets } from './invoice-prepaid-credits.ts';
import { refundVoidedInvoice, type InvoiceVoidHook, type VoidRefundWallets } from './invoice-void-refund.ts';
import { InvoiceRepo } from './invoice.repo.ts';
import { invoiceEvent, type InvoiceEventSource } from './invoice.webhook.ts';
import { calculateSubscriptionInvoice, type ComputedInvoice } from './subscription-invoice-calculation.ts';

export type InvoiceServiceFaces = {
  customers: CustomerReader;
  coupons: CouponReader;
  usage: UsageService;
  subscriptions: SubscriptionSource;
  taxes: TaxRates;
  taxApplications?: TaxApplications;
  time: CustomerTime;
  paidHooks: InvoicePaidHook[];
  /** Whether an invoice has payment records whose money arrived (the payments module); none when not wired. */
  paymentRecords?: PaymentRecords;
  /** How long after its creation the bill run finalizes a period-end draft (FlexPrice's `finalization_delay_seconds`). */
  finalizationDelayMs: number;
  /** The customer's PRE_PAID wallets, which pay a subscription invoice's usage at finalization; none when not wired. */
  prepaidCredits?: PrepaidCreditWallets;
  /** Where a voided invoice's funded value is refunded; without it, voiding a funded invoice is refused. */
  voidRefunds?: VoidRefundWallets;
  /** Run in the void's unit of work once an invoice is voided. */
  voidHooks?: InvoiceVoidHook[];
};

/** What invoices ask of payments: whether one of the invoice's payments received money (SUCCEEDED). */
export type PaymentRecords = { hasReceived(tx: Tx, auth: AuthContext, invoiceId: string): Promise<boolean> };

const noEmbeds: InvoiceEmbeds = { customer: false, subscription: false, subscriptionPlan: false };

const invalidOperation = (message: string, id: string) => new AppError('invalid_operation', message, { id });

/** Invoices: subscription invoices composed and stored for subscriptions, one-off ones, and what is done with them after. */
export class InvoiceService {
  readonly #ctx: ServiceContext;
  readonly #faces: InvoiceServiceFaces;
  readonly #repo = new InvoiceRepo();
  readonly #finalizer: InvoiceFinalizer;
  readonly #eventSource: InvoiceEventSource;

  constructor(ctx: ServiceContext, faces: InvoiceServiceFaces) {
    this.#ctx = ctx;
    this.#faces = faces;
    this.#finalizer = new InvoiceFinalizer(this.#repo, faces);
    this.#eventSource = { repo: this.#repo, taxApplications: faces.taxApplications };
  }

  get repo(): InvoiceRepo {
    return this.#repo;
  }

  get finalizer(): InvoiceFinalizer {
    return this.#finalizer;
  }

  /**
   * The subscription's invoice for a window (the opening, period-end or trial invoices), in the caller's
   * unit of work, which holds the subscription's row: composed, stored (DRAFT, or SKIPPED when there is
   * nothing to bill) and finalized now or after the finalization delay. A window already invoiced (and
   * not voided) is not billed again: its invoice is returned.
   */
  async billSubscription(tx: Tx, auth: AuthContext, req: SubscriptionBillingRequest): Promise<InvoiceView> {
    const billed = await this.#bill(tx, auth, req);
    if ('existingId' in billed) return (await this.viewsOf(tx, auth, [(await this.#repo.get(tx, auth, billed.existingId))!], noEmbeds))[0]!;
    const { invoice, contents, finalized } = billed;
    if (finalized) return (await this.viewsOf(tx, auth, [invoice], noEmbeds))[0]!;
    // Not finalized: the invoice is what was just written, and a draft has no taxes applied (finalization records them).
    return { invoice, lines: contents.lines, applications: contents.applications, taxes: [] };
  }

  /** The bill run's `billSubscription`: the same invoice, without reading back the view nobody asks for. */
  async billPeriod(tx: Tx, auth: AuthContext, req: SubscriptionBillingRequest): Promise<void> {
    await this.#bill(tx, auth, req);
  }

  async #bill(
    tx: Tx,
    auth: AuthContext,
    req: SubscriptionBillingRequest,
  ): Promise<{ existingId: string } | { invoice: Invoice; contents: { lines: InvoiceLineItem[]; applications: CouponApplication[] }; finalized: boolean }> {
    const sub = req.subscription;
    const window = await this.#repo.windowState(tx, auth, sub.id, req.period.start, req.period.end, req.billingReason);
    if (window.existingId) return { existingId: window.existingId };
    const computed = await this.#compute(tx, auth, sub.id, req.billingReason, req.period, undefined, sub, { alreadyBilled: window.billed, memo: req.memo, openingCredit: req.openingCredit });
    const at = req.at;
    const invoice = this.#repo.add(tx, {
      id: newId('invoice'),
      customerId: sub.customerId,
      subscriptionId: sub.id,
      invoiceType: 'SUBSCRIPTION',
      ...this.#amounts(computed),
      invoiceStatus: computed.status,
      paymentStatus: 'PENDING',
      currency: sub.currency,
      adjustmentAmount: '0',
      refundedAmount: '0',
      overpaidAmount: null,
      invoiceNumber: null,
      idempotencyKey: null,
      billingSequence: window.nextBillingSequence,
      description: null,
      dueDate: invoiceDueDate(req.period.end, sub.paymentTerms, sub.invoicing.timezone),
      issueDate: at,
      lastComputedAt: at,
      finalizeAt: computed.status === 'DRAFT' && req.finalize === 'later' ? new Date(at.getTime() + this.#faces.finalizationDelayMs) : null,
      billingPeriod: sub.invoicing.billingPeriod,
      periodStart: req.period.start,
      periodEnd: req.period.end,
      billingReason: req.billingReason,
      metadata: {},
      version: 1,
      isManuallyEdited: false,
      // The subscription's tax_rate_overrides are its tax associations (made when it was created).
      taxRateOverrides: [],
      ...newRecord(auth, at),
    });
    const contents = writeContents(tx, auth, this.#repo, invoice, computed, at);
    if (computed.status === 'DRAFT' && req.finalize === 'now') {
      await this.#finalizer.finalize(tx, auth, invoice, at);
      return { invoice, contents, finalized: true };
    }
    if (computed.status === 'DRAFT' && req.runAt && invoice.finalizeAt && invoice.finalizeAt <= req.runAt) {
      // Due already: finalized as the finalization work would, with the lines just written.
      await this.#finalizer.finalize(tx, auth, invoice, req.runAt, contents);
      return { invoice, contents, finalized: true };
    }
    return { invoice, contents, finalized: false };
  }

  get(auth: AuthContext, id: string, embeds: InvoiceEmbeds): Promise<InvoiceView> {
    return this.#ctx.db.read(async (tx) => (await this.viewsOf(tx, auth, [await this.#find(tx, auth, id)], embeds))[0]!);
  }

  list(auth: AuthContext, query: InvoiceQuery): Promise<PageOf<InvoiceView>> {
    return this.#ctx.db.read(async (tx) => {
      const narrowed = await byCustomerId(tx, auth, this.#faces.customers, query);
      if (!narrowed) return { items: [], total: 0 };
      const { items, total } = await this.#repo.page(tx, auth, narrowed);
      return { items: await this.viewsOf(tx, auth, items, narrowed.embeds, !narrowed.skipLineItems), total };
    });
  }

  update(auth: AuthContext, id: string, changes: InvoiceChanges): Promise<InvoiceView> {
    return this.#ctx.db.run(async (tx) => {
      const invoice = await this.#locked(tx, auth, id);
      if (invoice.invoiceStatus === 'VOIDED') throw invalidOperation(`invoice ${id} is voided and cannot be updated`, id);
      const now = await this.#faces.time.nowFor(tx, auth, invoice.customerId);
      if (changes.dueDate !== undefined) invoice.dueDate = changes.dueDate;
      if (changes.metadata !== undefined) invoice.metadata = changes.metadata;
      if (changes.invoicePdfUrl !== undefined) invoice.invoicePdfUrl = changes.invoicePdfUrl;
      invoice.version += 1;
      touch(invoice, auth, now);
      await record(tx, auth, await invoiceEvent(tx, auth, this.#eventSource, 'invoice.update', invoice, now));
      return (await this.viewsOf(tx, auth, [invoice], noEmbeds))[0]!;
    });
  }

  /** Finalizes a DRAFT invoice now; a SKIPPED one stays as it is (FlexPrice's no-op); anything else is refused. */
  async finalize(auth: AuthContext, id: string): Promise<void> {
    await this.#ctx.db.run(async (tx) => {
      const invoice = await this.#locked(tx, auth, id);
      if (invoice.invoiceStatus === 'SKIPPED') return;
      if (invoice.invoiceStatus !== 'DRAFT') throw invalidOperation(`invoice ${id} is ${invoice.invoiceStatus}; only a DRAFT invoice can be finalized`, id);
      await this.#finalizer.finalize(tx, auth, invoice, await this.#faces.time.nowFor(tx, auth, invoice.customerId));
    });
  }

  /**
   * Voids an invoice that may be voided. What funded it (payments and prepaid credits, less what credit
   * notes refunded) is refunded to the customer's PRE_PAID wallet in the same unit of work
   * (docs/api/wallet-invoices.md#voiding-a-funded-invoice); then the void hooks run (a pending purchase of
   * credits it was for fails).
   */
  async void(auth: AuthContext, id: string, metadata: Record<string, string> | undefined): Promise<void> {
    await this.#ctx.db.run(async (tx) => {
      const invoice = await this.#locked(tx, auth, id);
      if (!canVoidInvoice(invoice.invoiceStatus, invoice.paymentStatus)) {
        throw invalidOperation(`invoice ${id} is ${invoice.invoiceStatus} with payment status ${invoice.paymentStatus} and cannot be voided`, id);
      }
      const now = await this.#faces.time.nowFor(tx, auth, invoice.customerId);
      if (this.#faces.voidRefunds) await refundVoidedInvoice(tx, auth, this.#faces.voidRefunds, invoice, now);
      else if (new ExactDecimal(invoice.amountPaid).plus(invoice.totalPrepaidCreditsApplied).minus(invoice.refundedAmount).gt(0)) {
        throw invalidOperation(`invoice ${id} has been paid; voiding it refunds that to the customer's prepaid wallet, and no wallets are wired`, id);
      }
      invoice.invoiceStatus = 'VOIDED';
      invoice.voidedAt = now;
      invoice.finalizeAt = null;
      if (metadata) invoice.metadata = { ...invoice.metadata, ...metadata };
      invoice.version += 1;
      touch(invoice, auth, now);
      for (const hook of this.#faces.voidHooks ?? []) await hook(tx, auth, invoice, now);
      await record(tx, auth, await invoiceEvent(tx, auth, this.#eventSource, 'invoice.update.voided', invoice, now));
    });
  }

  /** Computes a DRAFT or SKIPPED subscription invoice again in place, then finalizes it unless asked not to. */
  recalculate(auth: AuthContext, id: string, finalize: boolean): Promise<InvoiceView> {
    return this.#ctx.db.run(async (tx) => {
      const invoice = await this.#locked(tx, auth, id);
      if (invoice.invoiceType !== 'SUBSCRIPTION' || !invoice.subscriptionId) throw invalidOperation(`invoice ${id} is not a subscription invoice`, id);
      if (invoice.invoiceStatus !== 'DRAFT' && invoice.invoiceStatus !== 'SKIPPED') {
        throw invalidOperation(`invoice ${id} is ${invoice.invoiceStatus}; only a DRAFT or SKIPPED invoice can be recalculated`, id);
      }
      if (invoice.isManuallyEdited) throw invalidOperation(`invoice ${id} was edited by hand and cannot be recalculated`, id);
      const now = await this.#faces.time.nowFor(tx, auth, invoice.customerId);
      await this.recompute(tx, auth, invoice, now);
      await record(tx, auth, await invoiceEvent(tx, auth, this.#eventSource, 'invoice.update', invoice, now));
      if (finalize && invoice.invoiceStatus === 'DRAFT') await this.#finalizer.finalize(tx, auth, invoice, now);
      return (await this.viewsOf(tx, auth, [invoice], noEmbeds))[0]!;
    });
  }

  /** Replaces a draft subscription invoice's lines with what its window bills now (late usage included); `memo`: a bill run's catalogue reads. */
  async recompute(tx: Tx, auth: AuthContext, invoice: Invoice, at: Date, memo?: RunMemo): Promise<{ lines: InvoiceLineItem[]; applications: CouponApplication[] }> {
    const computed = await this.#compute(tx, auth, invoice.subscriptionId!, invoice.billingReason as WindowBillingReason, { start: invoice.periodStart!, end: invoice.periodEnd! }, invoice.id, undefined, { memo });
    await this.#repo.clearContents(tx, auth, invoice.id);
    const contents = writeContents(tx, auth, this.#repo, invoice, computed, at);
    Object.assign(invoice, this.#amounts(computed), { invoiceStatus: computed.status, lastComputedAt: at });
    if (computed.status === 'SKIPPED') invoice.finalizeAt = null;
    invoice.version += 1;
    invoice.updatedAt = at;
    return contents;
  }

  /**
   * A payment status set by hand (docs/flexprice-compatibility.md#payments), on a DRAFT or FINALIZED
   * invoice, along the transition table: SUCCEEDED pays it in full (a draft is then finalized), PENDING
   * with an amount records a partial payment, OVERPAID with an amount a payment beyond it, FAILED clears
   * what was paid. Paid in full, the invoice's paid hooks run (an incomplete subscription activates).
   */
  setPaymentStatus(auth: AuthContext, id: string, change: PaymentStatusChange): Promise<InvoiceView> {
    return this.#ctx.db.run(async (tx) => {
      const invoice = await this.#locked(tx, auth, id);
      if (invoice.invoiceStatus !== 'DRAFT' && invoice.invoiceStatus !== 'FINALIZED') {
        throw invalidOperation(`invoice ${id} is ${invoice.invoiceStatus}; payment status can be set on DRAFT or FINALIZED invoices only`, id);
      }
      if (await this.#faces.paymentRecords?.hasReceived(tx, auth, id)) {
        throw invalidOperation('Manual payment status updates are disabled for payment-based invoices.', id);
      }
      const to = change.paymentStatus;
      if (!['PENDING', 'SUCCEEDED', 'OVERPAID', 'FAILED'].includes(to)) {
        throw invalidFields({ payment_status: 'must be PENDING, SUCCEEDED, OVERPAID or FAILED when set by hand' });
      }
      if (!canTransitionPaymentStatus(invoice.paymentStatus, to)) {
        throw invalidOperation(`invoice ${id}'s payment status cannot go from ${invoice.paymentStatus} to ${to}`, id);
      }
      const amount = change.amount === null ? null : new ExactDecimal(change.amount);
      const now = await this.#faces.time.nowFor(tx, auth, invoice.customerId);
      const paid = to === 'SUCCEEDED' || to === 'OVERPAID';
      // A draft paid in full is finalized first (FlexPrice does), so "paid" covers the taxes finalization adds.
      if (paid && invoice.invoiceStatus === 'DRAFT') await this.#finalizer.finalize(tx, auth, invoice, now);
      const due = new ExactDecimal(invoice.amountDue);
      if (to === 'SUCCEEDED') {
        Object.assign(invoice, { amountPaid: formatDecimal(due), amountRemaining: '0', paidAt: now, overpaidAmount: null });
      } else if (to === 'OVERPAID') {
        if (amount === null || !amount.gt(due)) throw invalidFields({ amount: `must be given and more than amount_due (${formatDecimal(due)}) for OVERPAID` });
        Object.assign(invoice, { amountPaid: formatDecimal(amount), amountRemaining: '0', paidAt: now, overpaidAmount: formatDecimal(amount.minus(due)) });
      } else if (to === 'PENDING') {
        if (amount !== null) {
          if (!amount.gt(0) || !amount.lt(due)) throw invalidFields({ amount: `must be more than 0 and less than amount_due (${formatDecimal(due)}) for a partial payment` });
          Object.assign(invoice, { amountPaid: formatDecimal(amount), amountRemaining: formatDecimal(due.minus(amount)) });
        }
      } else {
        Object.assign(invoice, { amountPaid: '0', amountRemaining: formatDecimal(due), paidAt: null, overpaidAmount: null });
      }
      invoice.paymentStatus = to;
      invoice.version += 1;
      touch(invoice, auth, now);
      if (paid) for (const hook of this.#faces.paidHooks) await hook(tx, auth, invoice, now);
      await record(tx, auth, await invoiceEvent(tx, auth, this.#eventSource, 'invoice.update.payment', invoice, now));
      return (await this.viewsOf(tx, auth, [invoice], noEmbeds))[0]!;
    });
  }

  /**
   * The invoice's payment state recomputed from the amounts of its payments whose money arrived, in the
   * caller's unit of work (which holds the invoice's lock): amount_paid = Σ, amount_remaining =
   * max(amount_due − Σ, 0), payment_status SUCCEEDED when nothing remains (OVERPAID beyond, PENDING
   * before) with paid_at. A DRAFT paid in full is finalized first (its taxes may change amount_due), then
   * reconciled against the final amounts. Becoming paid runs the paid hooks (an incomplete subscription
   * activates). Announced by `invoice.update.payment`.
   */
  async applyPayments(tx: Tx, auth: AuthContext, invoiceId: string, receivedAmounts: string[], at: Date): Promise<Invoice> {
    const invoice = await this.#locked(tx, auth, invoiceId);
    if (invoice.invoiceStatus === 'DRAFT' && reconcileInvoicePayments(invoice.amountDue, receivedAmounts, invoice.currency).fullyPaid) {
      await this.#finalizer.finalize(tx, auth, invoice, at);
    }
    const wasPaid = invoice.paymentStatus === 'SUCCEEDED' || invoice.paymentStatus === 'OVERPAID';
    const state = reconcileInvoicePayments(invoice.amountDue, receivedAmounts, invoice.currency);
    Object.assign(invoice, {
      amountPaid: state.amountPaid,
      amountRemaining: state.amountRemaining,
      overpaidAmount: state.paymentStatus === 'OVERPAID' ? state.overpaidAmount : null,
      paymentStatus: state.paymentStatus,
      paidAt: state.fullyPaid ? (invoice.paidAt ?? at) : null,
    });
    invoice.version += 1;
    touch(invoice, auth, at);
    if (state.fullyPaid && !wasPaid) for (const hook of this.#faces.paidHooks) await hook(tx, auth, invoice, at);
    await record(tx, auth, await invoiceEvent(tx, auth, this.#eventSource, 'invoice.update.payment', invoice, at));
    return invoice;
  }

  /** What the subscription's invoice for a window would be now, not saved. */
  preview(auth: AuthContext, req: PreviewRequest): Promise<InvoiceView> {
    return this.#ctx.db.read((tx) => this.previewIn(tx, auth, req));
  }

  /**
   * The preview in the caller's unit of work; `window` picks the period from the subscription (the
   * subscription usage read: its current period with a start or an end of the request's, or its lifetime).
   */
  async previewIn(tx: Tx, auth: AuthContext, req: PreviewRequest, window?: (sub: BillableSubscription) => Period): Promise<InvoiceView> {
    const sub = await this.#faces.subscriptions.billable(tx, auth, req.subscriptionId);
    if (!sub) throw notFound('Subscription', 'subscription_id', req.subscriptionId);
    const period = window ? window(sub) : req.periodStart && req.periodEnd ? { start: req.periodStart, end: req.periodEnd } : sub.currentPeriod;
    const now = await this.#faces.time.nowFor(tx, auth, sub.customerId);
    // A subscription's own tax_rate_overrides became its tax associations when it was created.
    const taxRates = await this.#taxRates(tx, auth, { customerId: sub.customerId, subscriptionId: sub.id, currency: sub.currency, at: now, overrides: [] });
    const computed = await this.#compute(tx, auth, sub.id, 'SUBSCRIPTION_CYCLE', period, undefined, sub, { alreadyBilled: [], taxRates });
    const invoice = {
      id: '',
      customerId: sub.customerId,
      subscriptionId: sub.id,
      invoiceType: 'SUBSCRIPTION',
      invoiceStatus: 'DRAFT',
      paymentStatus: 'PENDING',
      currency: sub.currency,
      ...this.#amounts(computed),
      adjustmentAmount: '0',
      refundedAmount: '0',
      invoiceNumber: null,
      idempotencyKey: null,
      billingSequence: null,
      dueDate: invoiceDueDate(period.end, sub.paymentTerms, sub.invoicing.timezone),
      billingPeriod: sub.invoicing.billingPeriod,
      periodStart: period.start,
      periodEnd: period.end,
      billingReason: 'SUBSCRIPTION_CYCLE',
      metadata: { is_preview: 'true' },
      version: 0,
      isManuallyEdited: false,
      lastComputedAt: now,
      ...newRecord(auth, now),
    } as unknown as Invoice;
    const lines = computed.lines
      .map((l, position) => ({ l, position }))
      .filter(({ l }) => !req.hideZeroLines || !new ExactDecimal(l.amount).isZero())
      .map(({ l, position }) => ({
        ...newRecord(auth, now),
        id: '',
        invoiceId: '',
        position,
        customerId: sub.customerId,
        subscriptionId: sub.id,
        ...l,
        periodStart: l.period.start,
        periodEnd: l.period.end,
        currency: sub.currency,
        priceUnitAmount: null,
        parentLineItemId: null,
      })) as never[];
    return { invoice, lines, applications: [] };
  }

  /** The invoices with their lines (unless `withLines` is false), coupon applications and what `embeds` asks for, in the caller's unit of work. */
  /** What each line item of the subscription was charged (before discounts) for a period overlapping `period`, on invoices not voided. */
  lineItemCharges(tx: Tx, auth: AuthContext, subscriptionId: string, period: { start: Date; end: Date }): Promise<Map<string, string>> {
    return this.#repo.lineItemCharges(tx, auth, subscriptionId, period);
  }

  async viewsOf(tx: Tx, auth: AuthContext, invoices: Invoice[], embeds: InvoiceEmbeds, withLines = true): Promise<InvoiceView[]> {
    const ids = invoices.map((i) => i.id);
    const lines = withLines ? await this.#repo.linesOf(tx, auth, ids) : [];
    const applications = await this.#repo.applicationsOf(tx, auth, ids);
    const customers = embeds.customer ? await this.#faces.customers.getMany(tx, auth, invoices.map((i) => i.customerId)) : new Map();
    const subIds = invoices.map((i) => i.subscriptionId).filter((s): s is string => !!s);
    const subscriptions = embeds.subscription && subIds.length ? await this.#faces.subscriptions.embed(tx, auth, subIds, embeds.subscriptionPlan) : new Map();
    const taxes = this.#faces.taxApplications && ids.length ? await this.#faces.taxApplications.appliedTo(tx, auth, ids) : new Map();
    return invoices.map((invoice) => ({
      invoice,
      ...(withLines ? { lines: lines.filter((l) => l.invoiceId === invoice.id) } : {}),
      applications: applications.filter((a) => a.invoiceId === invoice.id),
      taxes: taxes.get(invoice.id) ?? [],
      ...(embeds.customer ? { customer: customers.get(invoice.customerId) } : {}),
      ...(embeds.subscription && invoice.subscriptionId ? { subscription: subscriptions.get(invoice.subscriptionId) } : {}),
    }));
  }

  /** A subscription invoice computed for a window, against what the subscription's other invoices billed. */
  async #compute(
    tx: Tx,
    auth: AuthContext,
    subscriptionId: string,
    billingReason: WindowBillingReason,
    period: { start: Date; end: Date },
    exceptInvoiceId: string | undefined,
    known?: Awaited<ReturnType<SubscriptionSource['billable']>>,
    options: { alreadyBilled?: readonly BilledCharge[]; taxRates?: TaxRate[]; memo?: RunMemo; openingCredit?: string } = {},
  ): Promise<ComputedInvoice> {
    const sub = known ?? (await this.#faces.subscriptions.billable(tx, auth, subscriptionId, options.memo));
    if (!sub) throw notFound('Subscription', 'subscription_id', subscriptionId);
    const alreadyBilled = options.alreadyBilled ?? (await this.#repo.billedCharges(tx, auth, sub.id, exceptInvoiceId));
    const priorApplications = await this.#repo.priorApplications(tx, auth, sub.coupons.map((c) => c.associationId), exceptInvoiceId);
    return calculateSubscriptionInvoice({
      subscription: sub,
      billingReason,
      period,
      alreadyBilled,
      priorApplications,
      usage: (requests) => this.#faces.usage.meterUsages(tx, auth, requests, options.memo),
      taxRates: options.taxRates,
      openingCredit: options.openingCredit,
    });
  }

  /** The tax rates the taxes port says apply, as the arithmetic reads them. */
  async taxRates(tx: Tx, auth: AuthContext, query: Parameters<TaxRates['applicableRates']>[2]): Promise<TaxRate[]> {
    return this.#taxRates(tx, auth, query);
  }

  async #taxRates(tx: Tx, auth: AuthContext, query: Parameters<TaxRates['applicableRates']>[2]): Promise<TaxRate[]> {
    const rates = await this.#faces.taxes.applicableRates(tx, auth, query);
    return rates.map((r) => (r.type === 'percentage' ? { id: r.rateId, taxRateType: 'percentage', percentageValue: r.value } : { id: r.rateId, taxRateType: 'fixed', fixedValue: r.value }));
  }

  #amounts(computed: ComputedInvoice) {
    const t = computed.totals;
    return {
      subtotal: t.subtotal,
      totalDiscount: t.totalDiscount,
      totalPrepaidCreditsApplied: t.totalPrepaidCreditsApplied,
      totalTax: t.totalTax,
      total: t.total,
      amountDue: t.amountDue,
      amountPaid: t.amountPaid,
      amountRemaining: t.amountRemaining,
    };
  }

  async #find(tx: Tx, auth: AuthContext, id: string): Promise<Invoice> {
    return orNotFound(await this.#repo.get(tx, auth, id), 'Invoice', 'id', id);
  }

  async #locked(tx: Tx, auth: AuthContext, id: string): Promise<Invoice> {
    return orNotFound(await this.#repo.locked(tx, auth, id), 'Invoice', 'id', id);
  }
}
