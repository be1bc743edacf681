import { LockMode } from '@mikro-orm/core';
import { scopeOf, type AuthContext } from '../../auth-context.ts';
import type { BilledCharge, BillingReason } from '../../billing/invoicing/index.ts';
import type { PageOf } from '../../db/find-page.ts';
import { RecordRepo } from '../../db/record-repo.ts';
import { boundQuery, type Tx } from '../../db/transactions.ts';
import { dueScopeSql as scopeSql, type WorkScope } from '../../db/due-scope.ts';
import { oneOf } from '../../listing/list-where.ts';
import { CouponApplication } from './coupon-application.entity.ts';
import { InvoiceLineItem } from './invoice-line-item.entity.ts';
import { Invoice } from './invoice.entity.ts';
import type { InvoiceQuery } from './invoice.convert.ts';
import { invoiceSearchFields } from './invoice.search.ts';

const asDate = (v: Date | string | null): Date | null => (v === null ? null : v instanceof Date ? v : new Date(v));

/** Every query of invoices, their lines and coupon applications. */
/** The priced lines of a subscription's DRAFT and FINALIZED invoices but one ($1 tenant, $2 environment, $3 subscription, $4 the invoice left out or ''). */
const billedChargesSql = `select l.price_id, l.period_start, l.period_end from invoice_line_items l join invoices i on i.id = l.invoice_id
  where i.tenant_id = $1 and i.environment_id = $2 and i.subscription_id = $3 and i.invoice_status in ('DRAFT', 'FINALIZED')
    and i.id <> $4 and i.billing_reason is distinct from 'SUBSCRIPTION_TRIAL_START'
    and l.price_id is not null and l.period_start is not null and l.period_end is not null`;

export class InvoiceRepo extends RecordRepo<Invoice> {
  constructor() {
    super(Invoice, invoiceSearchFields, 'invoice');
  }

  addLine(tx: Tx, line: Partial<InvoiceLineItem>): InvoiceLineItem {
    return tx.create(InvoiceLineItem, line as InvoiceLineItem);
  }

  addApplication(tx: Tx, application: Partial<CouponApplication>): CouponApplication {
    return tx.create(CouponApplication, application as CouponApplication);
  }

  /** Removes an invoice's lines and coupon applications (a recomputed draft gets new ones). */
  async clearContents(tx: Tx, auth: AuthContext, invoiceId: string): Promise<void> {
    // One statement for both (foreign keys are checked at its end, when both are gone).
    await boundQuery(
      tx,
      `with applications as (delete from coupon_applications where tenant_id = $1 and environment_id = $2 and invoice_id = $3)
       delete from invoice_line_items where tenant_id = $1 and environment_id = $2 and invoice_id = $3`,
      [auth.tenantId, auth.environmentId, invoiceId],
    );
  }

  /** The invoice, locked until the unit of work ends (finalization, payment, void serialise on it). */
  locked(tx: Tx, auth: AuthContext, id: string): Promise<Invoice | null> {
    return tx.findOne(Invoice, { ...scopeOf(auth), id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  }

  /**
   * What the subscription's DRAFT and FINALIZED invoices (but `except`) billed: each priced line's price
   * and period. The trial-start invoice charged nothing (its lines are at 0 for the trial as it was
   * first set): it never stands for a charge, so a trial ended or moved earlier (modify `trial_end`)
   * still bills its first paid period.
   */
  async billedCharges(tx: Tx, auth: AuthContext, subscriptionId: string, except?: string): Promise<BilledCharge[]> {
    const rows = await boundQuery<{ price_id: string; period_start: Date | string; period_end: Date | string }>(tx, billedChargesSql, [auth.tenantId, auth.environmentId, subscriptionId, except ?? '']);
    return rows.map((r) => ({ priceId: r.price_id, period: { start: asDate(r.period_start)!, end: asDate(r.period_end)! } }));
  }

  /**
   * What each line item of the subscription was charged, before discounts, on invoices that are not
   * voided, by lines whose period overlaps `period`: what a credit for its unused part is capped at.
   */
  async lineItemCharges(tx: Tx, auth: AuthContext, subscriptionId: string, period: { start: Date; end: Date }): Promise<Map<string, string>> {
    const rows = await boundQuery<{ subscription_line_item_id: string; charged: string }>(
      tx,
      `select l.subscription_line_item_id, sum(l.amount)::text as charged from invoice_line_items l join invoices i on i.id = l.invoice_id
        where i.tenant_id = $1 and i.environment_id = $2 and i.subscription_id = $3 and i.invoice_status in ('DRAFT', 'FINALIZED')
          and l.subscription_line_item_id is not null and l.period_start < $5 and l.period_end > $4
        group by l.subscription_line_item_id`,
      [auth.tenantId, auth.environmentId, subscriptionId, period.start, period.end],
    );
    return new Map(rows.map((r) => [r.subscription_line_item_id, r.charged]));
  }

  /** How many times each association has discounted an invoice that is not voided (but `except`). */
  async priorApplications(tx: Tx, auth: AuthContext, associationIds: string[], except?: string): Promise<Map<string, number>> {
    if (!associationIds.length) return new Map();
    const rows = await boundQuery<{ coupon_association_id: string; n: string | number }>(
      tx,
      `select a.coupon_association_id, count(distinct a.invoice_id) as n from coupon_applications a join invoices i on i.id = a.invoice_id
        where a.tenant_id = $1 and a.environment_id = $2 and a.coupon_association_id = any($3::text[]) and i.invoice_status <> 'VOIDED' and i.id <> $4
        group by a.coupon_association_id`,
      [auth.tenantId, auth.environmentId, associationIds, except ?? ''],
    );
    return new Map(rows.map((r) => [r.coupon_association_id, Number(r.n)]));
  }

  /**
   * Before billing a window, in one statement: the subscription's invoice for this period and reason
   * that is not voided (at most one: `invoices_subscription_period_uq`), its next billing sequence
   * (callers hold the subscription's row lock), and what its invoices billed (`billedCharges`).
   */
  async windowState(
    tx: Tx,
    auth: AuthContext,
    subscriptionId: string,
    start: Date,
    end: Date,
    billingReason: BillingReason,
  ): Promise<{ existingId: string | null; nextBillingSequence: number; billed: BilledCharge[] }> {
    // Raw SQL sees only written rows: an invoice still pending in this unit of work must count.
    await tx.flush();
    const [row] = await boundQuery<{ n: number | string | null; existing: string | null; billed: string }>(
      tx,
      `select max(billing_sequence) as n,
          min(id) filter (where period_start = $5::timestamptz and period_end = $6::timestamptz and billing_reason = $7
                          and invoice_type = 'SUBSCRIPTION' and invoice_status <> 'VOIDED') as existing,
          (select coalesce(json_agg(json_build_array(b.price_id, b.period_start, b.period_end)), '[]')::text from (${billedChargesSql}) b) as billed
        from invoices where tenant_id = $1 and environment_id = $2 and subscription_id = $3`,
      [auth.tenantId, auth.environmentId, subscriptionId, '', start.toISOString(), end.toISOString(), billingReason],
    );
    const billed = (JSON.parse(row?.billed ?? '[]') as [string, string, string][]).map(([priceId, from, to]) => ({ priceId, period: { start: new Date(from), end: new Date(to) } }));
    return { existingId: row?.existing ?? null, nextBillingSequence: Number(row?.n ?? 0) + 1, billed };
  }

  /** The next number of the environment's sequence for `bucket`, allocated in the caller's transaction (gap-free: a rollback returns it). */
  async nextNumber(tx: Tx, auth: AuthContext, bucket: string): Promise<number> {
    const [row] = await boundQuery<{ last: number | string }>(
      tx,
      `insert into invoice_sequences (tenant_id, environment_id, bucket, last) values ($1, $2, $3, 1)
       on conflict (tenant_id, environment_id, bucket) do update set last = invoice_sequences.last + 1 returning last`,
      [auth.tenantId, auth.environmentId, bucket],
    );
    return Number(row!.last);
  }

  /** The lines of these invoices, in order. */
  linesOf(tx: Tx, auth: AuthContext, invoiceIds: string[]): Promise<InvoiceLineItem[]> {
    if (!invoiceIds.length) return Promise.resolve([]);
    return tx.find(InvoiceLineItem, { ...scopeOf(auth), invoiceId: { $in: invoiceIds } }, { orderBy: [{ invoiceId: 'asc' }, { position: 'asc' }] });
  }

  /** The coupon applications of these invoices, oldest first. */
  applicationsOf(tx: Tx, auth: AuthContext, invoiceIds: string[]): Promise<CouponApplication[]> {
    if (!invoiceIds.length) return Promise.resolve([]);
    return tx.find(CouponApplication, { ...scopeOf(auth), invoiceId: { $in: invoiceIds } }, { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  }

  /** The customer's DRAFT and FINALIZED invoices (for its summary). */
  openOf(tx: Tx, auth: AuthContext, customerId: string): Promise<Invoice[]> {
    return tx.find(Invoice, { ...scopeOf(auth), customerId, status: 'published', invoiceStatus: { $in: ['DRAFT', 'FINALIZED'] } }, { orderBy: { createdAt: 'desc' } });
  }

  page(tx: Tx, auth: AuthContext, query: InvoiceQuery): Promise<PageOf<Invoice>> {
    const where = [
      ...oneOf('id', query.invoiceIds),
      ...oneOf('invoiceStatus', query.invoiceStatuses),
      ...oneOf('paymentStatus', query.paymentStatuses),
      ...oneOf('customerId', query.subscriptionCustomerIds),
    ];
    if (query.customerId !== undefined) where.push({ customerId: query.customerId });
    if (query.subscriptionId !== undefined) where.push({ subscriptionId: query.subscriptionId });
    if (query.invoiceType !== undefined) where.push({ invoiceType: query.invoiceType });
    if (query.billingReason !== undefined) where.push({ billingReason: query.billingReason });
    if (query.currency !== undefined) where.push({ currency: query.currency.toLowerCase() });
    if (query.amountDueGt !== undefined) where.push({ amountDue: { $gt: query.amountDueGt } });
    if (query.amountRemainingGt !== undefined) where.push({ amountRemaining: { $gt: query.amountRemainingGt } });
    if (query.periodStartGte) where.push({ periodStart: { $gte: query.periodStartGte } });
    if (query.periodStartLte) where.push({ periodStart: { $lte: query.periodStartLte } });
    if (query.periodEndGte) where.push({ periodEnd: { $gte: query.periodEndGte } });
    if (query.periodEndLte) where.push({ periodEnd: { $lte: query.periodEndLte } });
    return this.findPage(tx, auth, query, where);
  }

  /** The earliest instant ≤ `until` a draft in scope is due to be finalized, or null. */
  async nextFinalization(tx: Tx, scope: WorkScope, until: Date): Promise<Date | null> {
    const params: unknown[] = [until.toISOString()];
    const scoped = scopeSql('i', scope, params);
    const [row] = await boundQuery<{ at: Date | string | null }>(
      tx,
      `select min(i.finalize_at) as at from invoices i where i.invoice_status = 'DRAFT' and i.finalize_at is not null and i.finalize_at <= $1 and ${scoped}`,
      params,
    );
    return asDate(row?.at ?? null);
  }

  /**
   * Claims one draft due for finalization at `at`, locked (SKIP LOCKED: another instance's claim is
   * passed over), with the invoice. A subscription's drafts are claimed one after another in billing
   * order — never one while an earlier one of the same subscription is still a draft due — so claim
   * loops side by side number a caught-up subscription's invoices in period order.
   */
  async claimDueDraft(tx: Tx, scope: WorkScope, at: Date, except: string[]): Promise<{ id: string; tenantId: string; environmentId: string; invoice: Invoice } | null> {
    const params: unknown[] = [at.toISOString(), except];
    const scoped = scopeSql('i', scope, params);
    // The whole row: the work needs the invoice, and reading it again would be a second statement.
    const [row] = await boundQuery<{ id: string; tenant_id: string; environment_id: string }>(
      tx,
      `select i.* from invoices i
        where i.invoice_status = 'DRAFT' and i.finalize_at is not null and i.finalize_at <= $1 and not (i.id = any($2::text[])) and ${scoped}
          and (i.subscription_id is null or not exists (
            select 1 from invoices e
             where e.tenant_id = i.tenant_id and e.environment_id = i.environment_id and e.subscription_id = i.subscription_id
               and e.invoice_status = 'DRAFT' and e.finalize_at is not null and e.billing_sequence < i.billing_sequence))
        order by i.finalize_at, i.id limit 1 for update skip locked`,
      params,
    );
    return row ? { id: row.id, tenantId: row.tenant_id, environmentId: row.environment_id, invoice: tx.map(Invoice, row) } : null;
  }
}
