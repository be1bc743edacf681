import { notFound } from './app-error.ts';

/** `row`, or 404 naming what was looked for (`Plan`, by `id`, with `value`) when there is none. */
export function orNotFound<T>(row: T | null | undefined, entity: string, field: string, value: string): T {
  if (row === null || row === undefined) throw notFound(entity, field, value);
  return row;
}
