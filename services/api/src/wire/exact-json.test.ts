import { describe, expect, it } from 'vitest';
import { parseExactJson } from './exact-json.ts';

describe('parseExactJson', () => {
  it('keeps numbers a double holds as numbers', () => {
    expect(parseExactJson('{"a":1,"b":0.1,"c":-2500,"d":[1,2]}')).toEqual({ a: 1, b: 0.1, c: -2500, d: [1, 2] });
  });

  it('writes back every digit of the numbers a double would change', () => {
    const text = '{"big":12345678901234567891,"long":0.1000000000000000055511151231257827,"scale":1.50,"huge":1e400}';
    expect(JSON.stringify(parseExactJson(text))).toBe(text);
  });

  it('reads a "__proto__" key as a plain own key, with no prototype effect (the contract runtime refuses it)', () => {
    const parsed = parseExactJson('{"a":{"__proto__":{"x":1}}}') as { a: object };
    expect(Object.keys(parsed.a)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(parsed.a)).toBe(Object.prototype);
    expect((parsed.a as { x?: number }).x).toBeUndefined();
  });

  it('refuses bad JSON', () => {
    expect(() => parseExactJson('{"a":')).toThrow(SyntaxError);
  });
});
