import { describe, expect, it } from 'vitest';
import { int64ToJson } from './int64-json.ts';

describe('int64ToJson', () => {
  it('is a plain number when exact, raw digits past 2^53 − 1', () => {
    expect(int64ToJson('1000')).toBe(1000);
    expect(JSON.stringify({ v: int64ToJson('9223372036854775807') })).toBe('{"v":9223372036854775807}');
  });
});
