import { IANAZone } from 'luxon';

/**
 * The canonical spelling of an IANA time zone name, or undefined when it is not one.
 * UTC offsets such as `+01:00` are refused: FlexPrice wants a zone name.
 */
export function canonicalTimeZone(name: string): string | undefined {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(name)) return undefined;
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    return resolved.toLowerCase() === name.toLowerCase() ? resolved : name;
  } catch {
    return undefined;
  }
}

/** True when `timezone` is an IANA zone name luxon (and so every period and window here) can use. */
export function isKnownTimeZone(timezone: string): boolean {
  return IANAZone.isValidZone(timezone);
}
