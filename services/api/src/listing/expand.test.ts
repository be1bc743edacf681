import { describe, expect, it } from 'vitest';
import { thrown } from '../errors/thrown.test-helper.ts';
import { parseExpand } from './expand.ts';

const allowed = ['prices', 'meters', 'prices.meters', 'entitlements', 'entitlements.features'];

describe('parseExpand', () => {
  it('is empty for an absent or blank expand', () => {
    expect([...parseExpand(undefined, allowed)]).toEqual([]);
    expect([...parseExpand(' , ', allowed)]).toEqual([]);
  });

  it('reads a comma list, trimming spaces', () => {
    expect([...parseExpand('prices , entitlements', allowed)].sort()).toEqual(['entitlements', 'prices']);
  });

  it('a nested token implies its parent', () => {
    expect([...parseExpand('prices.meters', allowed)].sort()).toEqual(['prices', 'prices.meters']);
    expect([...parseExpand('entitlements.features,prices', allowed)].sort()).toEqual(['entitlements', 'entitlements.features', 'prices']);
  });

  it('refuses tokens off the allow-list, naming expand and listing what is allowed', () => {
    const err = thrown(() => parseExpand('prices,plans,credit_grant', allowed));
    expect(err.status).toBe(400);
    expect(err.details).toEqual({
      expand: "cannot expand 'plans', 'credit_grant'; allowed: prices, meters, prices.meters, entitlements, entitlements.features",
    });
  });

  it('is case-sensitive, as FlexPrice is', () => {
    expect(Object.keys(thrown(() => parseExpand('Prices', allowed)).details ?? {})).toEqual(['expand']);
  });
});
