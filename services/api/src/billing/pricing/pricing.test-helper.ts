import { expect } from 'vitest';
import { PricingError } from './errors.ts';
import { priceCost } from './price-cost.ts';
import { readPrice, type PriceDefinition } from './rated-price.ts';

/** Parse once, then price: what a caller holding a stored price does. */
export const costOf = (price: PriceDefinition, quantity: string) => priceCost(readPrice(price), quantity);

/** Runs `fn`, expects it to throw a PricingError, and returns its problems as `[kind, field]`. */
export function problemsOf(fn: () => unknown): [string, string][] {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(PricingError);
    return (err as PricingError).problems.map((p) => [p.kind, p.field]);
  }
  throw new Error('expected a PricingError, nothing was thrown');
}
