import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors/app-error.ts';
import { derivedCreditNoteKey } from './credit-note-idempotency.ts';
import { fromCreateCreditNoteRequest } from './credit-note.convert.ts';

type Body = Parameters<typeof fromCreateCreditNoteRequest>[0];
/** A request as sent: `process_credit_note` may be left out (the validator fills in its default). */
const req = (b: Omit<Body, 'process_credit_note'> & Partial<Body>): Body => b as Body;

const problems = (body: Omit<Body, 'process_credit_note'>): Record<string, unknown> | undefined => {
  try {
    fromCreateCreditNoteRequest(req(body));
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return (e as AppError).details;
  }
};

describe('fromCreateCreditNoteRequest', () => {
  it('reads amounts given as strings or numbers canonically, and FlexPrice’s defaults', () => {
    expect(fromCreateCreditNoteRequest(req({ invoice_id: 'inv_1', reason: 'DUPLICATE', line_items: [{ invoice_line_item_id: 'inv_line_1', amount: ' 30.50 ' }, { invoice_line_item_id: 'inv_line_2', amount: 0.1 }] }))).toEqual({
      invoiceId: 'inv_1',
      reason: 'DUPLICATE',
      lines: [
        { invoiceLineItemId: 'inv_line_1', amount: '30.5', displayName: null, metadata: {} },
        { invoiceLineItemId: 'inv_line_2', amount: '0.1', displayName: null, metadata: {} },
      ],
      memo: '',
      creditNoteNumber: null,
      idempotencyKey: null,
      metadata: {},
      processCreditNote: true,
    });
  });

  it('treats a blank number or key as none', () => {
    expect(fromCreateCreditNoteRequest(req({ invoice_id: 'inv_1', reason: 'DUPLICATE', credit_note_number: '  ', idempotency_key: '', line_items: [{ invoice_line_item_id: 'l', amount: '1' }] }))).toMatchObject({ creditNoteNumber: null, idempotencyKey: null });
  });

  it('names every problem at once', () => {
    expect(problems({ invoice_id: ' ', reason: 'DUPLICATE', refund_target: 'BACK_TO_SOURCE', line_items: [{ invoice_line_item_id: 'l', amount: '0' }, { invoice_line_item_id: '', amount: '-1' }] })).toEqual({
      invoice_id: 'must not be blank',
      refund_target: expect.stringContaining('payment gateway'),
      'line_items[0].amount': expect.any(String),
      'line_items[1].invoice_line_item_id': 'must not be blank',
      'line_items[1].amount': expect.any(String),
    });
    expect(problems({ invoice_id: 'inv_1', reason: 'DUPLICATE', line_items: [] })).toEqual({ line_items: 'must list at least one line' });
  });
});

describe('derivedCreditNoteKey', () => {
  const base = { invoiceId: 'inv_1', reason: 'DUPLICATE', type: 'REFUND' as const, processCreditNote: true, lines: [{ invoiceLineItemId: 'a', amount: '30' }, { invoiceLineItemId: 'b', amount: '5' }] };

  it('is FlexPrice’s shape and ignores the order of the lines', () => {
    const key = derivedCreditNoteKey(base);
    expect(key).toMatch(/^credit_note-[0-9a-f]{16}$/);
    expect(derivedCreditNoteKey({ ...base, lines: [...base.lines].reverse() })).toBe(key);
  });

  it('differs when what is credited differs', () => {
    const key = derivedCreditNoteKey(base);
    expect(derivedCreditNoteKey({ ...base, lines: [{ invoiceLineItemId: 'a', amount: '31' }, base.lines[1]!] })).not.toBe(key);
    expect(derivedCreditNoteKey({ ...base, type: 'ADJUSTMENT' })).not.toBe(key);
    expect(derivedCreditNoteKey({ ...base, processCreditNote: false })).not.toBe(key);
    expect(derivedCreditNoteKey({ ...base, reason: 'FRAUDULENT' })).not.toBe(key);
  });
});
