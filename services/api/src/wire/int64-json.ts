type JsonWithRaw = { rawJSON(text: string): unknown };

/**
 * An int64 held as a decimal string → a JSON number with every digit. Up to 2^53 − 1 it is a plain
 * number; past that it is a raw JSON value, which `JSON.stringify` writes verbatim, so a limit such as
 * 9223372036854775807 reaches the client unrounded.
 */
export function int64ToJson(digits: string | bigint): number {
  const text = String(digits);
  const n = Number(text);
  if (Number.isSafeInteger(n)) return n;
  return (JSON as unknown as JsonWithRaw).rawJSON(text) as number;
}
