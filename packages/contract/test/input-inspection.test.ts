import { describe, expect, it } from 'vitest';
import { inspectInput, maxJsonDepth } from '../src/input-inspection.ts';

/** `{"a":{"a":…}}` nested `levels` deep (the outer object is level 1). */
function nested(levels: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
}

describe('inspectInput', () => {
  it('finds nothing in clean input', () => {
    expect(inspectInput({ name: 'Acme', metadata: { k: 'v' }, list: [1, 'x', null, true] }, 'body')).toEqual({});
  });

  it('names every string holding NUL or a lone surrogate by its path', () => {
    expect(inspectInput({ name: 'a\u0000', metadata: { k: 'v\ud800' }, tags: ['ok', '\udc00x'] }, 'body')).toEqual({
      name: 'must not contain the NUL character (U+0000)',
      'metadata.k': 'must be valid Unicode (it holds an unpaired UTF-16 surrogate)',
      'tags[1]': 'must be valid Unicode (it holds an unpaired UTF-16 surrogate)',
    });
    // A well-formed pair (an emoji) is fine.
    expect(inspectInput({ name: '\ud83d\ude00' }, 'body')).toEqual({});
  });

  it('names the root when the value itself is bad', () => {
    expect(inspectInput('x\u0000', 'path')).toEqual({ path: 'must not contain the NUL character (U+0000)' });
  });

  it('refuses a "__proto__" key wherever it is, naming it', () => {
    const body = JSON.parse('{"name":"x","__proto__":1,"metadata":{"__proto__":{"admin":true}}}') as unknown;
    const problems = inspectInput(body, 'body');
    expect(Object.entries(problems)).toEqual([
      ['__proto__', 'must not use "__proto__" as a key'],
      ['metadata.__proto__', 'must not use "__proto__" as a key'],
    ]);
    expect(Object.getPrototypeOf(problems)).toBe(Object.prototype);
  });

  it('names the object holding a key that cannot be shown', () => {
    expect(Object.keys(inspectInput({ metadata: { 'k\u0000': 'v' } }, 'body'))).toEqual(['metadata']);
    expect(Object.keys(inspectInput({ 'k\ud800': 'v' }, 'body'))).toEqual(['body']);
  });

  it(`allows ${maxJsonDepth} levels of nesting and refuses one more`, () => {
    expect(inspectInput(nested(maxJsonDepth), 'body')).toEqual({});
    const problems = inspectInput(nested(maxJsonDepth + 1), 'body');
    expect(Object.values(problems)).toEqual([`is nested too deeply: JSON may nest at most ${maxJsonDepth} levels`]);
  });

  it('walks 100,000 levels without overflowing the stack', () => {
    const problems = inspectInput(nested(100_000), 'body');
    expect(Object.keys(problems)).toHaveLength(1);
  });

  it('stops after 20 problems', () => {
    const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, '\u0000']));
    expect(Object.keys(inspectInput(many, 'body'))).toHaveLength(20);
  });
});
