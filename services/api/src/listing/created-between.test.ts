import { describe, expect, it } from 'vitest';
import { createdBetween } from './created-between.ts';
import { thrown } from '../errors/thrown.test-helper.ts';

describe('createdBetween', () => {
  it('adds nothing when neither bound is given', () => {
    expect(createdBetween(undefined, undefined)).toEqual([]);
  });

  it('bounds created_at inclusively on each given side', () => {
    const start = '2025-01-01T00:00:00Z';
    const end = '2025-02-01T00:00:00+01:00';
    expect(createdBetween(start, undefined)).toEqual([{ createdAt: { $gte: new Date(start) } }]);
    expect(createdBetween(undefined, end)).toEqual([{ createdAt: { $lte: new Date('2025-01-31T23:00:00Z') } }]);
    expect(createdBetween(start, end)).toHaveLength(2);
    expect(createdBetween(start, start)).toHaveLength(2);
  });

  it('refuses an end before the start, naming end_time', () => {
    const err = thrown(() => createdBetween('2025-02-01T00:00:00Z', '2025-01-01T00:00:00Z'));
    expect(err.details).toEqual({ end_time: 'must not be before start_time' });
  });

  it('refuses instants JavaScript cannot represent', () => {
    expect(thrown(() => createdBetween('2016-12-31T23:59:60Z', undefined)).details).toEqual({ start_time: 'is not a representable date-time' });
  });
});
