/**
 * Event time to the microsecond, which is what PostgreSQL's timestamptz keeps and a JS Date cannot
 * hold. Instants travel as canonical UTC strings (`2024-03-20T15:04:05.123456Z`), so what a client
 * sent, what is stored and what a cursor names stay the same instant.
 */

/** An instant: whole milliseconds since the epoch plus the microseconds below them (0–999). */
export type Instant = { ms: number; micros: number };

// RFC 3339 (and the `t`/space/`z` and colon-less offsets Ajv's date-time format also accepts).
const rfc3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)$/;

const firstMs = new Date('0001-01-01T00:00:00Z').getTime();
const lastMs = new Date('9999-12-31T23:59:59Z').getTime();

/** Parses an RFC 3339 date-time with offset; undefined when it is not one. Digits past the microsecond are dropped. */
export function parseInstant(text: string): Instant | undefined {
  const m = rfc3339.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, fraction = '', z, sign, oh = '0', om = '0'] = m;
  const offsetMinutes = z ? 0 : (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om));
  // setUTCFullYear, not Date.UTC, which reads years 0–99 as 1900–1999. A leap second (:60)
  // rolls into the next minute, as PostgreSQL does.
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 60 || Number(oh) > 23 || Number(om) > 59) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  if (date.getUTCMonth() !== Number(mo) - 1 || date.getUTCDate() !== Number(d)) return undefined; // 2025-02-30
  date.setUTCHours(Number(h), Number(mi), Number(s));
  const seconds = date.getTime() - offsetMinutes * 60_000;
  // Offsets may push the edge years out of 0001–9999, which ISO strings (and so the database) cannot carry.
  if (!(seconds >= firstMs && seconds <= lastMs)) return undefined;
  const digits = fraction.slice(0, 6).padEnd(6, '0');
  return { ms: seconds + Number(digits.slice(0, 3)), micros: Number(digits.slice(3)) };
}

export function instantOfDate(date: Date): Instant {
  return { ms: date.getTime(), micros: 0 };
}

/** `2024-03-20T15:04:05.123456Z`: always six fractional digits, for the database. */
export function toDatabaseTime(t: Instant): string {
  return `${new Date(t.ms).toISOString().slice(0, -1)}${String(t.micros).padStart(3, '0')}Z`;
}

/** Microseconds since the epoch, exactly. */
export function epochMicros(t: Instant): bigint {
  return BigInt(t.ms) * 1000n + BigInt(t.micros);
}

export function instantOfEpochMicros(micros: bigint): Instant {
  const ms = micros >= 0n ? micros / 1000n : -((-micros + 999n) / 1000n);
  return { ms: Number(ms), micros: Number(micros - ms * 1000n) };
}

/**
 * The database's `YYYY-MM-DDTHH:MI:SS.US` (UTC) as FlexPrice prints times: RFC 3339 in UTC with
 * trailing fractional zeros dropped (`…:05Z`, `…:05.12Z`, `…:05.123456Z`).
 */
export function toWireTime(databaseText: string): string {
  const [whole, fraction = ''] = databaseText.split('.');
  const digits = fraction.replace(/0+$/, '');
  return digits ? `${whole}.${digits}Z` : `${whole}Z`;
}
