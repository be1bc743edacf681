/** A record's life: created, changed and archived (FlexPrice's soft delete), stamped with who did it when. */
import { scopeOf, type AuthContext } from './auth-context.ts';
import type { Clock } from './clock.ts';

type Stamped = { status: string; updatedAt: Date; updatedBy?: string | null };

/** The columns every new record gets: the caller's scope, published, created and last changed by the caller at `now`. */
export function newRecord(auth: AuthContext, now: Date) {
  return { ...scopeOf(auth), status: 'published', createdAt: now, updatedAt: now, createdBy: auth.secretId, updatedBy: auth.secretId };
}

/**
 * FlexPrice's update of a record's plain fields: each one `changes` gives (not `undefined`) replaces
 * the record's, the others stay; the record is stamped as changed either way.
 */
export function change<R extends Omit<Stamped, 'status'>>(record: R, changes: Partial<R>, auth: AuthContext, now: Date): R {
  Object.assign(record, definedOnly(changes));
  touch(record, auth, now);
  return record;
}

/** The fields of `changes` that are given (not `undefined`): what an update sets. */
export function definedOnly<T extends object>(changes: T): Partial<T> {
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** Marks `record` as last changed by the caller at `now`. */
export function touch(record: Omit<Stamped, 'status'>, auth: AuthContext, now: Date): void {
  record.updatedAt = now;
  record.updatedBy = auth.secretId;
}

/**
 * FlexPrice's delete: the record is archived (it stays readable by id). An archived one is left as it
 * is; otherwise `first` runs before (deletion guards that may refuse, what goes with the record).
 * True when this call archived it.
 */
export async function archive(record: Stamped, auth: AuthContext, clock: Clock, first?: () => Promise<void>): Promise<boolean> {
  if (record.status === 'archived') return false;
  await first?.();
  record.status = 'archived';
  touch(record, auth, clock.now());
  return true;
}
