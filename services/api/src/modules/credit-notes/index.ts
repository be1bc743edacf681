/** Credit notes, as the composition root uses them. */
export { CreditNoteService, type CreditNoteFaces } from './credit-note.service.ts';
export { toCreditNoteResponse, type CreditNoteResponse, type CreditNoteView } from './credit-note.convert.ts';
export type { CreditNote } from './credit-note.entity.ts';
