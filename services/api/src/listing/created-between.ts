import { invalidFields } from '../errors/app-error.ts';

/**
 * FlexPrice's `start_time` / `end_time` on catalogue lists: `created_at` within [start, end], both
 * inclusive. An end before the start, or an instant JavaScript cannot represent, is refused.
 */
export function createdBetween(startTime: string | undefined, endTime: string | undefined): Record<string, unknown>[] {
  const errors: Record<string, string> = {};
  const start = startTime === undefined ? undefined : new Date(startTime);
  const end = endTime === undefined ? undefined : new Date(endTime);
  if (start && Number.isNaN(start.getTime())) errors.start_time = 'is not a representable date-time';
  if (end && Number.isNaN(end.getTime())) errors.end_time = 'is not a representable date-time';
  if (!Object.keys(errors).length && start && end && end < start) errors.end_time = 'must not be before start_time';
  if (Object.keys(errors).length) throw invalidFields(errors);
  return [...(start ? [{ createdAt: { $gte: start } }] : []), ...(end ? [{ createdAt: { $lte: end } }] : [])];
}
