import { describe, expect, it } from 'vitest';
import { epochMicros, instantOfEpochMicros, parseInstant, toDatabaseTime, toWireTime } from './event-time.ts';

const db = (text: string) => {
  const t = parseInstant(text);
  return t && toDatabaseTime(t);
};

describe('parseInstant', () => {
  it.each([
    ['2024-03-20T15:04:05Z', '2024-03-20T15:04:05.000000Z'],
    ['2024-03-20T15:04:05.5Z', '2024-03-20T15:04:05.500000Z'],
    ['2024-03-20T15:04:05.123456789Z', '2024-03-20T15:04:05.123456Z'],
    ['2024-03-20T17:04:05+02:00', '2024-03-20T15:04:05.000000Z'],
    ['2024-03-20T09:34:05-05:30', '2024-03-20T15:04:05.000000Z'],
    ['2024-03-20t15:04:05z', '2024-03-20T15:04:05.000000Z'],
    ['2024-03-20 15:04:05+0200', '2024-03-20T13:04:05.000000Z'],
    ['2024-03-21T00:30:00+01:00', '2024-03-20T23:30:00.000000Z'],
    ['2016-12-31T23:59:60Z', '2017-01-01T00:00:00.000000Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000000Z'],
    ['0050-01-01T00:00:00Z', '0050-01-01T00:00:00.000000Z'],
  ])('reads %s as %s', (text, expected) => {
    expect(db(text)).toBe(expected);
  });

  it.each([
    '2024-03-20T15:04:05',
    '2024-03-20',
    '2025-02-29T00:00:00Z',
    '2024-13-01T00:00:00Z',
    '2024-03-20T24:00:00Z',
    '2024-03-20T15:60:00Z',
    '2024-03-20T15:04:05+24:00',
    '0001-01-01T00:00:00+01:00',
    '9999-12-31T23:00:00-05:00',
    '20240320T150405Z',
    '',
  ])('refuses %s', (text) => {
    expect(parseInstant(text)).toBeUndefined();
  });
});

describe('wire and cursor forms', () => {
  it('prints UTC with trailing fractional zeros dropped, as Go does', () => {
    expect(toWireTime('2024-03-20T15:04:05.000000')).toBe('2024-03-20T15:04:05Z');
    expect(toWireTime('2024-03-20T15:04:05.120000')).toBe('2024-03-20T15:04:05.12Z');
    expect(toWireTime('2024-03-20T15:04:05.123456')).toBe('2024-03-20T15:04:05.123456Z');
  });

  it('round-trips microseconds since the epoch exactly', () => {
    const t = parseInstant('2024-03-20T15:04:05.123456Z')!;
    expect(epochMicros(t)).toBe(1710947045123456n);
    expect(toDatabaseTime(instantOfEpochMicros(1710947045123456n))).toBe('2024-03-20T15:04:05.123456Z');
    expect(toDatabaseTime(instantOfEpochMicros(-1n))).toBe('1969-12-31T23:59:59.999999Z');
  });
});
