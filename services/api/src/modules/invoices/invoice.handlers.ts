import { listResponse } from '../../listing/pagination.ts';
import type { HandlersOf } from '../../request-context.ts';
import {
  embedsOf,
  fromCreateInvoiceRequest,
  fromInvoiceListRequest,
  fromPaymentStatusRequest,
  fromPreviewRequest,
  fromUpdateInvoiceRequest,
  toInvoiceResponse,
  type InvoiceQuery,
} from './invoice.convert.ts';
import type { CustomerInvoiceSummary } from './invoice-summary.ts';
import type { InvoiceService } from './invoice.service.ts';
import type { OneOffInvoices } from './one-off-invoices.ts';
import type { AuthContext } from '../../auth-context.ts';
import type { Schemas } from '../../wire/contract-types.ts';

type InvoiceHandlers = HandlersOf<
  | 'createInvoice'
  | 'getInvoice'
  | 'listInvoices'
  | 'queryInvoice'
  | 'updateInvoice'
  | 'getInvoicePreview'
  | 'finalizeInvoice'
  | 'voidInvoice'
  | 'recalculateInvoiceV2'
  | 'updateInvoicePaymentStatus'
  | 'getCustomerInvoiceSummary'
>;

function toSummaryResponse(s: CustomerInvoiceSummary): Schemas['CustomerMultiCurrencyInvoiceSummary'] {
  return {
    customer_id: s.customerId,
    default_currency: s.defaultCurrency,
    summaries: s.summaries.map((c) => ({
      customer_id: s.customerId,
      currency: c.currency,
      total_revenue_amount: c.totalRevenueAmount,
      total_unpaid_amount: c.totalUnpaidAmount,
      total_overdue_amount: c.totalOverdueAmount,
      total_invoice_count: c.totalInvoiceCount,
      unpaid_invoice_count: c.unpaidInvoiceCount,
      overdue_invoice_count: c.overdueInvoiceCount,
      unpaid_usage_charges: c.unpaidUsageCharges,
      unpaid_fixed_charges: c.unpaidFixedCharges,
    })),
  };
}

export function invoiceHandlers(invoices: InvoiceService, oneOff: OneOffInvoices, summary: (auth: AuthContext, customerId: string) => Promise<CustomerInvoiceSummary>): InvoiceHandlers {
  const list = async (auth: AuthContext, query: InvoiceQuery) => listResponse(await invoices.list(auth, query), query.page, toInvoiceResponse);
  return {
    createInvoice: async ({ body }, ctx) => toInvoiceResponse(await oneOff.create(ctx.auth, fromCreateInvoiceRequest(body))),
    getInvoice: async ({ path, query }, ctx) => toInvoiceResponse(await invoices.get(ctx.auth, path.id, embedsOf(query?.expand))),
    listInvoices: ({ query }, ctx) => list(ctx.auth, fromInvoiceListRequest(query)),
    queryInvoice: ({ body }, ctx) => list(ctx.auth, fromInvoiceListRequest(body)),
    updateInvoice: async ({ path, body }, ctx) => toInvoiceResponse(await invoices.update(ctx.auth, path.id, fromUpdateInvoiceRequest(body))),
    getInvoicePreview: async ({ body }, ctx) => toInvoiceResponse(await invoices.preview(ctx.auth, fromPreviewRequest(body))),
    finalizeInvoice: async ({ path }, ctx) => {
      await invoices.finalize(ctx.auth, path.id);
      return { message: 'invoice finalized successfully' };
    },
    voidInvoice: async ({ path, body }, ctx) => {
      await invoices.void(ctx.auth, path.id, body?.metadata);
      return { message: 'invoice voided successfully' };
    },
    recalculateInvoiceV2: async ({ path, query }, ctx) => toInvoiceResponse(await invoices.recalculate(ctx.auth, path.id, query?.finalize ?? true)),
    updateInvoicePaymentStatus: async ({ path, body }, ctx) => toInvoiceResponse(await invoices.setPaymentStatus(ctx.auth, path.id, fromPaymentStatusRequest(body))),
    getCustomerInvoiceSummary: async ({ path }, ctx) => toSummaryResponse(await summary(ctx.auth, path.id)),
  };
}
