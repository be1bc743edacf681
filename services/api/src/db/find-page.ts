import type { EntityName } from '@mikro-orm/core';
import type { ListConditions } from '../listing/list-where.ts';
import type { Page } from '../listing/pagination.ts';
import type { Tx } from './transactions.ts';

/** One page of a list and the count of all its rows. */
export type PageOf<T> = { items: T[]; total: number };

/** The page of rows matching every condition (ANDed), in the list's order. */
export async function findPage<E extends object>(tx: Tx, entity: EntityName<E>, list: ListConditions, page: Page, where: Record<string, unknown>[] = []): Promise<PageOf<E>> {
  const [items, total] = await tx.findAndCount(entity, { $and: [...list.where, ...where] } as never, {
    orderBy: list.orderBy as never,
    limit: page.limit,
    offset: page.offset,
  });
  return { items, total };
}
