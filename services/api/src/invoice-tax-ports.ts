import type { InvoiceServiceFaces } from './modules/invoices/index.ts';
import { toTaxAppliedResponse, type TaxApplicationService } from './modules/taxes/index.ts';

/**
 * The invoices module's taxes port, answered by the taxes module (wired here so that neither imports
 * the other): which rates tax an invoice, the record of the taxes applied at finalization, and the
 * `taxes[]` of invoice responses.
 */
export function invoiceTaxPorts(taxes: TaxApplicationService): Pick<InvoiceServiceFaces, 'taxes' | 'taxApplications'> {
  return {
    taxes: {
      async applicableRates(tx, auth, query) {
        const rates = await taxes.applicableRates(tx, auth, {
          customerId: query.customerId,
          subscriptionId: query.subscriptionId,
          currency: query.currency,
          at: query.at,
          overrides: query.overrides.map((o) => ({ ...o, priority: o.priority ?? 0 })),
        });
        return rates.map((r) => ({
          rateId: r.id,
          associationId: r.taxAssociationId,
          type: r.taxRateType,
          value: (r.taxRateType === 'percentage' ? r.percentageValue : r.fixedValue) ?? '0',
        }));
      },
    },
    taxApplications: {
      async record(tx, auth, invoice, applied) {
        await taxes.recordApplied(
          tx,
          auth,
          { id: invoice.id, currency: invoice.currency, appliedAt: invoice.at },
          applied.map((a) => ({ taxRateId: a.rateId, taxAssociationId: a.associationId, taxableAmount: a.taxableAmount, taxAmount: a.taxAmount })),
        );
      },
      async appliedTo(tx, auth, invoiceIds) {
        const views = await taxes.appliedTo(tx, auth, invoiceIds, { withRates: true });
        return new Map([...views].map(([id, list]) => [id, list.map((v) => toTaxAppliedResponse(v.applied, v.rate))]));
      },
    },
  };
}
