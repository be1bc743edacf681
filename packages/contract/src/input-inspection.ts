/**
 * Checks of every value a request carries (path, query, JSON body) that no schema can express and
 * that the database or the JavaScript runtime would otherwise trip over later:
 *
 * - U+0000: PostgreSQL text and jsonb cannot hold it.
 * - a lone UTF-16 surrogate (`"\ud800"` in JSON): jsonb refuses it (a 500 deep in a write) and text
 *   columns silently store U+FFFD, so the stored value would differ from the one acknowledged.
 * - a `__proto__` key: a plain data key after JSON.parse, but any later `obj[key] = value` would
 *   replace the object's prototype instead of storing it. Refused rather than stored.
 * - nesting deeper than {@link maxJsonDepth}: no billing object needs it, and recursive code
 *   (validators, serializers, the database's jsonb) has a stack.
 *
 * The walk is iterative, so no input can overflow the stack, and it stops after
 * {@link maxReportedProblems} problems.
 */

/** Deepest nesting a JSON body may have; the body itself is level 1 (`{"a":{"b":1}}` is 2 deep). */
export const maxJsonDepth = 32;
const maxReportedProblems = 20;

export type InputProblems = Record<string, string>;

const childPath = (parent: string, key: string) => (parent ? `${parent}.${key}` : key);

function stringProblem(value: string): string | undefined {
  if (value.includes('\u0000')) return 'must not contain the NUL character (U+0000)';
  if (!value.isWellFormed()) return 'must be valid Unicode (it holds an unpaired UTF-16 surrogate)';
  return undefined;
}

function keyProblem(key: string): string | undefined {
  if (key === '__proto__') return 'must not use "__proto__" as a key';
  const bad = stringProblem(key);
  return bad && `must not have a key that is not valid text (${bad})`;
}

/**
 * Every problem found in `value`, by field path (`metadata.k`, `events[3].properties`); `root`
 * names the value itself (`body`, `query`, `path`). Empty when the value is clean.
 */
export function inspectInput(value: unknown, root: string): InputProblems {
  // A Map, not an object: `problems["__proto__"] = …` would replace a plain object's prototype.
  const problems = new Map<string, string>();
  const report = (field: string, message: string) => {
    if (!problems.has(field)) problems.set(field, message);
  };
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: '', depth: 1 }];
  while (stack.length && problems.size < maxReportedProblems) {
    const item = stack.pop()!;
    const at = item.path || root;
    if (typeof item.value === 'string') {
      const bad = stringProblem(item.value);
      if (bad) report(at, bad);
      continue;
    }
    if (item.value === null || typeof item.value !== 'object') continue;
    if (item.depth > maxJsonDepth) {
      report(at, `is nested too deeply: JSON may nest at most ${maxJsonDepth} levels`);
      continue;
    }
    if (Array.isArray(item.value)) {
      for (let i = item.value.length - 1; i >= 0; i--) stack.push({ value: item.value[i], path: `${item.path}[${i}]`, depth: item.depth + 1 });
      continue;
    }
    const keys = Object.keys(item.value);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i];
      const bad = keyProblem(key);
      // A key that cannot be shown safely is named by the object holding it.
      if (bad) report(key === '__proto__' ? childPath(item.path, key) : at, bad);
      else stack.push({ value: (item.value as Record<string, unknown>)[key], path: childPath(item.path, key), depth: item.depth + 1 });
    }
  }
  // fromEntries defines own properties, so a "__proto__" field is a plain key of the result.
  return Object.fromEntries(problems);
}
