import { describe, expect, it } from 'vitest';
import { mergeMeterFilters, sameFilters } from './meter-filters.ts';

describe('mergeMeterFilters — additive, as FlexPrice', () => {
  const existing = [
    { key: 'model', values: ['gpt-4o', 'o1-mini'] },
    { key: 'region', values: ['us'] },
  ];

  it('appends new values to an existing key, keeping the old ones first', () => {
    expect(mergeMeterFilters(existing, [{ key: 'model', values: ['gpt-4o-mini'] }])).toEqual([
      { key: 'model', values: ['gpt-4o', 'o1-mini', 'gpt-4o-mini'] },
      { key: 'region', values: ['us'] },
    ]);
  });

  it('appends a new key at the end', () => {
    expect(mergeMeterFilters(existing, [{ key: 'tier', values: ['pro'] }])).toEqual([...existing, { key: 'tier', values: ['pro'] }]);
  });

  it('never removes a value: values already there are not duplicated, absent ones stay', () => {
    expect(mergeMeterFilters(existing, [{ key: 'model', values: ['o1-mini'] }])).toEqual(existing);
  });

  it('merges repeated keys of one update', () => {
    expect(mergeMeterFilters([], [{ key: 'a', values: ['1'] }, { key: 'a', values: ['2', '1'] }])).toEqual([{ key: 'a', values: ['1', '2'] }]);
  });

  it('does not modify its inputs', () => {
    const before = JSON.stringify(existing);
    mergeMeterFilters(existing, [{ key: 'model', values: ['x'] }]);
    expect(JSON.stringify(existing)).toBe(before);
  });

  it('sameFilters tells whether anything changed', () => {
    expect(sameFilters(mergeMeterFilters(existing, [{ key: 'region', values: ['us'] }]), existing)).toBe(true);
    expect(sameFilters(mergeMeterFilters(existing, [{ key: 'region', values: ['eu'] }]), existing)).toBe(false);
  });
});
