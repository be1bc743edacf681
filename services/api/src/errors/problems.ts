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

/** What a parser read of a request, with what is wrong with it (nothing: `{}`). */
export type Read<T> = { value: T; problems: Problems };

/** The value read, or 400 naming every problem. */
export function valueOrThrow<T>({ value, problems }: Read<T>): T {
  throwIfProblems(problems);
  return value;
}

/** Every item of a bulk request read before any is refused, so one 400 names every problem as `items[i].<field>`. */
export function itemsOrThrow<I, T>(items: I[], read: (item: I, prefix: string) => Read<T>): T[] {
  const problems: Problems = {};
  const values = items.map((item, i) => {
    const one = read(item, `items[${i}].`);
    Object.assign(problems, one.problems);
    return one.value;
  });
  throwIfProblems(problems);
  return values;
}
