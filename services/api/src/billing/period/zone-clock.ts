import { DateTime, IANAZone } from 'luxon';

const minute = 60_000;
const day = 86_400_000;

/**
 * Wall-clock time in a zone, and back. A wall-clock time is held as a luxon DateTime in UTC whose
 * fields are the local fields, so calendar arithmetic on it (next day, next month) never meets DST.
 */
export class ZoneClock {
  readonly zone: IANAZone;
  constructor(timezone: string) {
    this.zone = IANAZone.create(timezone);
    if (!this.zone.isValid) throw new RangeError(`unknown time zone '${timezone}'`);
  }

  offset(t: number): number {
    return this.zone.offset(t) * minute;
  }

  wall(t: number): DateTime {
    return DateTime.fromMillis(t + this.offset(t), { zone: 'utc' });
  }

  /**
   * The instant a wall-clock time names, resolved as PostgreSQL resolves `timestamp AT TIME ZONE`:
   * a time that occurs twice (clocks going back) is read with the offset after the transition, a
   * time that never occurs (clocks going forward) with the offset before it. Both give the later
   * of the two readings, so bucket starts computed in SQL and here agree.
   */
  instant(wall: DateTime): number {
    const local = wall.toMillis();
    const before = this.offset(local - day);
    const after = this.offset(local + day);
    const valid = [...new Set([before, after])].map((o) => local - o).filter((t) => this.offset(t) === local - t);
    return valid.length ? Math.max(...valid) : local - before;
  }
}

/** One clock per zone, kept: building a zone's offset table is the costly part. */
const clocks = new Map<string, ZoneClock>();
export function clockOf(timezone: string): ZoneClock {
  let clock = clocks.get(timezone);
  if (!clock) {
    clock = new ZoneClock(timezone);
    clocks.set(timezone, clock);
  }
  return clock;
}
