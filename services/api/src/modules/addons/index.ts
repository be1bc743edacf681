/** Addons, as other modules may use them. */
import { AddonRepo, type AddonReader } from './addon.repo.ts';

export { AddonService, type AddonDeletionGuard } from './addon.service.ts';
export type { Addon } from './addon.entity.ts';
export type { AddonReader } from './addon.repo.ts';
export { fromAddonListRequest, toAddonResponse, type AddonContentsResponse, type AddonQuery, type AddonResponse } from './addon.convert.ts';

/** Reads addons inside the caller's unit of work. */
export const addonReader: AddonReader = new AddonRepo();
