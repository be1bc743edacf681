import { describe, expect, it } from 'vitest';
import { canonicalTimeZone, isKnownTimeZone } from './time-zone.ts';

describe('canonicalTimeZone', () => {
  it('accepts IANA zone names as written', () => {
    expect(canonicalTimeZone('Europe/Berlin')).toBe('Europe/Berlin');
    expect(canonicalTimeZone('America/Argentina/Buenos_Aires')).toBe('America/Argentina/Buenos_Aires');
    expect(canonicalTimeZone('UTC')).toBe('UTC');
  });

  it('returns the canonical spelling of a name given in another case', () => {
    expect(canonicalTimeZone('europe/berlin')).toBe('Europe/Berlin');
    expect(canonicalTimeZone('AMERICA/NEW_YORK')).toBe('America/New_York');
    expect(canonicalTimeZone('utc')).toBe('UTC');
  });

  it('refuses names that are not zones', () => {
    expect(canonicalTimeZone('Mars/Base')).toBeUndefined();
    expect(canonicalTimeZone('Europe/Berlinn')).toBeUndefined();
    expect(canonicalTimeZone('')).toBeUndefined();
    expect(canonicalTimeZone('Europe//Berlin')).toBeUndefined();
    expect(canonicalTimeZone('../etc/passwd')).toBeUndefined();
  });

  it('refuses UTC offsets: FlexPrice wants a zone name', () => {
    expect(canonicalTimeZone('+01:00')).toBeUndefined();
    expect(canonicalTimeZone('-05:00')).toBeUndefined();
    expect(canonicalTimeZone('+0100')).toBeUndefined();
  });
});

describe('isKnownTimeZone', () => {
  it('knows the zones periods and windows are cut in, and nothing else', () => {
    expect(isKnownTimeZone('UTC')).toBe(true);
    expect(isKnownTimeZone('Europe/Berlin')).toBe(true);
    expect(isKnownTimeZone('Asia/Kathmandu')).toBe(true);
    expect(isKnownTimeZone('Mars/Base')).toBe(false);
    expect(isKnownTimeZone('')).toBe(false);
  });
});
