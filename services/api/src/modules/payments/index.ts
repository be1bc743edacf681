/** Payments, as other modules and the composition root use them. */
import { PaymentRepo, type PaymentReader } from './payment.repo.ts';

export { PaymentService, type PayableInvoices } from './payment.service.ts';
export { toPaymentResponse, type PaymentResponse, type PaymentView } from './payment.convert.ts';
export type { Payment } from './payment.entity.ts';
export type { PaymentReader };

/** Asks whether an invoice has received payments, inside the caller's unit of work. */
export const paymentReader: PaymentReader = new PaymentRepo();
