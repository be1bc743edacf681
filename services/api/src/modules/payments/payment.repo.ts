import { LockMode } from '@mikro-orm/core';
import { scopeOf, type AuthContext } from '../../auth-context.ts';
import type { PageOf } from '../../db/find-page.ts';
import { RecordRepo } from '../../db/record-repo.ts';
import type { Tx } from '../../db/transactions.ts';
import { oneOf } from '../../listing/list-where.ts';
import type { PaymentQuery } from './payment.convert.ts';
import { Payment } from './payment.entity.ts';
import { paymentSearchFields } from './payment.search.ts';

/**
 * The payment statuses that mean the money arrived, what an invoice's `amount_paid` sums: SUCCEEDED, and
 * OVERPAID (a succeeded payment marked as paying more than was due; still money received).
 */
export const receivedStatuses = ['SUCCEEDED', 'OVERPAID'] as const;

/** How the invoices module asks about an invoice's payments, inside the caller's unit of work. */
export type PaymentReader = Pick<PaymentRepo, 'hasReceived'>;

/** Every query of payments. */
export class PaymentRepo extends RecordRepo<Payment> {
  constructor() {
    super(Payment, paymentSearchFields, 'payment');
  }

  /** The payment, locked until the unit of work ends (processing and updates serialise on it). */
  locked(tx: Tx, auth: AuthContext, id: string): Promise<Payment | null> {
    return tx.findOne(Payment, { ...scopeOf(auth), id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  }

  /** The live payment with this idempotency key. */
  byKey(tx: Tx, auth: AuthContext, idempotencyKey: string): Promise<Payment | null> {
    return this.getPublished(tx, auth, { idempotencyKey });
  }

  /** The amounts of the invoice's live payments whose money arrived. */
  async receivedAmounts(tx: Tx, auth: AuthContext, invoiceId: string): Promise<string[]> {
    const rows = await tx.find(
      Payment,
      { ...scopeOf(auth), destinationType: 'INVOICE', destinationId: invoiceId, status: 'published', paymentStatus: { $in: [...receivedStatuses] } },
      { fields: ['amount'], orderBy: { createdAt: 'asc', id: 'asc' } },
    );
    return rows.map((r) => r.amount);
  }

  /** Whether the invoice has a live payment whose money arrived. */
  async hasReceived(tx: Tx, auth: AuthContext, invoiceId: string): Promise<boolean> {
    const n = await tx.count(Payment, { ...scopeOf(auth), destinationType: 'INVOICE', destinationId: invoiceId, status: 'published', paymentStatus: { $in: [...receivedStatuses] } });
    return n > 0;
  }

  page(tx: Tx, auth: AuthContext, query: PaymentQuery): Promise<PageOf<Payment>> {
    const eq = (column: string, value: string | undefined) => (value === undefined ? [] : [{ [column]: value }]);
    return this.findPage(tx, auth, query, [
      ...oneOf('id', query.paymentIds),
      ...eq('destinationType', query.destinationType),
      ...eq('destinationId', query.destinationId),
      ...eq('paymentMethodType', query.paymentMethodType),
      ...eq('paymentStatus', query.paymentStatus),
      ...eq('paymentGateway', query.paymentGateway),
      ...eq('currency', query.currency),
      ...eq('gatewayPaymentId', query.gatewayPaymentId),
    ]);
  }
}
