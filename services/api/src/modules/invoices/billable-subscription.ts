import type { components } from '@tally/contract';
import type {
  BillingReason,
  CouponCadence,
  InvoicingSubscription,
  MeteredEntitlement,
  PaymentTerms,
  PriceType,
  SubscriptionCommitment,
  TaxRateType,
} from '../../billing/invoicing/index.ts';
import type { Period } from '../../billing/period/index.ts';
import type { CouponDefinition } from '../../billing/pricing/index.ts';
import type { AuthContext } from '../../auth-context.ts';
import type { Tx } from '../../db/transactions.ts';
import type { RunMemo } from '../../jobs/run-memo.ts';
import type { Invoice, TaxRateOverrideInput } from './invoice.entity.ts';

export type { TaxRateOverrideInput };

/** What an invoice line copies of the subscription line item it bills (in `InvoicingSubscription.lineItems` order). */
export type BillableLine = {
  id: string;
  priceId: string;
  priceType: PriceType;
  displayName: string;
  planDisplayName: string | null;
  entityId: string;
  entityType: string;
  meterId: string | null;
  meterDisplayName: string | null;
  priceUnitId: string | null;
  priceUnit: string | null;
  /** The price unit's conversion rate (fiat per unit) when the price is in a custom unit, else null. */
  conversionRate: string | null;
};

/** A coupon association of the subscription, with the coupon's terms. `lineItemId` null: the whole invoice. */
export type BillableCoupon = {
  associationId: string;
  couponId: string;
  lineItemId: string | null;
  startDate: Date;
  endDate: Date | null;
  cadence: CouponCadence;
  durationInPeriods: number | null;
  coupon: CouponDefinition;
  /** The coupon as it was when applied (FlexPrice's `coupon_snapshot`). */
  snapshot: Record<string, unknown>;
};


/**
 * Everything invoicing needs of a subscription, read by the subscriptions module in the caller's unit of
 * work: its schedule and line items with their rated prices (`invoicing`), what each line copies onto
 * an invoice, its included usage per meter, commitment and coupons.
 */
export type BillableSubscription = {
  id: string;
  customerId: string;
  customerExternalId: string;
  currency: string;
  planId: string;
  planName: string;
  subscriptionStatus: string;
  currentPeriod: Period;
  invoicing: InvoicingSubscription;
  lines: BillableLine[];
  entitlements: Map<string, MeteredEntitlement>;
  commitment: SubscriptionCommitment;
  coupons: BillableCoupon[];
  paymentTerms: PaymentTerms | null;
  taxRateOverrides: TaxRateOverrideInput[];
};

/**
 * Where invoices read subscriptions: handed in by the composition root (subscriptions use invoices, so
 * invoices cannot import them). `embed` answers the wire form of `expand=subscription`.
 */
export type SubscriptionSource = {
  /** With a bill run's `memo`, the catalogue the subscription bills from is read once per run. */
  billable(tx: Tx, auth: AuthContext, subscriptionId: string, memo?: RunMemo): Promise<BillableSubscription | null>;
  embed(tx: Tx, auth: AuthContext, ids: string[], withPlan: boolean): Promise<Map<string, Record<string, unknown>>>;
  /** The currencies of the customer's subscriptions that are not cancelled, newest first. */
  currenciesOf(tx: Tx, auth: AuthContext, customerId: string): Promise<string[]>;
};

/** A tax rate that applies to an invoice, as the taxes module answers. */
export type ApplicableTaxRate = { rateId: string; associationId: string | null; type: TaxRateType; value: string };

/**
 * The taxes port: which tax rates apply to an invoice of a customer (and subscription) in a currency at
 * an instant, `overrides` first. The composition root wires the taxes module's; until it exists, one
 * that answers none (`noTaxes`), so `total_tax` is 0 and `taxes[]` empty.
 */
export type TaxRates = {
  applicableRates(
    tx: Tx,
    auth: AuthContext,
    query: { customerId: string; subscriptionId: string | null; currency: string; at: Date; overrides: TaxRateOverrideInput[] },
  ): Promise<ApplicableTaxRate[]>;
};

export const noTaxes: TaxRates = { applicableRates: async () => [] };

/**
 * "Now" for a customer: its test clock's time when it is on one, else the service clock's (the
 * test-clocks module's reader, wired at the composition root). Every use case on behalf of a customer
 * takes its time here, so a test clock's customers live entirely at the clock's time.
 */
export type CustomerTime = { nowFor(tx: Tx, auth: AuthContext, customer: string | { testClockId?: string | null }): Promise<Date> };

/** A tax applied to a finalized invoice, for the taxes module to record (FlexPrice's tax application). */
export type AppliedInvoiceTax = { rateId: string; associationId: string | null; taxableAmount: string; taxAmount: string };

/**
 * The second half of the taxes port: records the taxes applied at finalization and lists them for
 * `taxes[]`. Without it (a service built without taxes) `taxes[]` stays empty.
 */
export type TaxApplications = {
  record(tx: Tx, auth: AuthContext, invoice: { id: string; currency: string; at: Date }, applied: AppliedInvoiceTax[]): Promise<void>;
  /** The taxes applied to each of these invoices, as `taxes[]` shows them, by invoice id. */
  appliedTo(tx: Tx, auth: AuthContext, invoiceIds: string[]): Promise<Map<string, InvoiceTaxResponse[]>>;
};

/** One entry of an invoice's `taxes[]` (FlexPrice's `TaxAppliedResponse`). */
export type InvoiceTaxResponse = components['schemas']['TaxAppliedResponse'];

/**
 * Runs in the unit of work that recorded an invoice's payment when it is paid in full: subscriptions
 * register one that activates an `incomplete` subscription whose opening or trial-end invoice it is.
 */
export type InvoicePaidHook = (tx: Tx, auth: AuthContext, invoice: Invoice, at: Date) => Promise<void>;

/** What a subscription asks invoices to bill. `finalize`: now (the API flows) or after the finalization delay (the bill run). */
export type SubscriptionBillingRequest = {
  subscription: BillableSubscription;
  billingReason: BillingReason & ('SUBSCRIPTION_CREATE' | 'SUBSCRIPTION_CYCLE' | 'SUBSCRIPTION_TRIAL_START' | 'SUBSCRIPTION_TRIAL_END' | 'PRORATION');
  period: Period;
  at: Date;
  finalize: 'now' | 'later';
  /**
   * With `finalize: 'later'`, the instant of the run that bills (the bill run's now). When the
   * finalization delay has already passed by then (the default delay of 0, or a run catching up),
   * the draft is finalized at once, at this instant and in the same unit of work — exactly what the
   * finalization work would do next with the draft it has just computed, without computing it again.
   */
  runAt?: Date;
  /** The bill run's memo of catalogue reads (the meters its usage lines read), when a run bills. */
  memo?: RunMemo;
  /** A plan change's credit netted against the opening invoice's FIXED lines (a new subscription's SUBSCRIPTION_CREATE only). */
  openingCredit?: string;
};
