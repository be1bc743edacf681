import { beforeAll, describe, expect } from 'vitest';
import { flexprice, lastResponseBody, sdkTest, thrown, unique } from '../src/sdk-test.ts';

/**
 * Credit notes through FlexPrice's SDK: a refund of a paid invoice (into the customer's prepaid
 * wallet), an adjustment of an unpaid one, drafts finalized and voided.
 */
describe('credit notes', () => {
  let customerId: string;

  /** A finalized one-off invoice of $100 (Platform $60, Support $40), paid in full when `paid`. */
  const invoiceOf100 = async (paid: boolean) => {
    const invoice = await flexprice.invoices.createInvoice({
      customerId,
      currency: 'usd',
      invoiceType: 'ONE_OFF',
      subtotal: '100',
      total: '100',
      amountDue: '100',
      lineItems: [
        { displayName: 'Platform', amount: '60', quantity: '1' },
        { displayName: 'Support', amount: '40', quantity: '1' },
      ],
    });
    if (paid) await flexprice.payments.createPayment({ amount: '100', currency: 'usd', destinationType: 'INVOICE', destinationId: invoice.id!, paymentMethodType: 'OFFLINE' });
    return { id: invoice.id!, platform: invoice.lineItems![0]!.id!, support: invoice.lineItems![1]!.id! };
  };

  beforeAll(async () => {
    customerId = (await flexprice.customers.createCustomer({ externalId: unique('credited'), name: 'Credited' })).id!;
  });

  sdkTest('refunds $30 of a paid $100 invoice into the customer’s wallet and reads the note', ['creditNotes.createCreditNote', 'creditNotes.getCreditNote'], async () => {
    const invoice = await invoiceOf100(true);
    const note = await flexprice.creditNotes.createCreditNote({ invoiceId: invoice.id, reason: 'SERVICE_ISSUE', memo: 'Outage', lineItems: [{ invoiceLineItemId: invoice.platform, amount: '30' }] });
    expect(note.id).toMatch(/^cn_[0-9A-Z]{26}$/);
    expect(note).toMatchObject({ invoiceId: invoice.id, customerId, creditNoteStatus: 'FINALIZED', creditNoteType: 'REFUND', reason: 'SERVICE_ISSUE', memo: 'Outage', currency: 'usd', totalAmount: '30' });
    expect(note.creditNoteNumber).toMatch(/^CN-\d{5}$/);
    expect(note.lineItems!.map((l) => [l.invoiceLineItemId, l.displayName, l.amount])).toEqual([[invoice.platform, 'Platform', '30']]);
    const read = await flexprice.creditNotes.getCreditNote(note.id!);
    expect(read).toMatchObject({ id: note.id, totalAmount: '30', invoice: { id: invoice.id, refundedAmount: '30', paymentStatus: 'PARTIALLY_REFUNDED' }, customer: { id: customerId } });
    const wallets = await flexprice.wallets.getWalletsByCustomerId(customerId);
    expect(wallets.map((w) => [w.walletType, w.creditBalance])).toEqual([['PRE_PAID', '30']]);
    const refused = await thrown(() => flexprice.creditNotes.createCreditNote({ invoiceId: invoice.id, reason: 'DUPLICATE', lineItems: [{ invoiceLineItemId: invoice.support, amount: '40.01' }] }));
    expect(refused.statusCode).toBe(400);
  });

  sdkTest('adjusts an unpaid invoice with a draft, finalized later; voids another draft', ['creditNotes.processCreditNote', 'creditNotes.voidCreditNote'], async () => {
    const invoice = await invoiceOf100(false);
    const draft = await flexprice.creditNotes.createCreditNote({ invoiceId: invoice.id, reason: 'BILLING_ERROR', processCreditNote: false, lineItems: [{ invoiceLineItemId: invoice.support, amount: '40' }] });
    expect(draft).toMatchObject({ creditNoteStatus: 'DRAFT', creditNoteType: 'ADJUSTMENT', totalAmount: '40' });
    await flexprice.creditNotes.processCreditNote(draft.id!);
    expect(await lastResponseBody()).toEqual({ message: 'Adjustment credit note processed successfully' });
    expect(await flexprice.invoices.getInvoice(invoice.id)).toMatchObject({ adjustmentAmount: '40', amountDue: '60', amountRemaining: '60', paymentStatus: 'PENDING' }); // 100 − 40
    const other = await flexprice.creditNotes.createCreditNote({ invoiceId: invoice.id, reason: 'DUPLICATE', processCreditNote: false, lineItems: [{ invoiceLineItemId: invoice.platform, amount: '5' }] });
    await flexprice.creditNotes.voidCreditNote(other.id!);
    expect(await lastResponseBody()).toEqual({ message: 'Credit note voided successfully' });
    expect(await flexprice.creditNotes.getCreditNote(other.id!)).toMatchObject({ creditNoteStatus: 'VOIDED' });
    const again = await thrown(() => flexprice.creditNotes.processCreditNote(other.id!));
    expect(again.statusCode).toBe(400);
  });
});
