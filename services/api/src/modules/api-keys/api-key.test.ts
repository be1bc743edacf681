import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { displayIdOf, generateApiKey, hashApiKey } from './api-key.ts';

const ulid = '[0-9A-HJKMNP-TV-Z]{26}';

describe('generateApiKey', () => {
  it('makes FlexPrice-format keys with the prefix of each key type', () => {
    expect(generateApiKey('private_key')).toMatch(new RegExp(`^sk_${ulid}$`));
    expect(generateApiKey('publishable_key')).toMatch(new RegExp(`^pk_${ulid}$`));
    expect(generateApiKey('integration')).toMatch(new RegExp(`^key_${ulid}$`));
  });

  it('never repeats a key', () => {
    const keys = new Set(Array.from({ length: 1000 }, () => generateApiKey('private_key')));
    expect(keys.size).toBe(1000);
  });

  it('starts the ULID with the current time, so keys sort by creation', () => {
    const before = Date.now();
    const key = generateApiKey('private_key');
    const after = Date.now();
    // The first 10 ULID characters are the millisecond timestamp in Crockford base 32.
    const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    const ms = [...key.slice(3, 13)].reduce((n, c) => n * 32 + alphabet.indexOf(c), 0);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(after);
  });
});

describe('hashApiKey', () => {
  it('is the hex SHA-256 of the key', () => {
    // The FIPS 180-2 test vector for "abc".
    expect(hashApiKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const key = 'sk_01JD2Z7Q8K3M4N5P6R7S8T9V0W';
    expect(hashApiKey(key)).toBe(createHash('sha256').update(key).digest('hex'));
  });

  it('is 64 lower-case hex characters, the same for the same key and different for another', () => {
    const key = generateApiKey('private_key');
    expect(hashApiKey(key)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiKey(key)).toBe(hashApiKey(key));
    expect(hashApiKey(key)).not.toBe(hashApiKey(`${key.slice(0, -1)}${key.endsWith('0') ? '1' : '0'}`));
    expect(hashApiKey(key)).not.toContain(key.slice(3).toLowerCase());
  });
});

describe('displayIdOf', () => {
  it("keeps FlexPrice's first 5 and last 2 characters", () => {
    expect(displayIdOf('sk_01JD2Z7Q8K3M4N5P6R7S8T9V0W')).toBe('sk_01***0W');
    expect(displayIdOf('pk_01JD2Z7Q8K3M4N5P6R7S8T9VXZ')).toBe('pk_01***XZ');
    expect(displayIdOf('key_01JD2Z7Q8K3M4N5P6R7S8T9VAB')).toBe('key_0***AB');
  });

  it('hides the rest of a generated key', () => {
    const key = generateApiKey('private_key');
    const shown = displayIdOf(key);
    expect(shown).toBe(`${key.slice(0, 5)}***${key.slice(-2)}`);
    expect(shown).toHaveLength(10);
    expect(shown).not.toContain(key.slice(5, -2));
  });
});
