import { describe, expect, it } from 'vitest';
import { defaultLimit, maxOffset, pageOf, paginationOf } from './pagination.ts';
import { thrown } from '../errors/thrown.test-helper.ts';

describe('pageOf', () => {
  it('defaults to limit 50, offset 0', () => {
    expect(defaultLimit).toBe(50);
    expect(pageOf({})).toEqual({ limit: 50, offset: 0 });
  });

  it('treats limit 0 as the default, as FlexPrice does', () => {
    expect(pageOf({ limit: 0, offset: 20 })).toEqual({ limit: 50, offset: 20 });
  });

  it('keeps a given limit and offset', () => {
    expect(pageOf({ limit: 3, offset: 6 })).toEqual({ limit: 3, offset: 6 });
    expect(pageOf({ limit: 1 })).toEqual({ limit: 1, offset: 0 });
    expect(pageOf({ limit: 1000, offset: 0 })).toEqual({ limit: 1000, offset: 0 });
  });

  it.each([1001, -1, 2.5])('refuses limit %s, naming limit with FlexPrice’s words', (limit) => {
    const err = thrown(() => pageOf({ limit }));
    expect(err.code).toBe('validation_error');
    expect(err.details).toEqual({ limit: 'must be between 1 and 1000' });
  });

  it.each([-1, 1.5, maxOffset + 1, 2 ** 63])('refuses offset %s, naming offset', (offset) => {
    const err = thrown(() => pageOf({ offset }));
    expect(err.code).toBe('validation_error');
    expect(Object.keys(err.details ?? {})).toEqual(['offset']);
  });

  it('accepts the largest offset whose next-page offset is still exact', () => {
    expect(maxOffset + 1000).toBe(Number.MAX_SAFE_INTEGER);
    expect(pageOf({ offset: maxOffset, limit: 1000 })).toEqual({ limit: 1000, offset: maxOffset });
  });

  it('names a bad limit and a bad offset together', () => {
    expect(Object.keys(thrown(() => pageOf({ limit: 5000, offset: -3 })).details ?? {}).sort()).toEqual(['limit', 'offset']);
  });
});

describe('paginationOf', () => {
  it('returns offset = request offset + limit (the next page), as FlexPrice does', () => {
    expect(paginationOf(7, { limit: 3, offset: 0 })).toEqual({ total: 7, limit: 3, offset: 3 });
    expect(paginationOf(7, { limit: 3, offset: 3 })).toEqual({ total: 7, limit: 3, offset: 6 });
    expect(paginationOf(7, { limit: 3, offset: 6 })).toEqual({ total: 7, limit: 3, offset: 9 });
  });

  it('does not clamp past the end or on an empty result', () => {
    expect(paginationOf(0, { limit: 50, offset: 0 })).toEqual({ total: 0, limit: 50, offset: 50 });
    expect(paginationOf(7, { limit: 50, offset: 100 })).toEqual({ total: 7, limit: 50, offset: 150 });
  });

  it('composes with pageOf for the default page', () => {
    expect(paginationOf(120, pageOf({}))).toEqual({ total: 120, limit: 50, offset: 50 });
    expect(paginationOf(120, pageOf({ limit: 0, offset: 50 }))).toEqual({ total: 120, limit: 50, offset: 100 });
  });
});
