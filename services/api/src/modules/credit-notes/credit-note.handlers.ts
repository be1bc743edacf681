import { listResponse } from '../../listing/pagination.ts';
import type { HandlersOf } from '../../request-context.ts';
import { fromCreateCreditNoteRequest, fromCreditNoteListRequest, toCreditNoteResponse } from './credit-note.convert.ts';
import type { CreditNoteService } from './credit-note.service.ts';

type CreditNoteHandlers = HandlersOf<'createCreditNote' | 'listCreditNotes' | 'getCreditNote' | 'processCreditNote' | 'voidCreditNote'>;

export function creditNoteHandlers(notes: CreditNoteService): CreditNoteHandlers {
  return {
    createCreditNote: async ({ body }, ctx) => toCreditNoteResponse(await notes.create(ctx.auth, fromCreateCreditNoteRequest(body))),
    listCreditNotes: async ({ query }, ctx) => {
      const q = fromCreditNoteListRequest(query);
      return listResponse(await notes.list(ctx.auth, q), q.page, toCreditNoteResponse);
    },
    getCreditNote: async ({ path }, ctx) => toCreditNoteResponse(await notes.get(ctx.auth, path.id)),
    // FlexPrice's message, whatever the note's type.
    processCreditNote: async ({ path }, ctx) => {
      await notes.finalize(ctx.auth, path.id);
      return { message: 'Adjustment credit note processed successfully' };
    },
    voidCreditNote: async ({ path }, ctx) => {
      await notes.void(ctx.auth, path.id);
      return { message: 'Credit note voided successfully' };
    },
  };
}
