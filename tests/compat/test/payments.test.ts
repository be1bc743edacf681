import { beforeAll, describe, expect } from 'vitest';
import { flexprice, lastResponseBody, sdkTest, thrown, unique } from '../src/sdk-test.ts';

/**
 * Payments through FlexPrice's SDK: OFFLINE payments of one-off invoices (money received outside
 * Tally), processed at once or later, updated along the status transitions, deleted, listed.
 */
describe('payments', () => {
  let customerId: string;

  /** A finalized one-off invoice of `amount` dollars. */
  const invoiceOf = async (amount: string) =>
    (
      await flexprice.invoices.createInvoice({
        customerId,
        currency: 'usd',
        invoiceType: 'ONE_OFF',
        subtotal: amount,
        total: amount,
        amountDue: amount,
        lineItems: [{ displayName: 'Consulting', amount, quantity: '1' }],
      })
    ).id!;

  beforeAll(async () => {
    customerId = (await flexprice.customers.createCustomer({ externalId: unique('payer'), name: 'Payer' })).id!;
  });

  sdkTest('creates an OFFLINE payment that pays part of an invoice, and reads it', ['payments.createPayment', 'payments.getPayment'], async () => {
    const invoiceId = await invoiceOf('40');
    const payment = await flexprice.payments.createPayment({ amount: '15', currency: 'usd', destinationType: 'INVOICE', destinationId: invoiceId, paymentMethodType: 'OFFLINE', metadata: { cheque: '1042' } });
    expect(payment.id).toMatch(/^pay_[0-9A-Z]{26}$/);
    expect(payment).toMatchObject({ amount: '15', currency: 'usd', destinationType: 'INVOICE', destinationId: invoiceId, paymentMethodType: 'OFFLINE', paymentStatus: 'SUCCEEDED', metadata: { cheque: '1042' }, attempts: [] });
    expect(payment.idempotencyKey).toMatch(/^payment-[0-9a-f]{16}$/);
    expect(payment.invoiceNumber).toMatch(/^INV-\d{6}-\d{5}$/);
    expect(await flexprice.payments.getPayment(payment.id!)).toEqual(payment);
    const again = await flexprice.payments.createPayment({ amount: '15', currency: 'usd', destinationType: 'INVOICE', destinationId: invoiceId, paymentMethodType: 'OFFLINE' });
    expect(again.id).toBe(payment.id); // the same payment sent twice is recorded once
    const invoice = await flexprice.invoices.getInvoice(invoiceId);
    expect(invoice).toMatchObject({ amountPaid: '15', amountRemaining: '25', paymentStatus: 'PENDING' }); // 40 − 15
  });

  sdkTest('processes a payment created with processPayment false, then refuses to delete it', ['payments.processPayment', 'payments.deletePayment'], async () => {
    const invoiceId = await invoiceOf('30');
    const waiting = await flexprice.payments.createPayment({ amount: '30', currency: 'usd', destinationType: 'INVOICE', destinationId: invoiceId, paymentMethodType: 'OFFLINE', processPayment: false });
    expect(waiting.paymentStatus).toBe('INITIATED');
    const processed = await flexprice.payments.processPayment(waiting.id!);
    expect(processed).toMatchObject({ id: waiting.id, paymentStatus: 'SUCCEEDED' });
    expect(await flexprice.invoices.getInvoice(invoiceId)).toMatchObject({ amountPaid: '30', amountRemaining: '0', paymentStatus: 'SUCCEEDED' });
    const refused = await thrown(() => flexprice.payments.deletePayment(waiting.id!));
    expect(refused.statusCode).toBe(400);

    const other = await invoiceOf('5');
    const initiated = await flexprice.payments.createPayment({ amount: '5', currency: 'usd', destinationType: 'INVOICE', destinationId: other, paymentMethodType: 'OFFLINE', processPayment: false });
    expect((await flexprice.payments.deletePayment(initiated.id!)).message).toBe('payment deleted successfully');
  });

  sdkTest('marks a payment FAILED with an error message; a CARD payment is refused', ['payments.updatePayment'], async () => {
    const invoiceId = await invoiceOf('20');
    const p = await flexprice.payments.createPayment({ amount: '20', currency: 'usd', destinationType: 'INVOICE', destinationId: invoiceId, paymentMethodType: 'OFFLINE', processPayment: false });
    const failed = await flexprice.payments.updatePayment(p.id!, { paymentStatus: 'FAILED', errorMessage: 'cheque bounced' });
    expect(failed).toMatchObject({ id: p.id, paymentStatus: 'FAILED', errorMessage: 'cheque bounced' });
    expect(failed.failedAt).toBeDefined();
    const terminal = await thrown(() => flexprice.payments.updatePayment(p.id!, { paymentStatus: 'SUCCEEDED' }));
    expect(terminal.statusCode).toBe(400);
    const card = await thrown(() => flexprice.payments.createPayment({ amount: '1', currency: 'usd', destinationType: 'INVOICE', destinationId: invoiceId, paymentMethodType: 'CARD', paymentGateway: 'stripe' }));
    expect(card.statusCode).toBe(400);
    expect((await lastResponseBody()).details).toHaveProperty('payment_method_type');
  });

  sdkTest('lists an invoice’s payments by status', ['payments.listPayments'], async () => {
    const invoiceId = await invoiceOf('50');
    const a = await flexprice.payments.createPayment({ amount: '10', currency: 'usd', destinationType: 'INVOICE', destinationId: invoiceId, paymentMethodType: 'OFFLINE' });
    const b = await flexprice.payments.createPayment({ amount: '5', currency: 'usd', destinationType: 'INVOICE', destinationId: invoiceId, paymentMethodType: 'OFFLINE', processPayment: false });
    const all = await flexprice.payments.listPayments({ destinationId: invoiceId, order: 'asc' });
    expect(all.items!.map((p) => [p.id, p.amount, p.paymentStatus])).toEqual([
      [a.id, '10', 'SUCCEEDED'],
      [b.id, '5', 'INITIATED'],
    ]);
    expect(all.pagination!.total).toBe(2);
    const succeeded = await flexprice.payments.listPayments({ destinationId: invoiceId, paymentStatus: 'SUCCEEDED', paymentMethodType: 'OFFLINE', currency: 'usd' });
    expect(succeeded.items!.map((p) => p.id)).toEqual([a.id]);
  });

  sdkTest('pays from a POST_PAID wallet with a CREDITS payment', ['payments.createPayment', 'wallets.createWallet', 'wallets.getWallet'], async () => {
    const invoiceId = await invoiceOf('40');
    const wallet = await flexprice.wallets.createWallet({ customerId, currency: 'usd', walletType: 'POST_PAID', conversionRate: '0.5', initialCreditsToLoad: '60' }); // $30
    const payment = await flexprice.payments.createPayment({ amount: '25', currency: 'usd', destinationType: 'INVOICE', destinationId: invoiceId, paymentMethodType: 'CREDITS', paymentMethodId: wallet.id!, idempotencyKey: unique('credits') });
    expect(payment).toMatchObject({ amount: '25', paymentMethodType: 'CREDITS', paymentMethodId: wallet.id, paymentStatus: 'SUCCEEDED' });
    expect(await flexprice.wallets.getWallet(wallet.id!)).toMatchObject({ creditBalance: '10', balance: '5' }); // 60 − 25 ÷ 0.5
    const short = await thrown(() => flexprice.payments.createPayment({ amount: '10', currency: 'usd', destinationType: 'INVOICE', destinationId: invoiceId, paymentMethodType: 'CREDITS', paymentMethodId: wallet.id!, idempotencyKey: unique('credits') }));
    expect(short.statusCode).toBe(400);
    expect(await lastResponseBody()).toMatchObject({ code: 'invalid_operation', message: 'insufficient balance' });
  });
});
