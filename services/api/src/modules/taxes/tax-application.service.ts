import type { AuthContext } from '../../auth-context.ts';
import type { AppliedTax, TaxRate as RateTerms } from '../../billing/invoicing/index.ts';
import { parseExactDecimal, formatDecimal } from '../../billing/money/index.ts';
import type { Tx } from '../../db/transactions.ts';
import { AppError, invalidFields } from '../../errors/app-error.ts';
import { newId } from '../../ids.ts';
import { newRecord, touch } from '../../records.ts';
import type { ServiceContext } from '../../service-context.ts';
import { appliedOverrides, inheritedAssociations, type InheritanceLevel } from './applicable-rates.ts';
import type { TaxApplied } from './tax-applied.entity.ts';
import { TaxAppliedRepo } from './tax-applied.repo.ts';
import { taxApplicationKey } from './tax-application-key.ts';
import type { TaxEntity } from './tax-association.service.ts';
import { TaxAssociationRepo } from './tax-association.repo.ts';
import type { TaxRate } from './tax-rate.entity.ts';
import { TaxRateRepo } from './tax-rate.repo.ts';
import type { TaxRateOverride } from './tax-rate-override.ts';
import { usable, usableRatesByCode } from './usable-rate.ts';

/** What an invoice is taxed by, as the invoices module asks at finalization (or at creation, one-off). */
export type ApplicableRatesInput = {
  customerId: string;
  subscriptionId?: string | null;
  /** The invoice's currency: associations in another currency do not bear on it. */
  currency: string;
  /** The instant the associations must be in effect at (the invoice's finalization, on its customer's clock). */
  at: Date;
  /** The invoice's own `tax_rate_overrides` (a one-off invoice): when non-empty, they alone tax it. */
  overrides?: readonly TaxRateOverride[] | null;
  /** The invoice's own `tax_rates` (rate ids, a one-off invoice): when non-empty and no overrides, they alone tax it. */
  taxRateIds?: readonly string[] | null;
};

/**
 * A rate that taxes an invoice, ready for `invoiceTaxes` / `invoiceTotals` (it is a billing `TaxRate`),
 * with where it came from: an association (`taxAssociationId`, at `source` level) or the invoice's own
 * overrides or rate ids (`taxAssociationId` null).
 */
export type ApplicableTaxRate = RateTerms & {
  code: string;
  name: string;
  priority: number;
  taxAssociationId: string | null;
  source: 'tax_rate_overrides' | 'tax_rates' | InheritanceLevel;
};

/** One rate's tax on an invoice, to record: `invoiceTaxes`' result, with the association it came from. */
export type TaxApplication = AppliedTax & { taxAssociationId?: string | null; metadata?: Record<string, string> };

/** The invoice taxes are recorded for: its id, currency, and the instant they were applied (its finalization). */
export type TaxedInvoice = { id: string; currency: string; appliedAt: Date };

/** An applied tax with its rate, for an invoice's `taxes[]`. */
export type AppliedTaxView = { applied: TaxApplied; rate: TaxRate | null };

const termsOf = (rate: TaxRate): RateTerms => ({ id: rate.id, taxRateType: rate.taxRateType, percentageValue: rate.percentageValue, fixedValue: rate.fixedValue });

/**
 * `taxes` (as `invoiceTaxes` computed them from `rates`) with the association each rate came from,
 * for `recordApplied`.
 */
export function withAssociations(taxes: readonly AppliedTax[], rates: readonly ApplicableTaxRate[]): TaxApplication[] {
  const byRate = new Map(rates.map((r) => [r.id, r.taxAssociationId]));
  return taxes.map((t) => ({ ...t, taxAssociationId: byRate.get(t.taxRateId) ?? null }));
}

/** The taxes of invoices: which rates apply, and the record of what was applied. Every method runs in the caller's unit of work. */
export class TaxApplicationService {
  readonly #ctx: ServiceContext;
  readonly #rates = new TaxRateRepo();
  readonly #associations = new TaxAssociationRepo();
  readonly #applied = new TaxAppliedRepo();

  constructor(ctx: ServiceContext) {
    this.#ctx = ctx;
  }

  /**
   * The rates that tax an invoice, in the order they apply (docs/api/taxes.md): the invoice's own
   * `tax_rate_overrides` when it has any (each naming a published ACTIVE rate in the invoice's
   * currency — else 404 / 400 naming `tax_rate_overrides[i]…`); else its own `tax_rates` (published
   * ACTIVE rates by id — else 404 / 400 naming `tax_rates[i]`); else the associations it inherits: the
   * subscription's, else the customer's, else the tenant's, whichever level first has associations in
   * effect at `at` in the invoice's currency; of those, the auto-applied ones, lower priority first.
   * Each rate applies once.
   */
  async applicableRates(tx: Tx, auth: AuthContext, input: ApplicableRatesInput): Promise<ApplicableTaxRate[]> {
    if (input.overrides?.length) return this.#fromOverrides(tx, auth, input.overrides, input.currency);
    if (input.taxRateIds?.length) return this.#fromRateIds(tx, auth, input.taxRateIds);
    const levels: (TaxEntity & { level: InheritanceLevel })[] = [
      ...(input.subscriptionId ? [{ level: 'subscription' as const, entityType: 'subscription' as const, entityId: input.subscriptionId }] : []),
      { level: 'customer', entityType: 'customer', entityId: input.customerId },
      { level: 'tenant', entityType: 'tenant', entityId: auth.tenantId },
    ];
    const live = await this.#associations.liveOf(tx, auth, levels);
    const byLevel = Object.fromEntries(levels.map((l) => [l.level, live.filter((a) => a.entityType === l.entityType && a.entityId === l.entityId)]));
    const { level, associations } = inheritedAssociations(byLevel, input.at, input.currency);
    const rates = await this.#rates.getMany(tx, auth, associations.map((a) => a.taxRateId));
    return associations.flatMap((a) => {
      const rate = rates.get(a.taxRateId);
      // A published association always links a published rate (deleting a linked rate is refused);
      // an INACTIVE one is no longer applied.
      if (!rate || rate.status !== 'published' || rate.taxRateStatus !== 'ACTIVE') return [];
      return [{ ...termsOf(rate), code: rate.code, name: rate.name, priority: a.priority, taxAssociationId: a.id, source: level as InheritanceLevel }];
    });
  }

  /**
   * Records the taxes applied to an invoice, one record per rate (`applications`, e.g.
   * `withAssociations(invoiceTotals(…).taxes, rates)`), and answers them in that order. Applying an
   * invoice's taxes again updates the records of the same rates (FlexPrice's idempotency key) and
   * archives those of rates no longer applied, so `taxes[]` always shows the last application.
   */
  async recordApplied(tx: Tx, auth: AuthContext, invoice: TaxedInvoice, applications: readonly TaxApplication[]): Promise<TaxApplied[]> {
    const currency = invoice.currency.toLowerCase();
    const now = this.#ctx.clock.now();
    const existing = new Map((await this.#applied.ofEntities(tx, auth, 'invoice', [invoice.id])).map((t) => [t.idempotencyKey, t]));
    const kept = new Set<string>();
    const records = applications.map((application) => {
      const key = taxApplicationKey(invoice.id, application.taxRateId);
      if (kept.has(key)) throw new AppError('internal_error', `tax rate ${application.taxRateId} applied twice to invoice ${invoice.id}`);
      kept.add(key);
      const amounts = {
        taxableAmount: exactAmount(application.taxableAmount, 'taxableAmount'),
        taxAmount: exactAmount(application.taxAmount, 'taxAmount'),
        taxAssociationId: application.taxAssociationId ?? null,
        currency,
        appliedAt: invoice.appliedAt,
      };
      const record = existing.get(key);
      if (record) {
        Object.assign(record, amounts, { status: 'published' }, application.metadata ? { metadata: application.metadata } : {});
        touch(record, auth, now);
        return record;
      }
      return this.#applied.add(tx, {
        id: newId('taxApplied'),
        taxRateId: application.taxRateId,
        entityType: 'invoice',
        entityId: invoice.id,
        ...amounts,
        idempotencyKey: key,
        metadata: application.metadata ?? {},
        ...newRecord(auth, now),
      });
    });
    for (const [key, record] of existing) {
      if (!kept.has(key) && record.status === 'published') {
        record.status = 'archived';
        touch(record, auth, now);
      }
    }
    return records;
  }

  /** The taxes applied to each of these invoices (published records, one query; with their rates when asked, one more), by invoice id. */
  async appliedTo(tx: Tx, auth: AuthContext, invoiceIds: readonly string[], options: { withRates?: boolean } = {}): Promise<Map<string, AppliedTaxView[]>> {
    const applied = await this.#applied.liveOf(tx, auth, 'invoice', invoiceIds);
    const rates = options.withRates ? await this.#rates.getMany(tx, auth, applied.map((t) => t.taxRateId)) : new Map<string, TaxRate>();
    const byInvoice = new Map<string, AppliedTaxView[]>(invoiceIds.map((id) => [id, []]));
    for (const t of applied) byInvoice.get(t.entityId)?.push({ applied: t, rate: rates.get(t.taxRateId) ?? null });
    return byInvoice;
  }

  async #fromOverrides(tx: Tx, auth: AuthContext, overrides: readonly TaxRateOverride[], currency: string): Promise<ApplicableTaxRate[]> {
    const field = (i: number) => `tax_rate_overrides[${i}]`;
    overrides.forEach((o, i) => {
      if (o.currency.toLowerCase() !== currency.toLowerCase()) {
        throw invalidFields({ [`${field(i)}.currency`]: `must be the invoice's currency, ${currency.toLowerCase()}` });
      }
    });
    const rates = await usableRatesByCode(this.#rates, tx, auth, overrides.map((o) => o.taxRateCode), (i) => `${field(i)}.tax_rate_code`);
    const byCode = new Map(rates.map((r) => [r.code, r]));
    return appliedOverrides(overrides).map((o) => {
      const rate = byCode.get(o.taxRateCode) as TaxRate;
      return { ...termsOf(rate), code: rate.code, name: rate.name, priority: o.priority, taxAssociationId: null, source: 'tax_rate_overrides' as const };
    });
  }

  async #fromRateIds(tx: Tx, auth: AuthContext, ids: readonly string[]): Promise<ApplicableTaxRate[]> {
    const found = await this.#rates.getMany(tx, auth, [...ids]);
    const seen = new Set<string>();
    return ids.flatMap((id, i) => {
      const rate = found.get(id);
      if (!rate) throw new AppError('not_found', `Tax rate with ID ${id} was not found`, { [`tax_rates[${i}]`]: id });
      usable(rate, `tax_rates[${i}]`, id);
      if (seen.has(id)) return [];
      seen.add(id);
      return [{ ...termsOf(rate), code: rate.code, name: rate.name, priority: 0, taxAssociationId: null, source: 'tax_rates' as const }];
    });
  }
}

/** An amount `invoiceTaxes` computed, as a canonical decimal; anything else is a caller's bug. */
function exactAmount(value: string, name: string): string {
  const d = parseExactDecimal(value);
  if (d === undefined || d.isNegative()) throw new AppError('internal_error', `tax ${name} '${value}' is not a non-negative decimal`);
  return formatDecimal(d);
}
