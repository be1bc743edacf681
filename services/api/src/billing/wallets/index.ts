/** Wallet ledger arithmetic: consumption order, conversions between credits and currency. Pure. */
export { byConsumptionOrder, planConsumption, isUnexpired, creditsForAmount, valueOfCredits, quotientPlaces, type AvailableCredit, type Take } from './consumption.ts';
