import { LockMode } from '@mikro-orm/core';
import { scopeOf, type AuthContext } from '../../auth-context.ts';
import type { PageOf } from '../../db/find-page.ts';
import { RecordRepo } from '../../db/record-repo.ts';
import type { Tx } from '../../db/transactions.ts';
import { oneOf } from '../../listing/list-where.ts';
import type { CreditNoteQuery } from './credit-note.convert.ts';
import { CreditNoteLineItem } from './credit-note-line-item.entity.ts';
import { CreditNote } from './credit-note.entity.ts';
import { creditNoteSearchFields } from './credit-note.search.ts';

/** Every query of credit notes and their lines. */
export class CreditNoteRepo extends RecordRepo<CreditNote> {
  constructor() {
    super(CreditNote, creditNoteSearchFields, 'credit note');
  }

  addLine(tx: Tx, line: Partial<CreditNoteLineItem>): CreditNoteLineItem {
    return tx.create(CreditNoteLineItem, line as CreditNoteLineItem);
  }

  /**
   * The note as committed now, locked until the unit of work ends. Callers take it after the invoice's
   * lock (the order every credit note use case locks in), so a concurrent finalize or void of the same
   * note has either committed — and is seen — or waits.
   */
  locked(tx: Tx, auth: AuthContext, id: string): Promise<CreditNote | null> {
    return tx.findOne(CreditNote, { ...scopeOf(auth), id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  }

  /** The note with this idempotency key (keys are unique in the environment). */
  byKey(tx: Tx, auth: AuthContext, idempotencyKey: string): Promise<CreditNote | null> {
    return tx.findOne(CreditNote, { ...scopeOf(auth), idempotencyKey });
  }

  /** The lines of these notes, in order. */
  linesOf(tx: Tx, auth: AuthContext, noteIds: string[]): Promise<CreditNoteLineItem[]> {
    if (!noteIds.length) return Promise.resolve([]);
    return tx.find(CreditNoteLineItem, { ...scopeOf(auth), creditNoteId: { $in: noteIds } }, { orderBy: [{ creditNoteId: 'asc' }, { position: 'asc' }] });
  }

  page(tx: Tx, auth: AuthContext, query: CreditNoteQuery): Promise<PageOf<CreditNote>> {
    const where = [...oneOf('id', query.creditNoteIds), ...oneOf('creditNoteStatus', query.creditNoteStatuses)];
    if (query.invoiceId !== undefined) where.push({ invoiceId: query.invoiceId });
    if (query.creditNoteType !== undefined) where.push({ creditNoteType: query.creditNoteType });
    return this.findPage(tx, auth, query, where);
  }
}
