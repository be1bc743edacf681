import { bonusExpiryUnits, bonusValueTypes, type BonusExpiryUnit, type BonusSlab, type BonusValueType } from '../../billing/wallets/index.ts';
import { throwIfProblems, type Problems } from '../../errors/problems.ts';
import { invalidFields } from '../../errors/app-error.ts';
import type { Schemas } from '../../wire/contract-types.ts';
import { compareDecimals, parseDecimal } from '../../wire/decimal-input.ts';
import type { SettingValue } from './setting.entity.ts';

/** The settings Tally keeps, with their defaults (what a key never stored answers). */
export const settingDefaults = {
  bonus_credits_topup_config: { enabled: false, slabs: [] as unknown[] },
} as const satisfies Record<string, SettingValue>;
export type SettingKey = keyof typeof settingDefaults;

/** FlexPrice's other keys: refused by name, so a caller knows Tally has not built them (not that they are unknown). */
const notKept = [
  'invoice_config', 'subscription_config', 'invoice_pdf_config', 'tenant_config', 'customer_onboarding', 'wallet_balance_alert_config',
  'prepare_processed_events_config', 'custom_analytics_config', 'customer_portal_config', 'event_ingestion_filter', 'payment_mandate_limits',
  'draft_invoice_recompute_config', 'saml_config',
];

/** The path's key as one Tally keeps; 400 naming `key` otherwise. */
export function settingKeyOf(key: string): SettingKey {
  if (key in settingDefaults) return key as SettingKey;
  throw invalidFields({ key: notKept.includes(key) ? `${key} is not supported by Tally; it keeps ${Object.keys(settingDefaults).join(', ')}` : `unknown setting key: ${key}` });
}

/** The bonus-credit slabs of a purchased top-up, as billing reads them; [] when the setting is off. */
export type BonusCreditsTopupConfig = { enabled: boolean; slabs: BonusSlab[] };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A `bonus_credits_topup_config` value checked as FlexPrice checks it: `enabled` needs a slab;
 * each slab has `threshold` ≥ 0, `operator` `gte`, `bonus` `{type: flat|percentage, value ≥ 0}`,
 * `expiration_duration` (> 0) and `expiration_duration_unit` together or neither; thresholds
 * strictly descending. Every problem is named by its path under `value`.
 */
export function readBonusConfig(value: SettingValue): { config: BonusCreditsTopupConfig; stored: SettingValue } {
  const errors: Problems = {};
  const allowed = new Set(['enabled', 'slabs']);
  for (const field of Object.keys(value)) if (!allowed.has(field)) errors[`value.${field}`] = 'is not a field of bonus_credits_topup_config';
  if (typeof value.enabled !== 'boolean') errors['value.enabled'] = 'must be a boolean';
  const slabsIn = value.slabs ?? [];
  if (!Array.isArray(slabsIn)) errors['value.slabs'] = 'must be an array';
  const slabs: BonusSlab[] = [];
  const stored: unknown[] = [];
  (Array.isArray(slabsIn) ? slabsIn : []).forEach((raw, i) => {
    const f = (field: string) => `value.slabs[${i}]${field ? `.${field}` : ''}`;
    if (!isObject(raw)) {
      errors[f('')] = 'must be an object';
      return;
    }
    for (const field of Object.keys(raw)) {
      if (!['threshold', 'operator', 'bonus', 'expiration_duration', 'expiration_duration_unit'].includes(field)) errors[f(field)] = 'is not a field of a bonus slab';
    }
    const threshold = decimalAt(raw.threshold, f('threshold'), errors);
    if (raw.operator !== 'gte') errors[f('operator')] = 'must be gte (the only operator of bonus slabs)';
    const bonus = isObject(raw.bonus) ? raw.bonus : undefined;
    if (!bonus) errors[f('bonus')] = 'must be an object {type, value}';
    const type = bonus?.type;
    if (bonus && !bonusValueTypes.includes(type as BonusValueType)) errors[f('bonus.type')] = `must be one of ${bonusValueTypes.join(', ')}`;
    const bonusValue = bonus ? decimalAt(bonus.value, f('bonus.value'), errors) : undefined;
    if (bonus) for (const field of Object.keys(bonus)) if (field !== 'type' && field !== 'value') errors[f(`bonus.${field}`)] = 'is not a field of a bonus';
    const duration = raw.expiration_duration;
    const unit = raw.expiration_duration_unit;
    if ((duration === undefined || duration === null) !== (unit === undefined || unit === null)) {
      errors[f(duration === undefined || duration === null ? 'expiration_duration' : 'expiration_duration_unit')] = 'must be given with the other of expiration_duration and expiration_duration_unit';
    }
    const hasExpiry = duration !== undefined && duration !== null;
    if (hasExpiry && (!Number.isInteger(duration) || (duration as number) <= 0 || (duration as number) > 10_000)) errors[f('expiration_duration')] = 'must be a whole number from 1 to 10000';
    if (unit !== undefined && unit !== null && !bonusExpiryUnits.includes(unit as BonusExpiryUnit)) errors[f('expiration_duration_unit')] = `must be one of ${bonusExpiryUnits.join(', ')}`;
    if (threshold !== undefined && i > 0 && slabs[i - 1] && compareDecimals(slabs[i - 1]!.threshold, threshold) <= 0) {
      errors[f('threshold')] = 'must be lower than the slab before it: slabs are sorted by threshold, highest first';
    }
    const expiry = hasExpiry ? { duration: duration as number, unit: unit as BonusExpiryUnit } : null;
    slabs.push({ threshold: threshold ?? '0', bonus: { type: type as BonusValueType, value: bonusValue ?? '0' }, expiry });
    stored.push({
      threshold: threshold ?? null,
      operator: 'gte',
      bonus: { type, value: bonusValue ?? null },
      ...(expiry ? { expiration_duration: expiry.duration, expiration_duration_unit: expiry.unit } : {}),
    });
  });
  if (value.enabled === true && Array.isArray(slabsIn) && slabsIn.length === 0) errors['value.slabs'] = 'must hold at least one slab while enabled is true (or set enabled to false)';
  throwIfProblems(errors);
  return { config: { enabled: value.enabled as boolean, slabs }, stored: { enabled: value.enabled, slabs: stored } };
}

/** A decimal ≥ 0 (string or JSON number) in canonical text; a problem under `field` otherwise. */
function decimalAt(raw: unknown, field: string, errors: Problems): string | undefined {
  if (typeof raw !== 'string' && typeof raw !== 'number') {
    errors[field] = 'must be a decimal number (e.g. "100")';
    return undefined;
  }
  const parsed = parseDecimal(raw);
  if ('problem' in parsed) errors[field] = parsed.problem;
  else if (compareDecimals(parsed.value, '0') < 0) errors[field] = 'must not be negative';
  else return parsed.value;
  return undefined;
}

/** A stored (or default) setting as the wire shows it. */
export type SettingView = { id: string | null; key: SettingKey; value: SettingValue; environmentId: string | null; tenantId: string | null; status: string | null; createdAt: Date | null; updatedAt: Date | null; createdBy: string | null; updatedBy: string | null };

export function toSettingResponse(v: SettingView): Schemas['SettingResponse'] {
  if (v.id === null) return { key: v.key, value: v.value };
  return {
    id: v.id,
    key: v.key,
    value: v.value,
    environment_id: v.environmentId!,
    tenant_id: v.tenantId!,
    status: v.status!,
    created_at: v.createdAt!.toISOString(),
    updated_at: v.updatedAt!.toISOString(),
    created_by: v.createdBy ?? '',
    updated_by: v.updatedBy ?? '',
  };
}
