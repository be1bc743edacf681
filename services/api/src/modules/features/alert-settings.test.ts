import { describe, expect, it } from 'vitest';
import { alertSettingsProblems, mergeAlertSettings, type AlertSettings } from './alert-settings.ts';

const t = (threshold: string, condition: 'above' | 'below') => ({ threshold, condition });

describe('mergeAlertSettings — FlexPrice’s per-level update', () => {
  it('defaults alert_enabled to false', () => {
    expect(mergeAlertSettings(undefined, { critical: t('5', 'above') })).toEqual({ alert_enabled: false, critical: t('5', 'above') });
  });

  it('replaces the given levels and keeps the others and alert_enabled', () => {
    const current: AlertSettings = { alert_enabled: true, critical: t('100', 'above'), info: t('10', 'above') };
    expect(mergeAlertSettings(current, { warning: t('50', 'above') })).toEqual({
      alert_enabled: true,
      critical: t('100', 'above'),
      warning: t('50', 'above'),
      info: t('10', 'above'),
    });
    expect(mergeAlertSettings(current, { alert_enabled: false, critical: t('200', 'above') })).toEqual({
      alert_enabled: false,
      critical: t('200', 'above'),
      info: t('10', 'above'),
    });
  });
});

describe('alertSettingsProblems', () => {
  it('accepts ordered levels with one condition', () => {
    expect(alertSettingsProblems({ alert_enabled: true, critical: t('100', 'above'), warning: t('50', 'above'), info: t('50', 'above') }, 'a')).toEqual({});
    expect(alertSettingsProblems({ alert_enabled: true, critical: t('0', 'below'), warning: t('10', 'below'), info: t('20.5', 'below') }, 'a')).toEqual({});
    expect(alertSettingsProblems({ alert_enabled: false }, 'a')).toEqual({});
    expect(alertSettingsProblems({ alert_enabled: true, info: t('3', 'below') }, 'a')).toEqual({});
  });

  it('enabled alerts need a level', () => {
    expect(alertSettingsProblems({ alert_enabled: true }, 'a')).toEqual({ 'a.alert_enabled': 'needs at least one threshold (critical, warning or info) when true' });
  });

  it('warning needs critical', () => {
    expect(alertSettingsProblems({ alert_enabled: false, warning: t('5', 'above') }, 'a')).toEqual({ 'a.critical': 'is required when warning is set' });
  });

  it('levels share the condition of the next more severe level', () => {
    expect(alertSettingsProblems({ alert_enabled: false, critical: t('5', 'above'), info: t('1', 'below') }, 'a')).toEqual({
      'a.info.condition': "must be the same as critical.condition ('above')",
    });
  });

  it('above: a milder level may not exceed a more severe one (compared as decimals)', () => {
    expect(alertSettingsProblems({ alert_enabled: false, critical: t('100', 'above'), warning: t('100.01', 'above'), info: t('9', 'above') }, 'a')).toEqual({
      'a.warning.threshold': "must not be greater than critical.threshold (100) for 'above'",
    });
    expect(alertSettingsProblems({ alert_enabled: false, critical: t('100', 'above'), warning: t('50', 'above'), info: t('60', 'above') }, 'a')).toEqual({
      'a.info.threshold': "must not be greater than warning.threshold (50) for 'above'",
    });
  });

  it('below: a milder level may not be under a more severe one', () => {
    expect(alertSettingsProblems({ alert_enabled: false, critical: t('10', 'below'), info: t('9.99', 'below') }, 'a')).toEqual({
      'a.info.threshold': "must not be less than critical.threshold (10) for 'below'",
    });
  });
});
