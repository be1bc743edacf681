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

/**
 * A request's `start_time` / `end_time` window, each parsed as `parseDateInput` does; an end before
 * the start is recorded in `errors` under `end_time`.
 */
export function parseTimeWindow(input: { start_time?: string; end_time?: string }, errors: Record<string, string>): { start?: Date; end?: Date } {
  const start = parseDateInput(input.start_time, 'start_time', errors) ?? undefined;
  const end = parseDateInput(input.end_time, 'end_time', errors) ?? undefined;
  if (start && end && end < start) errors.end_time = 'must not be before start_time';
  return { start, end };
}
