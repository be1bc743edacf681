import { ExactDecimal } from '../money/index.ts';

export type AlertCondition = 'above' | 'below';
export type AlertThresholdSetting = { threshold: string; condition: AlertCondition };
export type AlertLevels = { alert_enabled?: boolean; critical?: AlertThresholdSetting; warning?: AlertThresholdSetting; info?: AlertThresholdSetting };

/** A wallet's alert state, least severe first. */
export const alertStates = ['ok', 'info', 'warning', 'in_alarm'] as const;
export type AlertState = (typeof alertStates)[number];

export const severity = (s: AlertState): number => alertStates.indexOf(s);

/** The more severe of two states. */
export const severest = (a: AlertState, b: AlertState): AlertState => (severity(a) >= severity(b) ? a : b);

const reached = (balance: ExactDecimal, t: AlertThresholdSetting): boolean => {
  const cmp = balance.comparedTo(new ExactDecimal(t.threshold));
  return t.condition === 'below' ? cmp <= 0 : cmp >= 0;
};

/**
 * The alert state of `balance`: the most severe threshold it reaches — critical (`in_alarm`), then
 * warning, then info; `below` is reached at or under the threshold, `above` at or over it. Alerts
 * that are not enabled (or no settings) are always `ok`.
 */
export function alertStateOf(balance: ExactDecimal, settings: AlertLevels | null | undefined): AlertState {
  if (!settings?.alert_enabled) return 'ok';
  if (settings.critical && reached(balance, settings.critical)) return 'in_alarm';
  if (settings.warning && reached(balance, settings.warning)) return 'warning';
  if (settings.info && reached(balance, settings.info)) return 'info';
  return 'ok';
}

/** How a state changed: `dropped` to a more severe one, `recovered` to a less severe one, or not at all. */
export function alertTransition(from: AlertState, to: AlertState): 'dropped' | 'recovered' | null {
  if (severity(to) > severity(from)) return 'dropped';
  if (severity(to) < severity(from)) return 'recovered';
  return null;
}
