import { invalidFields } from './app-error.ts';

/**
 * What is wrong with an input, by wire field path (`tiers[2].up_to`): parsers collect every
 * problem before refusing, so one 400 names them all.
 */
export type Problems = Record<string, string>;

/** Refuses with 400 `validation_error` naming every field, when there is anything to refuse. */
export function throwIfProblems(problems: Problems): void {
  if (Object.keys(problems).length) throw invalidFields(problems);
}
