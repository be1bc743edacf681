import type { AuthContext } from '../../auth-context.ts';
import type { Tx } from '../../db/transactions.ts';
import { notFound } from '../../errors/app-error.ts';
import { touch } from '../../records.ts';
import type { ServiceContext } from '../../service-context.ts';
import type { Setting, SettingValue } from './setting.entity.ts';
import { SettingRepo } from './setting.repo.ts';
import { readBonusConfig, settingDefaults, settingKeyOf, type BonusCreditsTopupConfig, type SettingKey, type SettingView } from './settings.convert.ts';

/** The key's value checked and normalised by its own reader (each key Tally keeps has one). */
const readers: Record<SettingKey, (value: SettingValue) => { stored: SettingValue }> = {
  bonus_credits_topup_config: readBonusConfig,
};

const viewOf = (key: SettingKey, row: Setting | null): SettingView =>
  row
    ? { id: row.id, key, value: { ...settingDefaults[key], ...row.value }, environmentId: row.environmentId, tenantId: row.tenantId, status: row.status, createdAt: row.createdAt, updatedAt: row.updatedAt, createdBy: row.createdBy ?? null, updatedBy: row.updatedBy ?? null }
    : { id: null, key, value: { ...settingDefaults[key] }, environmentId: null, tenantId: null, status: null, createdAt: null, updatedAt: null, createdBy: null, updatedBy: null };

/**
 * `/settings/{key}`: an environment's settings, each a JSON value over its key's defaults
 * (docs/api/settings.md). Only the keys Tally uses are kept; FlexPrice's others are refused by name.
 */
export class SettingsService {
  readonly #ctx: ServiceContext;
  readonly #repo = new SettingRepo();

  constructor(ctx: ServiceContext) {
    this.#ctx = ctx;
  }

  get(auth: AuthContext, rawKey: string): Promise<SettingView> {
    const key = settingKeyOf(rawKey);
    return this.#ctx.db.read(async (tx) => viewOf(key, await this.#repo.of(tx, auth, key)));
  }

  /** `value`'s top-level fields replace the stored ones (the others stay); the result is checked whole before it is kept. */
  update(auth: AuthContext, rawKey: string, value: SettingValue): Promise<SettingView> {
    const key = settingKeyOf(rawKey);
    return this.#ctx.db.run(async (tx) => {
      const now = this.#ctx.clock.now();
      const row = await this.#repo.lockedOrCreated(tx, auth, key, settingDefaults[key], now);
      const { stored } = readers[key]({ ...settingDefaults[key], ...row.value, ...value });
      row.value = stored;
      touch(row, auth, now);
      return viewOf(key, row);
    });
  }

  delete(auth: AuthContext, rawKey: string): Promise<void> {
    const key = settingKeyOf(rawKey);
    return this.#ctx.db.run(async (tx) => {
      if (!(await this.#repo.remove(tx, auth, key))) throw notFound('Setting', 'key', key);
    });
  }
}

/** What other modules read of settings, inside their own unit of work. */
export class SettingsReader {
  readonly #repo = new SettingRepo();

  /** The bonus-credit slabs of purchased top-ups: the stored setting, or off (no slabs) when none is stored. */
  async bonusCreditsTopup(tx: Tx, auth: AuthContext): Promise<BonusCreditsTopupConfig> {
    const row = await this.#repo.of(tx, auth, 'bonus_credits_topup_config');
    return row ? readBonusConfig({ ...settingDefaults.bonus_credits_topup_config, ...row.value }).config : { enabled: false, slabs: [] };
  }
}
