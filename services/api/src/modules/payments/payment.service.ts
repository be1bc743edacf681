import type { AuthContext } from '../../auth-context.ts';
import { canDeletePayment, canTransitionPaymentStatus, type PaymentStatus } from '../../billing/invoicing/index.ts';
import { ExactDecimal, fitsCurrency, formatDecimal } from '../../billing/money/index.ts';
import type { PageOf } from '../../db/find-page.ts';
import type { Tx } from '../../db/transactions.ts';
import { AppError, invalidFields, notFound } from '../../errors/app-error.ts';
import { orNotFound } from '../../errors/not-found.ts';
import { newId } from '../../ids.ts';
import { archive, definedOnly, newRecord, touch } from '../../records.ts';
import type { ServiceContext } from '../../service-context.ts';
import type { Invoice } from '../invoices/index.ts';
import { record } from '../webhooks/index.ts';
import { payFromWallet, type CreditsWallets, type InvoiceLines } from './payment-credits.ts';
import { derivedPaymentKey } from './payment-idempotency.ts';
import type { NewPayment, PaymentChanges, PaymentQuery, PaymentView } from './payment.convert.ts';
import type { Payment } from './payment.entity.ts';
import { PaymentRepo, receivedStatuses } from './payment.repo.ts';
import { paymentEvent } from './payment.webhook.ts';

/**
 * What payments need of invoices, in the caller's unit of work: an invoice locked while it is paid,
 * invoices by id (for their numbers), and the invoice recomputed from the amounts of its payments
 * whose money arrived (see InvoiceService.applyPayments).
 */
export type PayableInvoices = {
  locked(tx: Tx, auth: AuthContext, id: string): Promise<Invoice | null>;
  getMany(tx: Tx, auth: AuthContext, ids: string[]): Promise<Map<string, Invoice>>;
  applyPayments(tx: Tx, auth: AuthContext, invoiceId: string, receivedAmounts: string[], at: Date): Promise<Invoice>;
  /** "Now" for the invoice's customer: its test clock's time when it is on one. */
  nowFor(tx: Tx, auth: AuthContext, customerId: string): Promise<Date>;
  /** The invoice's lines (what a restricted POST_PAID wallet may pay); with `wallets`, CREDITS payments are processed. */
  linesOf?: InvoiceLines;
  /** POST_PAID wallets, which CREDITS payments debit; without them CREDITS payments are refused. */
  wallets?: CreditsWallets;
};

const isReceived = (status: PaymentStatus) => (receivedStatuses as readonly string[]).includes(status);
const invalidOperation = (message: string, id: string) => new AppError('invalid_operation', message, { id });

/** A create raced another with the same idempotency key past the look-up: the other's payment is the answer. */
class DuplicateKey extends Error {}

/**
 * Payments of invoices (docs/api/payments.md). OFFLINE payments — money received outside Tally — and
 * CREDITS payments debiting a POST_PAID wallet (docs/api/wallet-invoices.md#credits-payments-from-a-post_paid-wallet), recorded and
 * processed at once (or later), along FlexPrice's payment status transitions. Whenever
 * the set of an invoice's received payments changes, the invoice is recomputed from them in the same
 * transaction.
 */
export class PaymentService {
  readonly #ctx: ServiceContext;
  readonly #invoices: PayableInvoices;
  readonly #repo = new PaymentRepo();

  constructor(ctx: ServiceContext, invoices: PayableInvoices) {
    this.#ctx = ctx;
    this.#invoices = invoices;
  }

  get repo(): PaymentRepo {
    return this.#repo;
  }

  /**
   * Records a payment of an invoice and, unless asked not to, processes it. A payment with the same
   * idempotency key (given, or derived from what is paid and how) is the answer instead, and nothing
   * is written: the invoice's lock serialises creates, and the unique index catches the rest.
   */
  async create(auth: AuthContext, input: NewPayment): Promise<PaymentView> {
    const key = input.idempotencyKey ?? derivedPaymentKey({ invoiceId: input.destinationId, ...input });
    try {
      return await this.#ctx.db.run(async (tx) => {
        const invoice = await this.#invoices.locked(tx, auth, input.destinationId);
        if (!invoice) throw notFound('Invoice', 'destination_id', input.destinationId);
        const existing = await this.#repo.byKey(tx, auth, key);
        if (existing) return this.#viewOf(tx, auth, existing);
        refuseToPay(invoice, input.amount, input.currency, (field, why) => invalidFields({ [field]: why }));
        if (input.paymentMethodType === 'CREDITS' && !this.#invoices.wallets) throw invalidFields({ payment_method_type: 'CREDITS payments need wallets, which are not wired here' });
        const now = await this.#invoices.nowFor(tx, auth, invoice.customerId);
        const payment = this.#repo.add(tx, {
          id: newId('payment'),
          idempotencyKey: key,
          destinationType: input.destinationType,
          destinationId: invoice.id,
          paymentMethodType: input.paymentMethodType,
          paymentMethodId: input.paymentMethodId,
          paymentGateway: input.paymentGateway,
          gatewayPaymentId: null,
          gatewayTrackingId: null,
          gatewayMetadata: null,
          amount: input.amount,
          currency: invoice.currency,
          paymentStatus: input.processPayment ? 'PENDING' : 'INITIATED',
          trackAttempts: false,
          metadata: input.metadata,
          saveCardAndMakeDefault: input.saveCardAndMakeDefault,
          ...newRecord(auth, now),
        });
        await tx.flush();
        await record(tx, auth, paymentEvent('payment.created', { payment, invoiceNumber: invoice.invoiceNumber ?? null }, now));
        if (input.processPayment) await this.#process(tx, auth, payment, invoice, now);
        return { payment, invoiceNumber: invoice.invoiceNumber ?? null };
      }, () => new DuplicateKey());
    } catch (err) {
      if (!(err instanceof DuplicateKey)) throw err;
      return this.#ctx.db.read(async (tx) => this.#viewOf(tx, auth, orNotFound(await this.#repo.byKey(tx, auth, key), 'Payment', 'idempotency_key', key)));
    }
  }

  /** Any status: a deleted payment stays readable by id. */
  get(auth: AuthContext, id: string): Promise<PaymentView> {
    return this.#ctx.db.read(async (tx) => this.#viewOf(tx, auth, orNotFound(await this.#repo.get(tx, auth, id), 'Payment', 'id', id)));
  }

  list(auth: AuthContext, query: PaymentQuery): Promise<PageOf<PaymentView>> {
    return this.#ctx.db.read(async (tx) => {
      const { items, total } = await this.#repo.page(tx, auth, query);
      const invoices = await this.#invoices.getMany(tx, auth, items.map((p) => p.destinationId));
      return { items: items.map((payment) => ({ payment, invoiceNumber: invoices.get(payment.destinationId)?.invoiceNumber ?? null })), total };
    });
  }

  /**
   * Changes a payment. Its status moves only along FlexPrice's transition table (400 naming
   * `payment_status` otherwise); becoming SUCCEEDED or FAILED stamps when (now unless given). When the
   * payment starts or stops counting as money received, its invoice is recomputed.
   */
  update(auth: AuthContext, id: string, changes: PaymentChanges): Promise<PaymentView> {
    return this.#ctx.db.run(async (tx) => {
      const payment = await this.#locked(tx, auth, id);
      const from = payment.paymentStatus;
      const to = changes.paymentStatus ?? from;
      if (!canTransitionPaymentStatus(from, to)) throw invalidFields({ payment_status: `cannot go from ${from} to ${to}` });
      const reconcile = isReceived(from) !== isReceived(to);
      const invoice = reconcile ? await this.#invoices.locked(tx, auth, payment.destinationId) : null;
      if (reconcile && isReceived(to) && invoice && invoice.invoiceStatus !== 'DRAFT' && invoice.invoiceStatus !== 'FINALIZED') {
        throw invalidFields({ payment_status: `cannot become ${to}: invoice ${invoice.id} is ${invoice.invoiceStatus}` });
      }
      const payee = invoice ?? (await this.#invoices.getMany(tx, auth, [payment.destinationId])).get(payment.destinationId);
      const now = payee ? await this.#invoices.nowFor(tx, auth, payee.customerId) : this.#ctx.clock.now();
      const { paymentStatus: _status, ...fields } = changes;
      Object.assign(payment, definedOnly(fields));
      if (to !== from) {
        if (to === 'SUCCEEDED') payment.succeededAt = changes.succeededAt ?? now;
        if (to === 'FAILED') payment.failedAt = changes.failedAt ?? now;
        if (to === 'REFUNDED' || to === 'PARTIALLY_REFUNDED') payment.refundedAt = changes.refundedAt ?? now;
        if (to === 'VOIDED') payment.voidedAt = changes.voidedAt ?? now;
      }
      payment.paymentStatus = to;
      touch(payment, auth, now);
      if (invoice) {
        await tx.flush();
        await this.#invoices.applyPayments(tx, auth, invoice.id, await this.#repo.receivedAmounts(tx, auth, invoice.id), now);
      }
      const view = invoice ? { payment, invoiceNumber: invoice.invoiceNumber ?? null } : await this.#viewOf(tx, auth, payment);
      const eventType = to !== from && to === 'SUCCEEDED' ? 'payment.success' : to !== from && to === 'FAILED' ? 'payment.failed' : 'payment.updated';
      await record(tx, auth, paymentEvent(eventType, view, now));
      return view;
    });
  }

  /** Archives a payment that is INITIATED or FAILED (it stays readable by id); any other is refused. */
  async delete(auth: AuthContext, id: string): Promise<void> {
    await this.#ctx.db.run(async (tx) => {
      const payment = orNotFound(await this.#repo.locked(tx, auth, id), 'Payment', 'id', id);
      if (payment.status !== 'archived' && !canDeletePayment(payment.paymentStatus)) {
        throw invalidOperation(`payment ${id} is ${payment.paymentStatus}; only an INITIATED or FAILED payment can be deleted`, id);
      }
      await archive(payment, auth, this.#ctx.clock);
    });
  }

  /** Processes an INITIATED or PENDING payment now: it pays its invoice, which must still be payable by it. */
  process(auth: AuthContext, id: string): Promise<PaymentView> {
    return this.#ctx.db.run(async (tx) => {
      const payment = await this.#locked(tx, auth, id);
      if (payment.paymentStatus !== 'INITIATED' && payment.paymentStatus !== 'PENDING') {
        throw invalidOperation(`payment ${id} is ${payment.paymentStatus}; only an INITIATED or PENDING payment can be processed`, id);
      }
      const invoice = orNotFound(await this.#invoices.locked(tx, auth, payment.destinationId), 'Invoice', 'destination_id', payment.destinationId);
      refuseToPay(invoice, payment.amount, payment.currency, (_field, why) => invalidOperation(`payment ${id} cannot be processed: ${why}`, id));
      await this.#process(tx, auth, payment, invoice, await this.#invoices.nowFor(tx, auth, invoice.customerId));
      return { payment, invoiceNumber: invoice.invoiceNumber ?? null };
    });
  }

  /**
   * A payment processed: PROCESSING (`payment.pending`), then SUCCEEDED at once — an OFFLINE payment's
   * money was received outside Tally; a CREDITS payment's is debited from its POST_PAID wallet here,
   * refused (400, nothing written) when the wallet cannot pay it — with the invoice recomputed from its
   * received payments (`payment.success`).
   */
  async #process(tx: Tx, auth: AuthContext, payment: Payment, invoice: Invoice, now: Date): Promise<void> {
    payment.paymentStatus = 'PROCESSING';
    touch(payment, auth, now);
    await record(tx, auth, paymentEvent('payment.pending', { payment, invoiceNumber: invoice.invoiceNumber ?? null }, now));
    if (payment.paymentMethodType === 'CREDITS') {
      if (!this.#invoices.wallets || !this.#invoices.linesOf) throw invalidFields({ payment_method_type: 'CREDITS payments need wallets, which are not wired here' });
      await payFromWallet(tx, auth, { wallets: this.#invoices.wallets, lines: this.#invoices.linesOf }, payment, invoice, now);
    }
    payment.paymentStatus = 'SUCCEEDED';
    payment.succeededAt = now;
    await tx.flush();
    await this.#invoices.applyPayments(tx, auth, invoice.id, await this.#repo.receivedAmounts(tx, auth, invoice.id), now);
    await record(tx, auth, paymentEvent('payment.success', { payment, invoiceNumber: invoice.invoiceNumber ?? null }, now));
  }

  /** A live payment, locked; a deleted one is not changed (400). */
  async #locked(tx: Tx, auth: AuthContext, id: string): Promise<Payment> {
    const payment = orNotFound(await this.#repo.locked(tx, auth, id), 'Payment', 'id', id);
    if (payment.status === 'archived') throw invalidOperation(`payment ${id} is deleted`, id);
    return payment;
  }

  async #viewOf(tx: Tx, auth: AuthContext, payment: Payment): Promise<PaymentView> {
    const invoice = (await this.#invoices.getMany(tx, auth, [payment.destinationId])).get(payment.destinationId);
    return { payment, invoiceNumber: invoice?.invoiceNumber ?? null };
  }
}

/**
 * Why `amount` in `currency` cannot pay `invoice` now, as the error `refuse` makes of it (the field and
 * the reason): the invoice must be DRAFT or FINALIZED and not paid already, the currency its own, and
 * the amount in the currency's minor units and within what remains to pay.
 */
function refuseToPay(invoice: Invoice, amount: string, currency: string, refuse: (field: string, why: string) => Error): void {
  if (invoice.invoiceStatus !== 'DRAFT' && invoice.invoiceStatus !== 'FINALIZED') {
    throw refuse('destination_id', `invoice ${invoice.id} is ${invoice.invoiceStatus}; only a DRAFT or FINALIZED invoice can be paid`);
  }
  if (invoice.paymentStatus === 'SUCCEEDED' || invoice.paymentStatus === 'OVERPAID') {
    throw refuse('destination_id', `invoice ${invoice.id} is already paid (payment status ${invoice.paymentStatus})`);
  }
  if (currency !== invoice.currency) throw refuse('currency', `must be the invoice's currency (${invoice.currency}), not ${currency}`);
  const value = new ExactDecimal(amount);
  if (!fitsCurrency(value, invoice.currency)) throw refuse('amount', `has more decimals than ${invoice.currency} allows`);
  const remaining = new ExactDecimal(invoice.amountRemaining);
  if (value.gt(remaining)) throw refuse('amount', `exceeds the invoice's amount_remaining (${formatDecimal(remaining)} ${invoice.currency})`);
}
