import type { EntityClass } from '@mikro-orm/core';
import type { Tx } from './transactions.ts';

/**
 * The data of `source` — every property of its entity, JSON and dates deep-copied — with `overrides`
 * on top, ready for `tx.create`. Copying every property (not a hand-kept list) means a column added to
 * a table later is copied too (a cloned plan's prices, a price's successor) without anyone
 * remembering to add it here.
 */
export function copyRow<T extends object>(tx: Tx, entity: EntityClass<T>, source: T, overrides: Partial<Record<keyof T, unknown>>): T {
  const data: Record<string, unknown> = {};
  for (const prop of tx.getMetadata().get(entity).props) {
    const value = (source as Record<string, unknown>)[prop.name];
    data[prop.name] = value !== null && typeof value === 'object' ? structuredClone(value) : value;
  }
  return { ...data, ...overrides } as T;
}
