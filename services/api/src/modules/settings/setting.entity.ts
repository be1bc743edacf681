import { defineEntity, p } from '@mikro-orm/core';
import { environmentRecord, inEnvironment } from '../../db/base-properties.ts';

/** A setting's stored value: a JSON object whose shape its key defines (settings.convert.ts). */
export type SettingValue = Record<string, unknown>;

/**
 * An environment's value of one setting (FlexPrice's `/settings/{key}`): at most one row per key
 * (unique). Deleting the setting removes the row, so the key's defaults apply again.
 */
export const SettingSchema = defineEntity(environmentRecord('Setting', 'settings', {
  key: p.string().length(64),
  value: p.json<SettingValue>(),
}, {
  uniques: [inEnvironment('settings_key_uq', ['key'])],
}));
export class Setting extends SettingSchema.class {}
SettingSchema.setClass(Setting);
