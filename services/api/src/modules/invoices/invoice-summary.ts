import type { AuthContext } from '../../auth-context.ts';
import { ExactDecimal, formatDecimal, zero } from '../../billing/money/index.ts';
import { notFound } from '../../errors/app-error.ts';
import type { ServiceContext } from '../../service-context.ts';
import type { CustomerReader } from '../customers/index.ts';
import type { CustomerTime, SubscriptionSource } from './billable-subscription.ts';
import type { InvoiceRepo } from './invoice.repo.ts';

export type CurrencySummary = {
  currency: string;
  totalRevenueAmount: string;
  totalUnpaidAmount: string;
  totalOverdueAmount: string;
  totalInvoiceCount: number;
  unpaidInvoiceCount: number;
  overdueInvoiceCount: number;
  unpaidUsageCharges: string;
  unpaidFixedCharges: string;
};
export type CustomerInvoiceSummary = { customerId: string; defaultCurrency: string; summaries: CurrencySummary[] };

/** `GET /customers/{id}/invoices/summary`: FlexPrice's sums over a customer's DRAFT and FINALIZED invoices, per currency. */
export async function customerInvoiceSummary(
  ctx: ServiceContext,
  repo: InvoiceRepo,
  faces: { customers: CustomerReader; subscriptions: SubscriptionSource; time: CustomerTime },
  auth: AuthContext,
  customerId: string,
): Promise<CustomerInvoiceSummary> {
  return ctx.db.read(async (tx) => {
    const customer = await faces.customers.getPublished(tx, auth, { id: customerId });
    if (!customer) throw notFound('Customer', 'id', customerId);
    const now = await faces.time.nowFor(tx, auth, customer);
    const invoices = await repo.openOf(tx, auth, customerId);
    const subscriptionCurrencies = await faces.subscriptions.currenciesOf(tx, auth, customerId);
    const currencies = [...new Set([...subscriptionCurrencies, ...invoices.map((i) => i.currency)])];
    const unpaid = invoices.filter((i) => i.paymentStatus !== 'SUCCEEDED');
    const lines = await repo.linesOf(tx, auth, unpaid.map((i) => i.id));
    const summaries = currencies.map((currency): CurrencySummary => {
      const mine = invoices.filter((i) => i.currency === currency);
      const open = mine.filter((i) => i.paymentStatus !== 'SUCCEEDED');
      const overdue = open.filter((i) => i.dueDate && i.dueDate < now);
      const openIds = new Set(open.map((i) => i.id));
      const sum = (xs: string[]) => formatDecimal(xs.reduce((s, x) => s.plus(new ExactDecimal(x)), zero));
      const openLines = lines.filter((l) => openIds.has(l.invoiceId));
      return {
        currency,
        totalRevenueAmount: sum(mine.map((i) => i.amountDue)),
        totalUnpaidAmount: sum(open.map((i) => i.amountRemaining)),
        totalOverdueAmount: sum(overdue.map((i) => i.amountRemaining)),
        totalInvoiceCount: mine.length,
        unpaidInvoiceCount: open.length,
        overdueInvoiceCount: overdue.length,
        unpaidUsageCharges: sum(openLines.filter((l) => l.priceType === 'USAGE').map((l) => l.amount)),
        unpaidFixedCharges: sum(openLines.filter((l) => l.priceType !== 'USAGE').map((l) => l.amount)),
      };
    });
    return { customerId, defaultCurrency: subscriptionCurrencies[0] ?? invoices[0]?.currency ?? '', summaries };
  });
}
