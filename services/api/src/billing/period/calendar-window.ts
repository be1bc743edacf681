import { DateTime } from 'luxon';
import { clockOf, type ZoneClock } from './zone-clock.ts';

export const windowSizes = ['MINUTE', '15MIN', '30MIN', 'HOUR', '3HOUR', '6HOUR', '12HOUR', 'DAY', 'WEEK', 'MONTH'] as const;
export type WindowSize = (typeof windowSizes)[number];

/** Shorter windows first: a window may be cut into buckets of the same size or shorter. */
export const windowRank = (size: WindowSize): number => windowSizes.indexOf(size);

/**
 * Where calendar windows are cut: an IANA time zone, and for MONTH windows an optional billing
 * anchor (an instant; its day of month and wall-clock time in `timezone` mark each month's start).
 */
export type Calendar = { timezone: string; billingAnchor?: Date };

const second = 1_000;
const minute = 60_000;
const hour = 3_600_000;

/** Windows that are a fixed number of minutes inside a wall-clock hour. */
const subHour: Partial<Record<WindowSize, number>> = { MINUTE: minute, '15MIN': 15 * minute, '30MIN': 30 * minute, HOUR: hour };
/** Windows of several hours, aligned to local midnight. */
const multiHour: Partial<Record<WindowSize, number>> = { '3HOUR': 3, '6HOUR': 6, '12HOUR': 12 };

/** The start of the wall-clock hour holding `t`, keeping t's UTC offset (two hours when clocks go back). */
function hourStart(clock: ZoneClock, t: number): number {
  const w = clock.wall(t);
  return t - w.minute * minute - w.second * second - w.millisecond;
}

type Anchor = { day: number; hour: number; minute: number; second: number; millisecond: number };

function anchorOf(clock: ZoneClock, billingAnchor: Date): Anchor {
  const w = clock.wall(billingAnchor.getTime());
  return { day: w.day, hour: w.hour, minute: w.minute, second: w.second, millisecond: w.millisecond };
}

/** Wall-clock start of the anchored month (year, month): the anchor day, clamped to the month's length. */
function anchoredWall(year: number, month: number, anchor: Anchor): DateTime {
  const first = DateTime.utc(year, month, 1);
  return first.set({ day: Math.min(anchor.day, first.daysInMonth ?? 28), hour: anchor.hour, minute: anchor.minute, second: anchor.second, millisecond: anchor.millisecond });
}

/** Wall-clock start of the calendar window (3HOUR…MONTH, unanchored) holding the wall-clock time `w`. */
function calendarWall(w: DateTime, size: WindowSize): DateTime {
  const midnight = w.startOf('day');
  const hours = multiHour[size];
  if (hours) return midnight.set({ hour: Math.floor(w.hour / hours) * hours });
  if (size === 'DAY') return midnight;
  // Weeks start on Sunday, as FlexPrice's windows do (ClickHouse toStartOfWeek mode 0).
  if (size === 'WEEK') return midnight.minus({ days: w.weekday % 7 });
  return w.startOf('month');
}

function calendarStep(w: DateTime, size: WindowSize): DateTime {
  const hours = multiHour[size];
  if (hours) return w.plus({ hours });
  if (size === 'DAY') return w.plus({ days: 1 });
  if (size === 'WEEK') return w.plus({ days: 7 });
  return w.plus({ months: 1 });
}

/**
 * The start of the `size` window holding instant `t` (epoch ms), in the calendar's zone:
 * - MINUTE, 15MIN, 30MIN, HOUR: wall-clock minutes and hours, each a fixed length (the repeated
 *   hour when clocks go back is two windows);
 * - 3HOUR, 6HOUR, 12HOUR: wall-clock hours 0, 3, 6… (0, 6…; 0, 12) of the local day;
 * - DAY: local midnight (a DST day is 23 or 25 hours long); WEEK: local midnight of Sunday;
 * - MONTH: local midnight of the 1st, or with a billing anchor the anchor's day of month (clamped
 *   to the month's length: an anchor on the 31st gives Jan 31, Feb 28/29, Mar 31, Apr 30) at the
 *   anchor's wall-clock time.
 */
export function windowStart(t: number, size: WindowSize, calendar: Calendar): number {
  const clock = clockOf(calendar.timezone);
  const fixed = subHour[size];
  if (fixed) {
    const h = hourStart(clock, t);
    return h + Math.floor((t - h) / fixed) * fixed;
  }
  const w = clock.wall(t);
  if (size === 'MONTH' && calendar.billingAnchor) {
    const anchor = anchorOf(clock, calendar.billingAnchor);
    const start = clock.instant(anchoredWall(w.year, w.month, anchor));
    if (start <= t) return start;
    const previous = w.startOf('month').minus({ months: 1 });
    return clock.instant(anchoredWall(previous.year, previous.month, anchor));
  }
  return clock.instant(calendarWall(w, size));
}

/** The start of the window after the one starting at `start`. */
export function nextWindowStart(start: number, size: WindowSize, calendar: Calendar): number {
  const clock = clockOf(calendar.timezone);
  const fixed = subHour[size];
  if (fixed) {
    const next = windowStart(start + fixed, size, calendar);
    return next > start ? next : start + fixed;
  }
  const w = clock.wall(start);
  if (size === 'MONTH' && calendar.billingAnchor) {
    const anchor = anchorOf(clock, calendar.billingAnchor);
    for (let month = w.startOf('month'); ; month = month.plus({ months: 1 })) {
      const candidate = clock.instant(anchoredWall(month.year, month.month, anchor));
      if (candidate > start) return candidate;
    }
  }
  for (let next = calendarStep(calendarWall(w, size), size); ; next = calendarStep(next, size)) {
    const candidate = clock.instant(next);
    if (candidate > start) return candidate;
  }
}

export class TooManyWindowsError extends Error {
  readonly limit: number;
  constructor(limit: number) {
    super(`more than ${limit} windows`);
    this.name = 'TooManyWindowsError';
    this.limit = limit;
  }
}

/** Most windows one usage query may return. */
export const maxWindows = 50_000;

/**
 * The starts of the windows that meet the half-open range [start, end), in order. The first one
 * may begin before `start` (windows are calendar windows, labelled by their own start).
 */
export function windowStarts(start: number, end: number, size: WindowSize, calendar: Calendar, limit = maxWindows): number[] {
  if (end <= start) return [];
  const starts = [windowStart(start, size, calendar)];
  for (let next = nextWindowStart(starts[0], size, calendar); next < end; next = nextWindowStart(next, size, calendar)) {
    if (starts.length >= limit) throw new TooManyWindowsError(limit);
    starts.push(next);
  }
  return starts;
}
