import type { components } from '@tally/contract';
import { compareDecimals, parseDecimal } from '../../wire/decimal-input.ts';

type SettingsRequest = components['schemas']['AlertSettingsRequest'];
type ThresholdRequest = components['schemas']['AlertThresholdRequest'];

export type AlertCondition = 'above' | 'below';
export type AlertThreshold = { threshold: string; condition: AlertCondition };
/** FlexPrice's alert levels of a feature; thresholds are canonical decimal strings. */
export type AlertSettings = { alert_enabled: boolean; critical?: AlertThreshold; warning?: AlertThreshold; info?: AlertThreshold };
/** What a request gives: levels not named are left as they are on update. */
export type AlertSettingsChange = { alert_enabled?: boolean; critical?: AlertThreshold; warning?: AlertThreshold; info?: AlertThreshold };

const levels = ['critical', 'warning', 'info'] as const;
type Errors = Record<string, string>;

/** Reads the thresholds as decimals, naming each bad one (`alert_settings.critical.threshold`). */
export function parseAlertSettings(body: SettingsRequest, prefix: string, errors: Errors): AlertSettingsChange {
  const change: AlertSettingsChange = {};
  if (body.alert_enabled !== undefined) change.alert_enabled = body.alert_enabled;
  for (const level of levels) {
    const given: ThresholdRequest | undefined = body[level];
    if (!given) continue;
    const threshold = parseDecimal(given.threshold);
    if ('problem' in threshold) errors[`${prefix}.${level}.threshold`] = threshold.problem;
    else change[level] = { threshold: threshold.value, condition: given.condition };
  }
  return change;
}

/**
 * FlexPrice's update rule: the given levels replace the stored ones, the others are kept;
 * `alert_enabled` defaults to false when nothing says otherwise.
 */
export function mergeAlertSettings(current: AlertSettings | undefined, change: AlertSettingsChange): AlertSettings {
  const merged: AlertSettings = { alert_enabled: change.alert_enabled ?? current?.alert_enabled ?? false };
  for (const level of levels) {
    const threshold = change[level] ?? current?.[level];
    if (threshold) merged[level] = threshold;
  }
  return merged;
}

/**
 * FlexPrice's consistency rules: enabled alerts need a level; `warning` needs `critical`; all
 * levels share one condition; and they are ordered — for `above`, info ≤ warning ≤ critical,
 * for `below` the reverse.
 */
export function alertSettingsProblems(s: AlertSettings, prefix: string): Errors {
  const errors: Errors = {};
  if (s.alert_enabled && !s.critical && !s.warning && !s.info) {
    errors[`${prefix}.alert_enabled`] = 'needs at least one threshold (critical, warning or info) when true';
  }
  if (s.warning && !s.critical) errors[`${prefix}.critical`] = 'is required when warning is set';
  const ordered = levels.filter((l) => s[l]).map((l) => [l, s[l] as AlertThreshold] as const);
  // Each level is checked against the next more severe one that is set.
  for (let i = ordered.length - 1; i > 0; i--) {
    const [level, mild] = ordered[i];
    const [severeLevel, severe] = ordered[i - 1];
    if (mild.condition !== severe.condition) {
      errors[`${prefix}.${level}.condition`] = `must be the same as ${severeLevel}.condition ('${severe.condition}')`;
      continue;
    }
    const cmp = compareDecimals(mild.threshold, severe.threshold);
    if (severe.condition === 'above' && cmp > 0) errors[`${prefix}.${level}.threshold`] = `must not be greater than ${severeLevel}.threshold (${severe.threshold}) for 'above'`;
    if (severe.condition === 'below' && cmp < 0) errors[`${prefix}.${level}.threshold`] = `must not be less than ${severeLevel}.threshold (${severe.threshold}) for 'below'`;
  }
  return errors;
}
