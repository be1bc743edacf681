import { scopeOf, type AuthContext } from '../../auth-context.ts';
import { copyRow } from '../../db/copy-row.ts';
import type { Tx } from '../../db/transactions.ts';
import { notEndedAt } from './price-activity.ts';
import { Price, type PriceEntityType } from './price.entity.ts';

/** How other modules read prices: in their own unit of work, within the caller's environment. */
export type PriceReader = {
  /**
   * The published prices of these plans or addons, newest first (as FlexPrice lists them) unless
   * `order` says otherwise; those ended at `at` only with `endedToo`.
   */
  forOwners(
    tx: Tx,
    auth: AuthContext,
    entityType: PriceEntityType,
    ownerIds: string[],
    options: { endedToo: boolean; at: Date; order?: 'asc' | 'desc' },
  ): Promise<Price[]>;
};

/** Every query of prices, always within the caller's environment. */
export class PriceRepo implements PriceReader {
  forOwners(
    tx: Tx,
    auth: AuthContext,
    entityType: PriceEntityType,
    ownerIds: string[],
    { endedToo, at, order = 'desc' }: { endedToo: boolean; at: Date; order?: 'asc' | 'desc' },
  ): Promise<Price[]> {
    return tx.find(
      Price,
      { $and: [{ ...scopeOf(auth), entityType, entityId: { $in: ownerIds }, status: 'published' }, ...(endedToo ? [] : [notEndedAt(at)])] },
      { orderBy: [{ createdAt: order }, { id: order }] },
    );
  }

  /** A copy of every column of `source` with `overrides` on top, stored when the unit of work commits. */
  addCopy(tx: Tx, source: Price, overrides: Partial<Record<keyof Price, unknown>>): Price {
    return tx.create(Price, copyRow(tx, Price, source, overrides));
  }
}
