/** Price units, as other modules may use them. */
import { PriceUnitRepo, type PriceUnitReader } from './price-unit.repo.ts';

export { PriceUnitService, type PriceUnitDeletionGuard } from './price-unit.service.ts';
export type { PriceUnit } from './price-unit.entity.ts';
export type { PriceUnitReader } from './price-unit.repo.ts';
export { toPriceUnitResponse, type PriceUnitResponse } from './price-unit.convert.ts';

/** Reads price units inside the caller's unit of work. */
export const priceUnitReader: PriceUnitReader = new PriceUnitRepo();
