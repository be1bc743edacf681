import { listResponse } from '../../listing/pagination.ts';
import type { HandlersOf } from '../../request-context.ts';
import { fromCreatePaymentRequest, fromPaymentListRequest, fromUpdatePaymentRequest, toPaymentResponse } from './payment.convert.ts';
import type { PaymentService } from './payment.service.ts';

type PaymentHandlers = HandlersOf<'createPayment' | 'listPayments' | 'getPayment' | 'updatePayment' | 'deletePayment' | 'processPayment'>;

export function paymentHandlers(payments: PaymentService): PaymentHandlers {
  return {
    createPayment: async ({ body }, ctx) => toPaymentResponse(await payments.create(ctx.auth, fromCreatePaymentRequest(body))),
    listPayments: async ({ query }, ctx) => {
      const q = fromPaymentListRequest(query);
      return listResponse(await payments.list(ctx.auth, q), q.page, toPaymentResponse);
    },
    getPayment: async ({ path }, ctx) => toPaymentResponse(await payments.get(ctx.auth, path.id)),
    updatePayment: async ({ path, body }, ctx) => toPaymentResponse(await payments.update(ctx.auth, path.id, fromUpdatePaymentRequest(body))),
    deletePayment: async ({ path }, ctx) => {
      await payments.delete(ctx.auth, path.id);
      return { message: 'payment deleted successfully' };
    },
    processPayment: async ({ path }, ctx) => toPaymentResponse(await payments.process(ctx.auth, path.id)),
  };
}
