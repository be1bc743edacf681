/**
 * An RFC 3339 date-time the schema already accepted, as a Date; null when absent. One the schema lets
 * through but JavaScript cannot represent (a leap second, `…T23:59:60Z`) is recorded in `errors` under
 * `field` and gives null.
 */
export function parseDateInput(value: string | undefined, field: string, errors: Record<string, string>): Date | null {
  if (value === undefined) return null;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    errors[field] = 'is not a representable date-time';
    return null;
  }
  return date;
}
