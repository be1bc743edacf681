import { ExactDecimal, formatDecimal } from '../../billing/money/index.ts';
import { invalidFields } from '../../errors/app-error.ts';
import { throwIfProblems, type Problems } from '../../errors/problems.ts';
import { listQueryOf, type ListQuery } from '../../listing/list-query.ts';
import { canonicalDecimal } from '../../wire/canonical-decimal.ts';
import type { QueryParams, Schemas } from '../../wire/contract-types.ts';
import { parseDateInput, parseTimeWindow } from '../../wire/date-input.ts';
import { parseDecimal } from '../../wire/decimal-input.ts';
import { recordFields } from '../../wire/record-fields.ts';
import { withoutUndefined } from '../../wire/without-undefined.ts';
import type { AlertSettings, AlertThreshold, AllowedPriceType, AutoTopup, Wallet, WalletConfig, WalletStatus, WalletType } from './wallet.entity.ts';
import type { TransactionReason, TransactionStatus, TransactionType, WalletTransaction } from './wallet-transaction.entity.ts';
import type { RealTimeBalance } from './real-time-balance.ts';
import { walletSearchFields, walletTransactionSearchFields } from './wallet.search.ts';

export type WalletResponse = Schemas['WalletResponse'];
export type WalletBalanceResponse = Schemas['WalletBalanceResponse'];
export type WalletTransactionResponse = Schemas['WalletTransactionResponse'];

/** Unconsumed, unexpired credits by origin. */
export type CreditBreakdown = { purchased: string; free: string };

/** A wallet with what its response shows besides its own columns. */
export type WalletView = { wallet: Wallet; breakdown: CreditBreakdown };

/** A wallet to create, as far as the request alone can tell. */
export type NewWallet = {
  customer: { id: string } | { externalId: string };
  currency: string;
  walletType: WalletType;
  conversionRate: string;
  topupConversionRate: string;
  initialCredits: string;
  initialCreditsExpiry: Date | null;
  description: string | null;
  metadata: Record<string, string>;
  config: WalletConfig;
  alertSettings: AlertSettings | null;
  autoTopup: AutoTopup | null;
};

export type WalletChanges = {
  name?: string;
  description?: string;
  metadata?: Record<string, string>;
  config?: WalletConfig;
  alertSettings?: AlertSettings;
  autoTopup?: AutoTopup;
};

/** The top-up reasons that credit at once; the others are refused for now, each with why. */
export const immediateTopUpReasons = ['FREE_CREDIT_GRANT', 'PURCHASED_CREDIT_DIRECT'] as const;
export type ImmediateTopUpReason = (typeof immediateTopUpReasons)[number];

const notYet: Partial<Record<TransactionReason, string>> = {
  SUBSCRIPTION_CREDIT_GRANT: 'SUBSCRIPTION_CREDIT_GRANT top-ups come with credit grants, which Tally does not have yet',
  CREDIT_NOTE: 'CREDIT_NOTE top-ups come with credit notes, which Tally does not have yet',
  INVOICE_VOID_REFUND: 'INVOICE_VOID_REFUND top-ups come with refunds of voided invoices, which Tally does not make yet',
};

/** A top-up to make. `credits` is null when it is to be derived from `amount`. */
export type TopUp = {
  /** PURCHASED_CREDIT_INVOICED: bought on an invoice, pending until it is paid (WalletService.topUpInvoiced). */
  reason: ImmediateTopUpReason | 'PURCHASED_CREDIT_INVOICED';
  credits: string | null;
  amount: string | null;
  expiryDate: Date | null;
  priority: number | null;
  idempotencyKey: string | null;
  description: string | null;
  metadata: Record<string, string>;
  bonusCredits: string | null;
  bonusExpiryDate: Date | null;
};

/** A manual debit to make. */
export type ManualDebit = { credits: string; idempotencyKey: string; description: string | null; metadata: Record<string, string> };

const orNull = (s: string | undefined) => (s === undefined || s === '' ? null : s);

/** A decimal field: its canonical text, or a problem recorded under `field`. */
function decimalField(input: string | number | undefined, field: string, errors: Problems, options: { positive?: boolean; nonNegative?: boolean } = {}): string | undefined {
  if (input === undefined) return undefined;
  const read = parseDecimal(input, { positive: options.positive });
  if ('problem' in read) {
    errors[field] = read.problem;
    return undefined;
  }
  if (options.nonNegative && read.value.startsWith('-')) {
    errors[field] = 'must not be negative';
    return undefined;
  }
  return read.value;
}

function readThreshold(t: Schemas['WalletAlertThreshold'] | undefined, field: string, errors: Problems): AlertThreshold | undefined {
  if (t === undefined) return undefined;
  const threshold = decimalField(t.threshold, `${field}.threshold`, errors);
  return threshold === undefined ? undefined : { threshold, condition: t.condition };
}

/**
 * FlexPrice's alert rules: enabled alerts need a threshold; `warning` needs `critical` with its
 * condition and sits at or before it (below: warning ≥ critical; above: warning ≤ critical); `info`
 * shares the condition and sits at or before the next level up.
 */
export function readAlertSettings(input: Schemas['WalletAlertSettings'] | undefined, errors: Problems): AlertSettings | undefined {
  if (input === undefined) return undefined;
  const critical = readThreshold(input.critical, 'alert_settings.critical', errors);
  const warning = readThreshold(input.warning, 'alert_settings.warning', errors);
  const info = readThreshold(input.info, 'alert_settings.info', errors);
  if (input.alert_enabled && !input.critical && !input.warning && !input.info) errors['alert_settings'] = 'needs at least one threshold when alert_enabled is true';
  const beyond = (inner: AlertThreshold, outer: AlertThreshold) => {
    const cmp = new ExactDecimal(inner.threshold).comparedTo(new ExactDecimal(outer.threshold));
    return inner.condition === 'below' ? cmp >= 0 : cmp <= 0;
  };
  if (input.warning && !input.critical) errors['alert_settings.warning'] = 'needs critical';
  if (warning && critical) {
    if (warning.condition !== critical.condition) errors['alert_settings.warning.condition'] = `must be critical's condition (${critical.condition})`;
    else if (!beyond(warning, critical)) errors['alert_settings.warning.threshold'] = `must be ${warning.condition === 'below' ? 'at least' : 'at most'} critical's threshold (${critical.threshold})`;
  }
  const next = warning ?? critical;
  if (info && next) {
    if (info.condition !== next.condition) errors['alert_settings.info.condition'] = `must be the condition of the other thresholds (${next.condition})`;
    else if (!beyond(info, next)) errors['alert_settings.info.threshold'] = `must be ${info.condition === 'below' ? 'at least' : 'at most'} ${warning ? 'warning' : 'critical'}'s threshold (${next.threshold})`;
  }
  return withoutUndefined({ alert_enabled: input.alert_enabled, critical, warning, info });
}

/** Auto top-up settings: when enabled, a threshold, a positive amount of credits and `invoicing` (true: credits bought on an invoice; false: added directly) are required. */
export function readAutoTopup(input: Schemas['WalletAutoTopup'] | undefined, errors: Problems): AutoTopup | undefined {
  if (input === undefined) return undefined;
  const threshold = decimalField(input.threshold, 'auto_topup.threshold', errors);
  const amount = decimalField(input.amount, 'auto_topup.amount', errors, { positive: true });
  if (input.enabled) {
    if (input.threshold === undefined) errors['auto_topup.threshold'] = 'is required when enabled';
    if (input.amount === undefined) errors['auto_topup.amount'] = 'is required when enabled';
    if (input.invoicing === undefined) errors['auto_topup.invoicing'] = 'is required when enabled';
  }
  if (input.cooldown && input.cooldown.value <= 0) errors['auto_topup.cooldown.value'] = 'must be greater than 0';
  return withoutUndefined({ enabled: input.enabled, threshold, amount, invoicing: input.invoicing, cooldown: input.cooldown });
}

const defaultAllowedPriceTypes = (type: WalletType): AllowedPriceType[] => (type === 'PRE_PAID' ? ['USAGE'] : ['ALL']);

/** The request as a wallet to create; every problem the request alone shows is a 400 naming its field. */
export function fromCreateWalletRequest(body: Schemas['CreateWalletRequest']): NewWallet {
  const errors: Problems = {};
  const customerId = orNull(body.customer_id);
  const externalId = orNull(body.external_customer_id);
  if (!customerId && !externalId) errors.customer_id = 'is required (or external_customer_id)';
  if (!/^[A-Za-z]{3}$/.test(body.currency)) errors.currency = 'must be a 3-letter currency code';
  const walletType = body.wallet_type ?? 'PRE_PAID';
  // FlexPrice reads a zero or negative conversion rate as 1.
  const rate = decimalField(body.conversion_rate, 'conversion_rate', errors) ?? '1';
  const conversionRate = new ExactDecimal(rate).lte(0) ? '1' : rate;
  const topupConversionRate = decimalField(body.topup_conversion_rate, 'topup_conversion_rate', errors, { positive: true }) ?? conversionRate;
  const initialCredits = decimalField(body.initial_credits_to_load, 'initial_credits_to_load', errors, { nonNegative: true }) ?? '0';
  const initialCreditsExpiry = parseDateInput(body.initial_credits_expiry_date_utc, 'initial_credits_expiry_date_utc', errors);
  if (body.price_unit !== undefined) errors.price_unit = 'is not supported by Tally yet (wallets in a custom price unit)';
  if (body.initial_credits_to_load_expiry_date !== undefined) errors.initial_credits_to_load_expiry_date = 'is not supported; give initial_credits_expiry_date_utc';
  const alertSettings = readAlertSettings(body.alert_settings, errors);
  const autoTopup = readAutoTopup(body.auto_topup, errors);
  throwIfProblems(errors);
  return {
    customer: customerId ? { id: customerId } : { externalId: externalId! },
    currency: body.currency.toLowerCase(),
    walletType,
    conversionRate,
    topupConversionRate,
    initialCredits,
    initialCreditsExpiry,
    description: orNull(body.description),
    metadata: body.metadata ?? {},
    config: { allowed_price_types: body.config?.allowed_price_types ?? defaultAllowedPriceTypes(walletType) },
    alertSettings: alertSettings ?? null,
    autoTopup: autoTopup ?? null,
  };
}

export function fromUpdateWalletRequest(body: Schemas['UpdateWalletRequest']): WalletChanges {
  const errors: Problems = {};
  const changes: WalletChanges = {
    name: body.name,
    description: body.description,
    metadata: body.metadata,
    config: body.config?.allowed_price_types ? { allowed_price_types: body.config.allowed_price_types } : undefined,
    alertSettings: readAlertSettings(body.alert_settings, errors),
    autoTopup: readAutoTopup(body.auto_topup, errors),
  };
  throwIfProblems(errors);
  return changes;
}

export function fromTopUpRequest(body: Schemas['TopUpWalletRequest']): TopUp {
  const errors: Problems = {};
  const reason = body.transaction_reason;
  const invoiced = reason === 'PURCHASED_CREDIT_INVOICED';
  if (!invoiced && !(immediateTopUpReasons as readonly string[]).includes(reason)) {
    errors.transaction_reason = notYet[reason] ?? `${reason} is set by Tally itself; a top-up takes FREE_CREDIT_GRANT, PURCHASED_CREDIT_DIRECT or PURCHASED_CREDIT_INVOICED`;
  }
  const credits = decimalField(body.credits_to_add, 'credits_to_add', errors, { nonNegative: true });
  const hasCredits = credits !== undefined && !new ExactDecimal(credits).isZero();
  const amount = hasCredits ? undefined : decimalField(body.amount, 'amount', errors, { positive: true });
  if (!hasCredits && body.amount === undefined && !errors.credits_to_add) errors.credits_to_add = 'must be greater than 0 (or give amount)';
  const bonus = decimalField(body.bonus_credits_to_add, 'bonus_credits_to_add', errors, { positive: true });
  const expiryDate = parseDateInput(body.expiry_date_utc, 'expiry_date_utc', errors);
  const bonusExpiryDate = parseDateInput(body.bonus_credits_expiry_date_utc, 'bonus_credits_expiry_date_utc', errors);
  if (body.checkout !== undefined) errors.checkout = invoiced ? 'checkout sessions need a payment gateway, which Tally does not connect to yet' : 'is only for PURCHASED_CREDIT_INVOICED top-ups';
  throwIfProblems(errors);
  return {
    reason: reason as TopUp['reason'],
    credits: hasCredits ? credits! : null,
    amount: amount ?? null,
    expiryDate,
    priority: body.priority ?? null,
    idempotencyKey: orNull(body.idempotency_key),
    description: orNull(body.description),
    metadata: body.metadata ?? {},
    bonusCredits: bonus ?? null,
    bonusExpiryDate,
  };
}

export function fromDebitRequest(body: Schemas['ManualBalanceDebitRequest']): ManualDebit {
  const errors: Problems = {};
  const credits = decimalField(body.credits, 'credits', errors, { positive: true });
  if (body.transaction_reason !== 'MANUAL_BALANCE_DEBIT') errors.transaction_reason = 'must be MANUAL_BALANCE_DEBIT';
  throwIfProblems(errors);
  return { credits: credits!, idempotencyKey: body.idempotency_key, description: orNull(body.description), metadata: body.metadata ?? {} };
}

/** The customer of `GET /customers/wallets`: by `id` or by `lookup_key` (its external id), exactly one of them. */
export function fromCustomerWalletsRequest(query: QueryParams<'getCustomerWallets'> | undefined): { id: string } | { externalId: string } {
  const id = orNull(query?.id);
  const lookupKey = orNull(query?.lookup_key);
  if ((id === null) === (lookupKey === null)) throw invalidFields({ id: 'give exactly one of id and lookup_key' });
  return id !== null ? { id } : { externalId: lookupKey! };
}

/** A list of wallets: the shared list query (its `status` is the record's, always published here) and FlexPrice's wallet filters. */
export type WalletQuery = ListQuery & { walletIds?: string[]; walletStatus?: WalletStatus; alertEnabled?: boolean };

export function fromWalletListRequest(input: QueryParams<'listWallets'> | Schemas['WalletFilter'] | undefined): WalletQuery {
  const i = input ?? {};
  return {
    ...listQueryOf({ limit: i.limit, offset: i.offset, order: i.order, sort: i.sort }, walletSearchFields, 'wallet'),
    walletIds: i.wallet_ids,
    walletStatus: i.status,
    alertEnabled: i.alert_enabled,
  };
}

/** A list of wallet transactions: the shared list query and FlexPrice's transaction filters. */
export type WalletTransactionQuery = ListQuery & {
  walletId?: string;
  id?: string;
  type?: TransactionType;
  transactionStatus?: TransactionStatus;
  transactionReason?: TransactionReason;
  referenceType?: string;
  referenceId?: string;
  expiryDateBefore?: Date;
  expiryDateAfter?: Date;
  creditsAvailableGt?: number;
  priority?: number;
  createdBy?: string;
};

export function fromWalletTransactionListRequest(input: QueryParams<'getWalletTransactions'> | Schemas['WalletTransactionFilter'] | undefined, walletId?: string): WalletTransactionQuery {
  const i = input ?? {};
  const errors: Problems = {};
  parseTimeWindow(i, errors);
  const query: WalletTransactionQuery = {
    ...listQueryOf(i, walletTransactionSearchFields, 'wallet transaction'),
    walletId: walletId ?? ('wallet_id' in i ? orNull(i.wallet_id as string | undefined) ?? undefined : undefined),
    id: orNull(i.id) ?? undefined,
    type: i.type,
    transactionStatus: i.transaction_status,
    transactionReason: i.transaction_reason,
    referenceType: orNull(i.reference_type) ?? undefined,
    referenceId: orNull(i.reference_id) ?? undefined,
    expiryDateBefore: parseDateInput(i.expiry_date_before, 'expiry_date_before', errors) ?? undefined,
    expiryDateAfter: parseDateInput(i.expiry_date_after, 'expiry_date_after', errors) ?? undefined,
    creditsAvailableGt: i.credits_available_gt,
    priority: i.priority,
    createdBy: orNull(i.created_by) ?? undefined,
  };
  throwIfProblems(errors);
  return query;
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : undefined);

/** A stored exact product, as the wire writes it: `credit_balance × conversion_rate`, never rounded. */
export const walletBalance = (w: Pick<Wallet, 'creditBalance' | 'conversionRate'>): string =>
  formatDecimal(new ExactDecimal(w.creditBalance).times(new ExactDecimal(w.conversionRate)));

/** Entity → wire, as FlexPrice sends a wallet; unset `description`, `alert_settings` and `auto_topup` left out. */
export function toWalletResponse(v: WalletView): WalletResponse {
  const w = v.wallet;
  return withoutUndefined({
    id: w.id,
    customer_id: w.customerId,
    name: w.name,
    description: w.description ?? undefined,
    currency: w.currency,
    wallet_type: w.walletType,
    wallet_status: w.walletStatus,
    credit_balance: canonicalDecimal(w.creditBalance),
    balance: walletBalance(w),
    conversion_rate: canonicalDecimal(w.conversionRate),
    topup_conversion_rate: canonicalDecimal(w.topupConversionRate),
    config: w.config,
    alert_settings: (w.alertSettings ?? undefined) as WalletResponse['alert_settings'],
    alert_state: w.alertState as WalletResponse['alert_state'],
    auto_topup: (w.autoTopup ?? undefined) as WalletResponse['auto_topup'],
    credits_available_breakdown: v.breakdown,
    metadata: w.metadata ?? {},
    ...recordFields(w),
  });
}

/**
 * A wallet with its real-time balance (wallet-real-time.ts computes it: zeros for a wallet that is not
 * active, the balance itself for a POST_PAID one); `balance_updated_at` is the instant it is for.
 */
export function toWalletBalanceResponse(v: WalletView, b: RealTimeBalance): WalletBalanceResponse {
  return {
    ...toWalletResponse(v),
    real_time_balance: canonicalDecimal(b.realTimeBalance),
    real_time_credit_balance: canonicalDecimal(b.realTimeCreditBalance),
    current_period_usage: canonicalDecimal(b.currentPeriodUsage),
    unpaid_invoices_amount: canonicalDecimal(b.unpaidInvoicesAmount),
    balance_updated_at: b.at.toISOString(),
    is_cached_fallback: b.cached,
  };
}

/** Entity → wire, as FlexPrice sends a wallet transaction; unset optional fields left out. */
export function toWalletTransactionResponse(t: WalletTransaction): WalletTransactionResponse {
  return withoutUndefined({
    id: t.id,
    wallet_id: t.walletId,
    customer_id: t.customerId,
    type: t.type,
    amount: canonicalDecimal(t.amount),
    credit_amount: canonicalDecimal(t.creditAmount),
    credit_balance_before: canonicalDecimal(t.creditBalanceBefore),
    credit_balance_after: canonicalDecimal(t.creditBalanceAfter),
    credits_available: canonicalDecimal(t.creditsAvailable),
    transaction_status: t.transactionStatus,
    transaction_reason: t.transactionReason,
    reference_type: t.referenceType ?? undefined,
    reference_id: t.referenceId ?? undefined,
    description: t.description ?? undefined,
    metadata: t.metadata ?? {},
    expiry_date: iso(t.expiryDate),
    priority: t.priority ?? undefined,
    currency: t.currency,
    conversion_rate: t.conversionRate == null ? undefined : canonicalDecimal(t.conversionRate),
    topup_conversion_rate: t.topupConversionRate == null ? undefined : canonicalDecimal(t.topupConversionRate),
    idempotency_key: t.idempotencyKey ?? undefined,
    parent_transaction_id: t.parentTransactionId ?? undefined,
    ...recordFields(t),
  });
}
