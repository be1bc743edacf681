import type { EntityClass, EntityManager } from '@mikro-orm/core';

/**
 * The data of `source` — every property of its entity, JSON and dates deep-copied — with `overrides`
 * on top, ready for `em.create`. Copying every property (not a hand-kept list) means a column added to
 * prices or entitlements later is cloned with the plan without anyone remembering to add it here.
 */
export function copyRow<T extends object>(em: EntityManager, entity: EntityClass<T>, source: T, overrides: Partial<Record<keyof T, unknown>>): T {
  const data: Record<string, unknown> = {};
  for (const prop of em.getMetadata().get(entity).props) {
    const value = (source as Record<string, unknown>)[prop.name];
    data[prop.name] = value !== null && typeof value === 'object' ? structuredClone(value) : value;
  }
  return { ...data, ...overrides } as T;
}
