/** Prices, as other modules may use them. */
export { PriceService } from './price.service.ts';
export type { Price } from './price.entity.ts';
export { toPriceResponse, type PriceEmbeds, type PriceResponse, type PriceView } from './price.convert.ts';
