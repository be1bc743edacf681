/** Wallet ledger arithmetic: consumption order, conversions between credits and currency, the real-time balance, alert states. Pure. */
export { byConsumptionOrder, planConsumption, isUnexpired, creditsForAmount, valueOfCredits, quotientPlaces, type AvailableCredit, type Take } from './consumption.ts';
export { ongoingBalance, unpaidAgainstWallet, type AllowedPriceTypes, type OngoingBalance, type UnpaidInvoice } from './ongoing.ts';
export { alertStateOf, alertTransition, alertStates, severest, severity, type AlertLevels, type AlertState, type AlertThresholdSetting } from './alerts.ts';
export { bonusForPurchase, bonusValueTypes, bonusExpiryUnits, type BonusSlab, type BonusValueType, type BonusExpiryUnit, type EarnedBonus } from './bonus-slabs.ts';
