/** Prices, as other modules may use them. */
import { PriceRepo, type PriceReader } from './price.repo.ts';

export { PriceService, ratedPriceOf, type PriceOverride, type PriceOwnerSubscription, type SubscriptionOwnerReader } from './price.service.ts';
export type { Price, BillingPeriod } from './price.entity.ts';
export type { PriceReader };
export { toPriceResponse, readCreatePrice, amountOf, tiersOf, type NewPrice, type PriceEmbeds, type PriceResponse, type PriceView } from './price.convert.ts';

/** Reads prices by id inside the caller's unit of work. */
export const priceReader: PriceReader = new PriceRepo();
