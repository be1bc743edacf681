/**
 * JSON whose numbers keep every digit. `JSON.parse` reads numbers as doubles, which would turn a
 * property of 12345678901234567891 into 12345678901234567000, or 0.1000000000000000055 into 0.1,
 * before it reaches the database: a usage property must be aggregated exactly as sent. A number
 * that a double cannot hold exactly is kept as its source text (`JSON.rawJSON`), which
 * `JSON.stringify` writes back verbatim, so PostgreSQL's jsonb stores it as the exact numeric.
 */

type ReviverContext = { source?: string };
type JsonWithSource = {
  parse(text: string, reviver: (this: unknown, key: string, value: unknown, context: ReviverContext) => unknown): unknown;
  rawJSON(text: string): unknown;
};
const json = JSON as unknown as JsonWithSource;

function keepDigits(this: unknown, key: string, value: unknown, context: ReviverContext): unknown {
  if (typeof value === 'number' && context.source !== undefined && JSON.stringify(value) !== context.source) {
    return json.rawJSON(context.source);
  }
  return value;
}

/** Parses JSON; numbers a double cannot hold exactly stay exact (see above). Throws SyntaxError on bad JSON. */
export function parseExactJson(text: string): unknown {
  return json.parse(text, keepDigits);
}
