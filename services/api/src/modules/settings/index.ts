/** Settings, as other modules may use them. */
export { SettingsReader, SettingsService } from './settings.service.ts';
export type { BonusCreditsTopupConfig } from './settings.convert.ts';
