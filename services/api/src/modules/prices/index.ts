/** Prices, as other modules may use them. */
import { PriceRepo, type PriceReader } from './price.repo.ts';

export { PriceService } from './price.service.ts';
export type { Price } from './price.entity.ts';
export type { PriceReader } from './price.repo.ts';
export { toPriceResponse, type PriceEmbeds, type PriceResponse, type PriceView } from './price.convert.ts';

/** Reads prices inside the caller's unit of work. */
export const priceReader: PriceReader = new PriceRepo();
