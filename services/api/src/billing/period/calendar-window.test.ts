import { describe, expect, it } from 'vitest';
import { nextWindowStart, TooManyWindowsError, windowStart, windowStarts, type Calendar, type WindowSize } from './calendar-window.ts';

const t = (iso: string) => new Date(iso).getTime();
const iso = (ms: number) => new Date(ms).toISOString();
const utc: Calendar = { timezone: 'UTC' };
const berlin: Calendar = { timezone: 'Europe/Berlin' };
const starts = (from: string, to: string, size: WindowSize, calendar: Calendar) => windowStarts(t(from), t(to), size, calendar).map(iso);

describe('DAY windows in Europe/Berlin', () => {
  it('start at local midnight; the spring-forward day is 23 hours long', () => {
    expect(starts('2025-03-28T23:00:00Z', '2025-03-31T22:00:00Z', 'DAY', berlin)).toEqual([
      '2025-03-28T23:00:00.000Z', // Sat 29 March, 00:00 CET
      '2025-03-29T23:00:00.000Z', // Sun 30 March, 00:00 CET — clocks jump 02:00 → 03:00
      '2025-03-30T22:00:00.000Z', // Mon 31 March, 00:00 CEST
    ]);
  });

  it('the fall-back day is 25 hours long', () => {
    const days = windowStarts(t('2025-10-25T22:00:00Z'), t('2025-10-27T23:00:00Z'), 'DAY', berlin);
    expect(days.map(iso)).toEqual(['2025-10-25T22:00:00.000Z', '2025-10-26T23:00:00.000Z']);
    expect((days[1] - days[0]) / 3_600_000).toBe(25);
  });

  it('puts an event at local midnight in the new day and one a millisecond earlier in the old one', () => {
    expect(iso(windowStart(t('2025-03-30T22:00:00Z'), 'DAY', berlin))).toBe('2025-03-30T22:00:00.000Z');
    expect(iso(windowStart(t('2025-03-30T21:59:59.999Z'), 'DAY', berlin))).toBe('2025-03-29T23:00:00.000Z');
  });
});

describe('hour windows across DST', () => {
  it('make the repeated hour two windows when clocks go back', () => {
    expect(starts('2025-10-25T23:00:00Z', '2025-10-26T02:00:00Z', 'HOUR', berlin)).toEqual([
      '2025-10-25T23:00:00.000Z', // 01:00 CEST
      '2025-10-26T00:00:00.000Z', // 02:00 CEST
      '2025-10-26T01:00:00.000Z', // 02:00 CET, the same wall-clock hour again
    ]);
  });

  it('cut 3HOUR windows at local 00, 03, 06…: 2 hours long on the spring-forward night, 4 on the fall-back one', () => {
    expect(iso(windowStart(t('2025-03-30T00:30:00Z'), '3HOUR', berlin))).toBe('2025-03-29T23:00:00.000Z');
    expect(iso(nextWindowStart(t('2025-03-29T23:00:00Z'), '3HOUR', berlin))).toBe('2025-03-30T01:00:00.000Z');
    expect(iso(windowStart(t('2025-10-26T01:30:00Z'), '3HOUR', berlin))).toBe('2025-10-25T22:00:00.000Z');
    expect(iso(nextWindowStart(t('2025-10-25T22:00:00Z'), '3HOUR', berlin))).toBe('2025-10-26T02:00:00.000Z');
  });

  it('follow wall-clock minutes in zones with half- and quarter-hour offsets', () => {
    const kathmandu = { timezone: 'Asia/Kathmandu' }; // +05:45
    const kolkata = { timezone: 'Asia/Kolkata' }; // +05:30
    expect(iso(windowStart(t('2025-01-01T01:50:00Z'), '15MIN', kathmandu))).toBe('2025-01-01T01:45:00.000Z'); // 07:30 local
    expect(iso(windowStart(t('2025-01-01T01:50:00Z'), '30MIN', kolkata))).toBe('2025-01-01T01:30:00.000Z'); // 07:00 local
    expect(iso(windowStart(t('2025-01-01T01:50:00Z'), 'HOUR', kolkata))).toBe('2025-01-01T01:30:00.000Z');
    expect(iso(windowStart(t('2025-01-01T01:50:00Z'), 'DAY', kolkata))).toBe('2024-12-31T18:30:00.000Z');
  });

  it('truncate MINUTE windows to the minute', () => {
    expect(iso(windowStart(t('2025-01-01T01:50:59.999Z'), 'MINUTE', berlin))).toBe('2025-01-01T01:50:00.000Z');
  });
});

describe('WEEK windows', () => {
  it('start on Sunday at local midnight, as FlexPrice', () => {
    // 1 January 2025 is a Wednesday.
    expect(iso(windowStart(t('2025-01-01T12:00:00Z'), 'WEEK', utc))).toBe('2024-12-29T00:00:00.000Z');
    expect(iso(windowStart(t('2024-12-29T00:00:00Z'), 'WEEK', utc))).toBe('2024-12-29T00:00:00.000Z');
    expect(iso(windowStart(t('2024-12-28T23:59:59Z'), 'WEEK', utc))).toBe('2024-12-22T00:00:00.000Z');
    // The week holding the spring-forward Sunday starts at 00:00 CET that Sunday and lasts 167 hours.
    const week = windowStart(t('2025-04-02T12:00:00Z'), 'WEEK', berlin);
    expect(iso(week)).toBe('2025-03-29T23:00:00.000Z');
    expect((nextWindowStart(week, 'WEEK', berlin) - week) / 3_600_000).toBe(167);
  });
});

describe('MONTH windows', () => {
  it('start on the 1st at local midnight', () => {
    expect(iso(windowStart(t('2025-04-10T00:00:00Z'), 'MONTH', berlin))).toBe('2025-03-31T22:00:00.000Z');
    expect(starts('2025-01-15T00:00:00Z', '2025-04-01T00:00:00Z', 'MONTH', utc)).toEqual([
      '2025-01-01T00:00:00.000Z',
      '2025-02-01T00:00:00.000Z',
      '2025-03-01T00:00:00.000Z',
    ]);
  });

  it('with a billing anchor on the 31st, start on the last day of shorter months', () => {
    const anchored = { timezone: 'UTC', billingAnchor: new Date('2025-01-31T00:00:00Z') };
    expect(starts('2025-01-31T00:00:00Z', '2025-06-01T00:00:00Z', 'MONTH', anchored)).toEqual([
      '2025-01-31T00:00:00.000Z',
      '2025-02-28T00:00:00.000Z',
      '2025-03-31T00:00:00.000Z',
      '2025-04-30T00:00:00.000Z',
      '2025-05-31T00:00:00.000Z',
    ]);
    expect(iso(windowStart(t('2024-03-15T00:00:00Z'), 'MONTH', anchored))).toBe('2024-02-29T00:00:00.000Z');
    expect(iso(windowStart(t('2025-03-30T23:59:59.999Z'), 'MONTH', anchored))).toBe('2025-02-28T00:00:00.000Z');
    expect(iso(windowStart(t('2025-03-31T00:00:00Z'), 'MONTH', anchored))).toBe('2025-03-31T00:00:00.000Z');
  });

  it("keep the anchor's wall-clock time, in the requested zone", () => {
    const anchored = { timezone: 'UTC', billingAnchor: new Date('2024-03-05T14:30:45Z') };
    expect(starts('2024-03-05T14:30:45Z', '2024-05-05T14:30:45Z', 'MONTH', anchored)).toEqual([
      '2024-03-05T14:30:45.000Z',
      '2024-04-05T14:30:45.000Z',
    ]);
    expect(iso(windowStart(t('2024-04-05T14:30:44Z'), 'MONTH', anchored))).toBe('2024-03-05T14:30:45.000Z');
    // The 15th at 00:00 in Berlin: 23:00Z in winter, 22:00Z in summer.
    const berlinAnchor = { timezone: 'Europe/Berlin', billingAnchor: new Date('2025-01-14T23:00:00Z') };
    expect(starts('2025-03-14T23:00:00Z', '2025-05-01T00:00:00Z', 'MONTH', berlinAnchor)).toEqual([
      '2025-03-14T23:00:00.000Z',
      '2025-04-14T22:00:00.000Z',
    ]);
  });
});

describe('wall-clock times that do not exist or exist twice', () => {
  it('reads a missing local midnight with the offset before the jump, as PostgreSQL', () => {
    // São Paulo, 4 Nov 2018: clocks went from 00:00 (-03) to 01:00 (-02).
    expect(iso(windowStart(t('2018-11-04T12:00:00Z'), 'DAY', { timezone: 'America/Sao_Paulo' }))).toBe('2018-11-04T03:00:00.000Z');
  });
});

describe('windowStarts', () => {
  it('is empty for an empty range and labels a partial first window by its own start', () => {
    expect(windowStarts(t('2025-01-01T00:00:00Z'), t('2025-01-01T00:00:00Z'), 'DAY', utc)).toEqual([]);
    expect(starts('2025-01-01T12:00:00Z', '2025-01-02T00:00:01Z', 'DAY', utc)).toEqual(['2025-01-01T00:00:00.000Z', '2025-01-02T00:00:00.000Z']);
  });

  it('refuses more windows than the limit', () => {
    expect(() => windowStarts(t('2025-01-01T00:00:00Z'), t('2025-01-02T00:00:00Z'), 'MINUTE', utc, 100)).toThrow(TooManyWindowsError);
    expect(windowStarts(t('2025-01-01T00:00:00Z'), t('2025-01-01T01:40:00Z'), 'MINUTE', utc, 100)).toHaveLength(100);
  });
});
