import { describe, expect, it } from 'vitest';
import { ExactDecimal } from '../money/index.ts';
import { alertStateOf, alertTransition, severest, type AlertLevels } from './alerts.ts';

const d = (s: string) => new ExactDecimal(s);
const below: AlertLevels = { alert_enabled: true, critical: { threshold: '10', condition: 'below' }, warning: { threshold: '50', condition: 'below' }, info: { threshold: '100', condition: 'below' } };
const above: AlertLevels = { alert_enabled: true, critical: { threshold: '1000', condition: 'above' }, warning: { threshold: '500', condition: 'above' } };

describe('alertStateOf', () => {
  it.each([
    ['150', 'ok'],
    ['100.01', 'ok'],
    ['100', 'info'],
    ['50.5', 'info'],
    ['50', 'warning'],
    ['10.000001', 'warning'],
    ['10', 'in_alarm'],
    ['-3', 'in_alarm'],
  ])('below thresholds 10 / 50 / 100: balance %s → %s', (balance, state) => {
    expect(alertStateOf(d(balance), below)).toBe(state);
  });

  it.each([
    ['499.99', 'ok'],
    ['500', 'warning'],
    ['1000', 'in_alarm'],
  ])('above thresholds 500 / 1000: balance %s → %s', (balance, state) => {
    expect(alertStateOf(d(balance), above)).toBe(state);
  });

  it('is always ok when alerts are not enabled or there are no settings', () => {
    expect(alertStateOf(d('0'), { ...below, alert_enabled: false })).toBe('ok');
    expect(alertStateOf(d('0'), null)).toBe('ok');
  });

  it('takes a lone critical threshold', () => {
    expect(alertStateOf(d('5'), { alert_enabled: true, critical: { threshold: '5', condition: 'below' } })).toBe('in_alarm');
    expect(alertStateOf(d('5.01'), { alert_enabled: true, critical: { threshold: '5', condition: 'below' } })).toBe('ok');
  });
});

describe('alertTransition and severest', () => {
  it('names a move to a more severe state a drop, to a less severe one a recovery', () => {
    expect(alertTransition('ok', 'warning')).toBe('dropped');
    expect(alertTransition('in_alarm', 'info')).toBe('recovered');
    expect(alertTransition('info', 'info')).toBeNull();
    expect(severest('warning', 'info')).toBe('warning');
    expect(severest('ok', 'in_alarm')).toBe('in_alarm');
  });
});
