import { LockMode } from '@mikro-orm/core';
import { scopeOf, type AuthContext } from '../../auth-context.ts';
import { rawQuery, type Tx } from '../../db/transactions.ts';
import { newId } from '../../ids.ts';
import { Setting } from './setting.entity.ts';

/** Every query of settings (one row per environment and key). */
export class SettingRepo {
  of(tx: Tx, auth: AuthContext, key: string): Promise<Setting | null> {
    return tx.findOne(Setting, { ...scopeOf(auth), key });
  }

  /**
   * The key's row, locked until `tx` ends: created first (holding `initial`) when there is none, so
   * two concurrent updates of one key take turns instead of both inserting (the second would break
   * the unique index). A creation the caller then refuses rolls back with its transaction.
   */
  async lockedOrCreated(tx: Tx, auth: AuthContext, key: string, initial: Record<string, unknown>, now: Date): Promise<Setting> {
    await rawQuery(
      tx,
      `insert into settings (id, tenant_id, environment_id, key, value, status, created_at, updated_at, created_by, updated_by)
       values (?, ?, ?, ?, ?, 'published', ?, ?, ?, ?)
       on conflict (tenant_id, environment_id, key) do nothing`,
      [newId('setting'), auth.tenantId, auth.environmentId, key, JSON.stringify(initial), now, now, auth.secretId, auth.secretId],
    );
    return tx.findOneOrFail(Setting, { ...scopeOf(auth), key }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  }

  /** Removes the key's row; false when there was none. */
  async remove(tx: Tx, auth: AuthContext, key: string): Promise<boolean> {
    const removed = await tx.nativeDelete(Setting, { ...scopeOf(auth), key });
    return removed > 0;
  }
}
