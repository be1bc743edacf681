import { describe, expect, it } from 'vitest';
import { isCountryCode } from './country.ts';

describe('isCountryCode', () => {
  it('accepts assigned ISO 3166-1 alpha-2 codes', () => {
    for (const code of ['US', 'DE', 'GB', 'JP', 'IN', 'BR', 'AQ']) expect(isCountryCode(code), code).toBe(true);
  });

  it('refuses unassigned codes and ICU regions that are not countries', () => {
    for (const code of ['XX', 'AA', 'ZZ', 'EU', 'EZ', 'UN', 'QO']) expect(isCountryCode(code), code).toBe(false);
  });

  it('refuses lower case, alpha-3 and other shapes', () => {
    for (const code of ['us', 'De', 'USA', 'U', '', '12', 'U1']) expect(isCountryCode(code), code).toBe(false);
  });
});
