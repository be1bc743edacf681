import { describe, expect, it } from 'vitest';
import { contains, durationMs, intersection, isEmpty, overlaps, period } from './period.ts';

const t = (iso: string) => new Date(iso);
const p = (start: string, end: string) => period(t(start), t(end));
const january = p('2025-01-01T00:00:00Z', '2025-02-01T00:00:00Z');

describe('Period: half-open [start, end)', () => {
  it.each<[string, boolean]>([
    ['2025-01-01T00:00:00Z', true], // the start belongs to it
    ['2025-01-31T23:59:59.999Z', true],
    ['2025-02-01T00:00:00Z', false], // the end belongs to the next period
    ['2024-12-31T23:59:59.999Z', false],
  ])('January contains %s: %s', (at, expected) => {
    expect(contains(january, t(at))).toBe(expected);
  });

  it.each<[string, [string, string], boolean]>([
    ['February only touches it', ['2025-02-01T00:00:00Z', '2025-03-01T00:00:00Z'], false],
    ['Jan 31 → Feb 2 shares its last day', ['2025-01-31T00:00:00Z', '2025-02-02T00:00:00Z'], true],
    ['a week inside it', ['2025-01-10T00:00:00Z', '2025-01-17T00:00:00Z'], true],
    ['the year around it', ['2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z'], true],
    ['an empty period inside it', ['2025-01-10T00:00:00Z', '2025-01-10T00:00:00Z'], false],
  ])('overlaps: %s → %s', (_case, [start, end], expected) => {
    expect(overlaps(january, p(start, end))).toBe(expected);
    expect(overlaps(p(start, end), january)).toBe(expected);
  });

  it('intersects to the instants both hold', () => {
    expect(intersection(january, p('2025-01-20T00:00:00Z', '2025-02-10T00:00:00Z'))).toEqual(p('2025-01-20T00:00:00Z', '2025-02-01T00:00:00Z'));
    expect(intersection(january, p('2025-02-01T00:00:00Z', '2025-02-10T00:00:00Z'))).toBeUndefined();
  });

  it('measures its length in milliseconds: January is 31 days, a Berlin DST day still 24 h of UTC', () => {
    expect(durationMs(january)).toBe(31 * 86_400_000);
    expect(durationMs(p('2025-03-29T23:00:00Z', '2025-03-30T22:00:00Z'))).toBe(23 * 3_600_000); // local midnight to midnight, 23 h
    expect(isEmpty(p('2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z'))).toBe(true);
    expect(isEmpty(january)).toBe(false);
  });

  it('refuses a period that ends before it starts, or an invalid instant', () => {
    expect(() => p('2025-02-01T00:00:00Z', '2025-01-01T00:00:00Z')).toThrow(RangeError);
    expect(() => period(new Date('nope'), t('2025-01-01T00:00:00Z'))).toThrow(RangeError);
  });
});
