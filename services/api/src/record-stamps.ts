import { scopeOf, type AuthContext } from './auth-context.ts';

/** The columns every new record gets: the caller's scope, published, created and last changed by the caller at `now`. */
export function newRecord(auth: AuthContext, now: Date) {
  return { ...scopeOf(auth), status: 'published', createdAt: now, updatedAt: now, createdBy: auth.secretId, updatedBy: auth.secretId };
}

/** Marks `record` as last changed by the caller at `now`. */
export function touch(record: { updatedAt: Date; updatedBy?: string | null }, auth: AuthContext, now: Date): void {
  record.updatedAt = now;
  record.updatedBy = auth.secretId;
}
