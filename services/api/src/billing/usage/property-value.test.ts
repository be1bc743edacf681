import { describe, expect, it } from 'vitest';
import { distinctKey, filterText, groupText, numericValue } from './property-value.ts';
import { toDecimalString } from './quantity.ts';

const num = (properties: Record<string, unknown>) => toDecimalString(numericValue(properties, 'v'));

describe('numericValue', () => {
  it('reads JSON numbers by their decimal text', () => {
    expect(num({ v: 0.1 })).toBe('0.1');
    expect(num({ v: 2500000 })).toBe('2500000');
    expect(num({ v: -3.25 })).toBe('-3.25');
    expect(num({ v: 1e21 })).toBe('1000000000000000000000');
  });

  it('reads strings holding a decimal number as that number', () => {
    expect(num({ v: '12.5' })).toBe('12.5');
    expect(num({ v: '-7' })).toBe('-7');
    expect(num({ v: '+.5' })).toBe('0.5');
    expect(num({ v: '5.' })).toBe('5');
    expect(num({ v: '1e3' })).toBe('1000');
    expect(num({ v: '0.1000000000000000000000000001' })).toBe('0.1000000000000000000000000001');
  });

  it('counts anything else as 0', () => {
    for (const v of [undefined, null, true, false, 'abc', '', ' 5', '5 ', '1,5', 'NaN', 'Infinity', '1e99999', '0x10', { a: 1 }, [1]]) {
      expect(num(v === undefined ? {} : { v })).toBe('0');
    }
  });

  it('reads own properties only', () => {
    expect(toDecimalString(numericValue(JSON.parse('{"__proto__": 5}'), '__proto__'))).toBe('5');
    expect(toDecimalString(numericValue({}, 'toString'))).toBe('0');
  });
});

describe('filterText', () => {
  it('reads strings as they are and everything else as the empty string', () => {
    expect(filterText({ region: 'eu' }, 'region')).toBe('eu');
    expect(filterText({ region: 5 }, 'region')).toBe('');
    expect(filterText({ region: true }, 'region')).toBe('');
    expect(filterText({}, 'region')).toBe('');
    expect(filterText({ region: null }, 'region')).toBe('');
  });
});

describe('distinctKey and groupText', () => {
  it('reads strings, numbers (without trailing zeros) and booleans; not missing values or objects', () => {
    expect(distinctKey({ u: 'alice' }, 'u')).toBe('alice');
    expect(distinctKey({ u: 42 }, 'u')).toBe('42');
    expect(distinctKey({ u: 42.0 }, 'u')).toBe(distinctKey({ u: '42' }, 'u'));
    expect(distinctKey({ u: false }, 'u')).toBe('false');
    expect(distinctKey({}, 'u')).toBeUndefined();
    expect(distinctKey({ u: null }, 'u')).toBeUndefined();
    expect(distinctKey({ u: { id: 1 } }, 'u')).toBeUndefined();
  });

  it('groups by a property or by the source', () => {
    expect(groupText({ server: 'a' }, 'api', { kind: 'property', name: 'server' })).toBe('a');
    expect(groupText({}, 'api', { kind: 'property', name: 'server' })).toBeNull();
    expect(groupText({ server: 'a' }, 'api', { kind: 'source' })).toBe('api');
  });
});
