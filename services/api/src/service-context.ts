import type { Clock } from './clock.ts';
import type { Transactions } from './db/transactions.ts';

/** What every service is built with: where its units of work come from, and the time. */
export type ServiceContext = { db: Transactions; clock: Clock };
