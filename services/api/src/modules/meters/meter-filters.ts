import type { MeterFilter } from './meter.entity.ts';

/**
 * FlexPrice's additive filter update: a new key is appended, new values of an existing key are
 * appended to it, and nothing is removed or reordered (usage already measured stays explainable).
 * Unlike FlexPrice, which rebuilds the list from a map, the order of keys and values is kept.
 */
export function mergeMeterFilters(existing: MeterFilter[], added: MeterFilter[]): MeterFilter[] {
  const merged = existing.map((f) => ({ key: f.key, values: [...f.values] }));
  for (const filter of added) {
    let target = merged.find((f) => f.key === filter.key);
    if (!target) {
      target = { key: filter.key, values: [] };
      merged.push(target);
    }
    for (const value of filter.values) if (!target.values.includes(value)) target.values.push(value);
  }
  return merged;
}

/** Whether merging changed anything: an update that adds nothing new leaves the meter untouched. */
export function sameFilters(a: MeterFilter[], b: MeterFilter[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
