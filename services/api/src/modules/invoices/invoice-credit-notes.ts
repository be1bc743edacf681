import type { AuthContext } from '../../auth-context.ts';
import { applyCreditNote, reverseAdjustment, type CreditedAmounts, type CreditNoteType } from '../../billing/invoicing/index.ts';
import type { Tx } from '../../db/transactions.ts';
import { touch } from '../../records.ts';
import type { Invoice } from './invoice.entity.ts';
import type { InvoiceLineItem } from './invoice-line-item.entity.ts';
import { InvoiceRepo } from './invoice.repo.ts';

/** The environment's sequence of default credit note numbers (in `invoice_sequences`, beside the invoices' monthly ones). */
const numberBucket = 'credit_note';

/**
 * What credit notes read and change of invoices (docs/api/credit-notes.md), always in the caller's
 * unit of work: the invoice under its row lock (which finalization, payments and voids take too, so
 * credit notes of one invoice are issued one after another), its lines, the note's effect on its
 * amounts (`refunded_amount`, `adjustment_amount`, `amount_due`, `amount_remaining`,
 * `payment_status`), and the environment's next credit note number.
 */
export class InvoiceCreditNotes {
  readonly #repo = new InvoiceRepo();

  /** The invoice, locked until the unit of work ends; null when the environment has none with this id. */
  locked(tx: Tx, auth: AuthContext, id: string): Promise<Invoice | null> {
    return this.#repo.locked(tx, auth, id);
  }

  lines(tx: Tx, auth: AuthContext, invoiceId: string): Promise<InvoiceLineItem[]> {
    return this.#repo.linesOf(tx, auth, [invoiceId]);
  }

  /** A finalized credit note of `type` for `amount` (in the invoice currency), on the locked invoice. */
  credit(auth: AuthContext, invoice: Invoice, type: CreditNoteType, amount: string, at: Date): void {
    this.#set(auth, invoice, applyCreditNote(invoice, type, amount, invoice.currency), at);
  }

  /** A finalized ADJUSTMENT of `amount` voided: the locked invoice owes it again. */
  uncredit(auth: AuthContext, invoice: Invoice, amount: string, at: Date): void {
    this.#set(auth, invoice, reverseAdjustment(invoice, amount, invoice.currency), at);
  }

  /**
   * The environment's next default credit note number, `CN-00001`, `CN-00002`, … (five digits at least,
   * more past 99,999): one sequence per environment, taken in the caller's transaction (a rollback
   * gives the number back), so concurrent notes never get the same one.
   */
  async nextNumber(tx: Tx, auth: AuthContext): Promise<string> {
    return `CN-${String(await this.#repo.nextNumber(tx, auth, numberBucket)).padStart(5, '0')}`;
  }

  #set(auth: AuthContext, invoice: Invoice, amounts: CreditedAmounts, at: Date): void {
    const settled = amounts.paymentStatus === 'SUCCEEDED' && invoice.paymentStatus !== 'SUCCEEDED';
    Object.assign(invoice, amounts);
    if (settled) invoice.paidAt = invoice.paidAt ?? at;
    if (amounts.paymentStatus === 'PENDING') invoice.paidAt = null;
    invoice.version += 1;
    touch(invoice, auth, at);
  }
}
