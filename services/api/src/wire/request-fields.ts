import { throwIfProblems, type Problems } from '../errors/problems.ts';

/** An optional text field of a request: absent stays absent (`undefined`), empty means none (`null`). */
export const emptyToNull = (s: string | undefined): string | null | undefined => (s === undefined ? undefined : s === '' ? null : s);

/** A problem for each given text field that is empty or only whitespace (absent ones pass), named `prefix` + field. */
export function blankProblems(fields: Record<string, string | undefined>, prefix = ''): Problems {
  const problems: Problems = {};
  for (const [field, value] of Object.entries(fields)) if (value !== undefined && value.trim() === '') problems[`${prefix}${field}`] = 'must not be blank';
  return problems;
}

/**
 * FlexPrice's clone requests (a feature's, a plan's): a new name and lookup key, neither blank, and
 * optionally a description (empty clears it) and metadata; `undefined` keeps the source's.
 */
export function fromCloneRequest<M>(body: { name: string; lookup_key: string; description?: string; metadata?: M }) {
  throwIfProblems(blankProblems({ name: body.name, lookup_key: body.lookup_key }));
  return { name: body.name, lookupKey: body.lookup_key, description: emptyToNull(body.description), metadata: body.metadata };
}
