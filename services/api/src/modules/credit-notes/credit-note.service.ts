import type { AuthContext } from '../../auth-context.ts';
import { checkCreditLines, creditNoteTypeFor, maxCreditable } from '../../billing/invoicing/index.ts';
import { ExactDecimal } from '../../billing/money/index.ts';
import type { PageOf } from '../../db/find-page.ts';
import type { Tx } from '../../db/transactions.ts';
import { AppError, invalidFields, notFound } from '../../errors/app-error.ts';
import { orNotFound } from '../../errors/not-found.ts';
import { newId } from '../../ids.ts';
import { newRecord, touch } from '../../records.ts';
import type { ServiceContext } from '../../service-context.ts';
import { toInvoiceResponse, type Invoice, type InvoiceCreditNotes, type InvoiceService } from '../invoices/index.ts';
import type { WalletService } from '../wallets/index.ts';
import { record } from '../webhooks/index.ts';
import { derivedCreditNoteKey } from './credit-note-idempotency.ts';
import type { CreditNoteEmbeds, CreditNoteQuery, CreditNoteView, NewCreditNote } from './credit-note.convert.ts';
import type { CreditNote } from './credit-note.entity.ts';
import { CreditNoteRepo } from './credit-note.repo.ts';
import { creditNoteEvent } from './credit-note.webhook.ts';

/** What credit notes use of other modules, in the caller's unit of work. */
export type CreditNoteFaces = {
  invoices: InvoiceService;
  invoiceCredits: InvoiceCreditNotes;
  wallets: WalletService;
  /** "Now" for a customer: its test clock's time when it is on one. */
  time: { nowFor(tx: Tx, auth: AuthContext, customerId: string): Promise<Date> };
};

const refuse = (message: string, details: Record<string, unknown>) => new AppError('invalid_operation', message, details);
const taken = () => new AppError('already_exists', 'a credit note with this credit_note_number or idempotency_key already exists', {});
const noEmbeds: CreditNoteEmbeds = { invoice: false, subscription: false, customer: false };

/**
 * Credit notes (docs/api/credit-notes.md): refunds and adjustments of finalized invoices. Every use
 * case that can change what an invoice may still be credited locks the invoice's row first, then the
 * note's: issuing, finalizing and voiding notes of one invoice happen one after another, each checking
 * the limits against what the ones before left.
 */
export class CreditNoteService {
  readonly #ctx: ServiceContext;
  readonly #faces: CreditNoteFaces;
  readonly #repo = new CreditNoteRepo();

  constructor(ctx: ServiceContext, faces: CreditNoteFaces) {
    this.#ctx = ctx;
    this.#faces = faces;
  }

  /**
   * Issues a credit note against a finalized invoice — a REFUND when it is paid, an ADJUSTMENT when
   * not — within what the invoice may still be credited, and finalizes it unless asked not to. A note
   * with the same idempotency key (given, or derived from what is credited) is the answer instead.
   */
  create(auth: AuthContext, input: NewCreditNote): Promise<CreditNoteView> {
    return this.#ctx.db.run(async (tx) => {
      const invoice = await this.#faces.invoiceCredits.locked(tx, auth, input.invoiceId);
      if (!invoice) throw notFound('Invoice', 'invoice_id', input.invoiceId);
      if (input.idempotencyKey) {
        const earlier = await this.#repo.byKey(tx, auth, input.idempotencyKey);
        if (earlier) return this.#view(tx, auth, earlier);
      }
      const refuseInvoice = (why: string) => invalidFields({ invoice_id: why });
      if (invoice.invoiceStatus !== 'FINALIZED') throw refuseInvoice(`invoice ${invoice.id} is ${invoice.invoiceStatus}; credit notes are issued for FINALIZED invoices only`);
      if (invoice.paymentStatus === 'REFUNDED') throw refuseInvoice(`invoice ${invoice.id} is already fully refunded`);
      const type = creditNoteTypeFor(invoice.paymentStatus);
      if (!type) throw refuseInvoice(`invoice ${invoice.id} has payment status ${invoice.paymentStatus}, which takes no credit note`);
      const key = input.idempotencyKey ?? derivedCreditNoteKey({ invoiceId: invoice.id, reason: input.reason, type, lines: input.lines, processCreditNote: input.processCreditNote });
      const earlier = input.idempotencyKey ? null : await this.#repo.byKey(tx, auth, key);
      if (earlier) return this.#view(tx, auth, earlier);

      const invoiceLines = await this.#faces.invoiceCredits.lines(tx, auth, invoice.id);
      const { total, problems } = checkCreditLines(input.lines, new Map(invoiceLines.map((l) => [l.id, l.amount])), invoice.currency);
      if (Object.keys(problems).length) throw invalidFields(problems);
      const max = maxCreditable(invoice, type, invoice.currency);
      if (new ExactDecimal(total).gt(max)) {
        throw invalidFields({ line_items: `credit ${total} ${invoice.currency} in total, but only ${max} can still be ${type === 'REFUND' ? 'refunded' : 'adjusted'} on invoice ${invoice.id}` });
      }
      const number = input.creditNoteNumber ?? (await this.#nextNumber(tx, auth));
      if (input.creditNoteNumber && (await this.#repo.isTaken(tx, auth, { creditNoteNumber: input.creditNoteNumber }))) {
        throw new AppError('already_exists', 'A credit note with this number already exists in this environment', { credit_note_number: input.creditNoteNumber });
      }
      const now = await this.#faces.time.nowFor(tx, auth, invoice.customerId);
      const note = this.#repo.add(tx, {
        id: newId('creditNote'),
        creditNoteNumber: number,
        invoiceId: invoice.id,
        customerId: invoice.customerId,
        subscriptionId: invoice.subscriptionId ?? null,
        creditNoteStatus: 'DRAFT',
        creditNoteType: type,
        reason: input.reason,
        memo: input.memo,
        currency: invoice.currency,
        totalAmount: total,
        idempotencyKey: key,
        finalizedAt: null,
        voidedAt: null,
        metadata: input.metadata,
        ...newRecord(auth, now),
      });
      const displayNames = new Map(invoiceLines.map((l) => [l.id, l.displayName ?? '']));
      const lines = input.lines.map((l, position) =>
        this.#repo.addLine(tx, {
          id: newId('creditNoteLineItem'),
          creditNoteId: note.id,
          position,
          invoiceLineItemId: l.invoiceLineItemId,
          displayName: l.displayName ?? displayNames.get(l.invoiceLineItemId) ?? '',
          amount: l.amount,
          currency: invoice.currency,
          metadata: l.metadata,
          ...newRecord(auth, now),
        }),
      );
      await tx.flush();
      await record(tx, auth, creditNoteEvent('credit_note.created', note, now));
      if (input.processCreditNote) await this.#finalize(tx, auth, invoice, note, now);
      return { note, lines };
    }, taken);
  }

  /** Any status; the invoice, its customer and its subscription embedded, as FlexPrice's read does. */
  get(auth: AuthContext, id: string): Promise<CreditNoteView> {
    return this.#ctx.db.read(async (tx) => {
      const note = orNotFound(await this.#repo.get(tx, auth, id), 'Credit note', 'id', id);
      return (await this.#views(tx, auth, [note], { invoice: true, subscription: true, customer: true }))[0]!;
    });
  }

  list(auth: AuthContext, query: CreditNoteQuery): Promise<PageOf<CreditNoteView>> {
    return this.#ctx.db.read(async (tx) => {
      const { items, total } = await this.#repo.page(tx, auth, query);
      return { items: await this.#views(tx, auth, items, query.embeds), total };
    });
  }

  /** Finalizes a DRAFT note: the limits checked again under the invoice's lock, then its effect applied. */
  async finalize(auth: AuthContext, id: string): Promise<void> {
    await this.#ctx.db.run(async (tx) => {
      const { invoice, note } = await this.#locked(tx, auth, id);
      await this.#finalize(tx, auth, invoice, note, await this.#faces.time.nowFor(tx, auth, note.customerId));
    });
  }

  /**
   * Voids a DRAFT note, or a FINALIZED ADJUSTMENT — the invoice then owes its amount again. A finalized
   * REFUND (its credits are in the customer's wallet), an adjustment of an invoice refunded since, and
   * a voided note are refused.
   */
  async void(auth: AuthContext, id: string): Promise<void> {
    await this.#ctx.db.run(async (tx) => {
      const { invoice, note } = await this.#locked(tx, auth, id);
      const details = { id: note.id, credit_note_status: note.creditNoteStatus, credit_note_type: note.creditNoteType };
      if (note.creditNoteStatus === 'VOIDED') throw refuse(`credit note ${note.id} is already voided`, details);
      const now = await this.#faces.time.nowFor(tx, auth, note.customerId);
      if (note.creditNoteStatus === 'FINALIZED') {
        if (note.creditNoteType === 'REFUND') {
          throw refuse(`credit note ${note.id} is a finalized refund: its credits are in the customer's wallet, and a refund cannot be voided once completed`, details);
        }
        if (invoice.paymentStatus === 'REFUNDED' || invoice.paymentStatus === 'PARTIALLY_REFUNDED') {
          throw refuse(`invoice ${invoice.id} has been refunded since this adjustment settled it; the adjustment can no longer be voided`, { ...details, invoice_id: invoice.id, payment_status: invoice.paymentStatus });
        }
        if (invoice.invoiceStatus === 'FINALIZED') this.#faces.invoiceCredits.uncredit(auth, invoice, note.totalAmount, now);
      }
      note.creditNoteStatus = 'VOIDED';
      note.voidedAt = now;
      touch(note, auth, now);
      await tx.flush();
      await record(tx, auth, creditNoteEvent('credit_note.updated', note, now));
    });
  }

  /** Finalizes a DRAFT note in the caller's unit of work, which holds the invoice's lock and the note's. */
  async #finalize(tx: Tx, auth: AuthContext, invoice: Invoice, note: CreditNote, now: Date): Promise<void> {
    const details = { id: note.id, credit_note_status: note.creditNoteStatus };
    if (note.creditNoteStatus !== 'DRAFT') throw refuse(`credit note ${note.id} is ${note.creditNoteStatus}; only a DRAFT credit note can be finalized`, details);
    const total = new ExactDecimal(note.totalAmount);
    if (!total.gt(0)) throw refuse(`credit note ${note.id} has a total of ${note.totalAmount}; a credit note must credit more than 0 to be finalized`, { ...details, total_amount: note.totalAmount });
    if (invoice.invoiceStatus !== 'FINALIZED') throw refuse(`invoice ${invoice.id} is ${invoice.invoiceStatus}; a credit note is finalized against a FINALIZED invoice only`, { ...details, invoice_id: invoice.id });
    const max = maxCreditable(invoice, note.creditNoteType, invoice.currency);
    if (total.gt(max)) {
      throw refuse(`credit note ${note.id} credits ${note.totalAmount} ${invoice.currency}, but only ${max} can still be credited on invoice ${invoice.id}: another credit note may have been finalized against it since`, {
        ...details,
        requested_amount: note.totalAmount,
        maximum_allowed: max,
        invoice_id: invoice.id,
      });
    }
    note.creditNoteStatus = 'FINALIZED';
    note.finalizedAt = now;
    touch(note, auth, now);
    if (note.creditNoteType === 'REFUND') {
      await this.#faces.wallets.deposit(tx, auth, {
        customerId: invoice.customerId,
        currency: invoice.currency,
        reason: 'CREDIT_NOTE',
        idempotencyKey: note.id,
        at: now,
        amount: note.totalAmount,
        description: `Credit note refund: ${note.creditNoteNumber}`,
        metadata: { credit_note_id: note.id },
      });
    }
    this.#faces.invoiceCredits.credit(auth, invoice, note.creditNoteType, note.totalAmount, now);
    await tx.flush();
    await record(tx, auth, creditNoteEvent('credit_note.updated', note, now));
  }

  /** The note's invoice, then the note itself, both locked, the note as committed. */
  async #locked(tx: Tx, auth: AuthContext, id: string): Promise<{ invoice: Invoice; note: CreditNote }> {
    const seen = orNotFound(await this.#repo.get(tx, auth, id), 'Credit note', 'id', id);
    const invoice = orNotFound(await this.#faces.invoiceCredits.locked(tx, auth, seen.invoiceId), 'Invoice', 'invoice_id', seen.invoiceId);
    return { invoice, note: orNotFound(await this.#repo.locked(tx, auth, id), 'Credit note', 'id', id) };
  }

  /** The environment's next default number not already given to a note by hand. */
  async #nextNumber(tx: Tx, auth: AuthContext): Promise<string> {
    for (;;) {
      const number = await this.#faces.invoiceCredits.nextNumber(tx, auth);
      if (!(await this.#repo.isTaken(tx, auth, { creditNoteNumber: number }))) return number;
    }
  }

  async #view(tx: Tx, auth: AuthContext, note: CreditNote): Promise<CreditNoteView> {
    return (await this.#views(tx, auth, [note], noEmbeds))[0]!;
  }

  /** The notes with their lines and what `embeds` asks for, in the caller's unit of work. */
  async #views(tx: Tx, auth: AuthContext, notes: CreditNote[], embeds: CreditNoteEmbeds): Promise<CreditNoteView[]> {
    const lines = await this.#repo.linesOf(tx, auth, notes.map((n) => n.id));
    const embedded = new Map<string, ReturnType<typeof toInvoiceResponse>>();
    if (embeds.invoice || embeds.customer || embeds.subscription) {
      const invoices = await this.#faces.invoices.repo.getMany(tx, auth, notes.map((n) => n.invoiceId));
      const views = await this.#faces.invoices.viewsOf(tx, auth, [...invoices.values()], { customer: embeds.customer, subscription: embeds.subscription, subscriptionPlan: false });
      for (const v of views) embedded.set(v.invoice.id, toInvoiceResponse(v));
    }
    return notes.map((note) => {
      const wire = embedded.get(note.invoiceId);
      const { customer, subscription, ...invoice } = wire ?? {};
      return {
        note,
        lines: lines.filter((l) => l.creditNoteId === note.id),
        ...(embeds.invoice && wire ? { invoice: invoice as NonNullable<CreditNoteView['invoice']> } : {}),
        ...(embeds.customer && customer ? { customer } : {}),
        ...(embeds.subscription && subscription ? { subscription } : {}),
      };
    });
  }
}
