import type { RequiredEntityData } from '@mikro-orm/core';
import { scopeOf, type AuthContext } from '../../auth-context.ts';
import type { PageOf } from '../../db/find-page.ts';
import type { Tx } from '../../db/transactions.ts';
import type { Page } from '../../listing/pagination.ts';
import { WebhookEndpoint } from './webhook-endpoint.entity.ts';

/** Every query of webhook endpoints, always within the caller's environment. */
export class WebhookEndpointRepo {
  /** A live (not deleted) endpoint. */
  findLive(tx: Tx, auth: AuthContext, id: string): Promise<WebhookEndpoint | null> {
    return tx.findOne(WebhookEndpoint, { ...scopeOf(auth), id, status: 'published' });
  }

  async page(tx: Tx, auth: AuthContext, page: Page): Promise<PageOf<WebhookEndpoint>> {
    const [items, total] = await tx.findAndCount(
      WebhookEndpoint,
      { ...scopeOf(auth), status: 'published' },
      { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], limit: page.limit, offset: page.offset },
    );
    return { items, total };
  }

  /** How many live endpoints of the environment deliver over plain `http`. */
  countHttp(tx: Tx, auth: AuthContext): Promise<number> {
    return tx.count(WebhookEndpoint, { ...scopeOf(auth), status: 'published', url: { $like: 'http:%' } });
  }

  /** Stored when the transaction commits. */
  add(tx: Tx, endpoint: RequiredEntityData<WebhookEndpoint>): WebhookEndpoint {
    return tx.create(WebhookEndpoint, endpoint);
  }

  /** Written now (inside the transaction), so statements that follow in it see the change. */
  flush(tx: Tx): Promise<void> {
    return tx.flush();
  }
}
