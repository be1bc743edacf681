/**
 * Time, for billing: IANA time zones and calendar windows (usage `window_size` and buckets), cut
 * on the wall clock of a zone. Pure: no I/O, no clock — every instant is an argument.
 */
export { canonicalTimeZone, isKnownTimeZone } from './time-zone.ts';
export { windowSizes, windowRank, windowStart, nextWindowStart, windowStarts, maxWindows, TooManyWindowsError } from './calendar-window.ts';
export type { WindowSize, Calendar } from './calendar-window.ts';
