import type { HandlersOf } from '../../request-context.ts';
import { toSettingResponse } from './settings.convert.ts';
import type { SettingsService } from './settings.service.ts';

type SettingHandlers = HandlersOf<'getSetting' | 'updateSetting' | 'deleteSetting'>;

export function settingHandlers(settings: SettingsService): SettingHandlers {
  return {
    getSetting: async ({ path }, ctx) => toSettingResponse(await settings.get(ctx.auth, path.key)),
    updateSetting: async ({ path, body }, ctx) => toSettingResponse(await settings.update(ctx.auth, path.key, body.value)),
    deleteSetting: async ({ path }, ctx) => {
      await settings.delete(ctx.auth, path.key);
      return { message: 'Setting deleted successfully' };
    },
  };
}
