import type { AuthContext } from '../../auth-context.ts';
import type { PageOf } from '../../db/find-page.ts';
import { RecordRepo } from '../../db/record-repo.ts';
import type { Tx } from '../../db/transactions.ts';
import type { AddonQuery } from './addon.convert.ts';
import { Addon } from './addon.entity.ts';
import { addonSearchFields } from './addon.search.ts';
import { oneOf } from '../../listing/list-where.ts';

/** How other modules read addons (by id any status; by lookup key only a published one, as an archived one's key may since belong to another). */
export type AddonReader = Pick<AddonRepo, 'get' | 'getMany' | 'getPublished' | 'page'>;

/** Every query of addons. */
export class AddonRepo extends RecordRepo<Addon> {
  constructor() {
    super(Addon, addonSearchFields, 'addon');
  }

  page(tx: Tx, auth: AuthContext, query: AddonQuery): Promise<PageOf<Addon>> {
    return this.findPage(tx, auth, query, [...oneOf('id', query.addonIds), ...oneOf('lookupKey', query.lookupKeys)]);
  }
}
