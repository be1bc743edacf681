import type { AuthContext } from '../../auth-context.ts';
import { bonusForPurchase, type BonusSlab, type EarnedBonus } from '../../billing/wallets/index.ts';
import { ExactDecimal } from '../../billing/money/index.ts';
import type { Tx } from '../../db/transactions.ts';

/** The environment's bonus-credit slabs for purchased top-ups, highest threshold first ([] when none apply), read in the purchase's unit of work. */
export type BonusSlabs = (tx: Tx, auth: AuthContext) => Promise<BonusSlab[]>;

/** A bonus the request gives: `credits` (null: none given) and the expiry it asks for (null: none given). */
export type ExplicitBonus = { credits: string | null; expiryDate: Date | null };

/**
 * The bonus of a purchase of `credits` at `now` (direct, invoiced or automatic): the request's own
 * `bonus_credits_to_add` when given, else what the environment's slabs give — expiring at the
 * request's `bonus_credits_expiry_date_utc` when given, else after the slab's duration. Null: no
 * bonus (a slab's bonus of 0 adds nothing, as in FlexPrice).
 */
export async function purchaseBonus(slabs: BonusSlabs, tx: Tx, auth: AuthContext, credits: ExactDecimal, now: Date, explicit: ExplicitBonus): Promise<EarnedBonus | null> {
  if (explicit.credits !== null) return { credits: new ExactDecimal(explicit.credits), expiryDate: explicit.expiryDate };
  const earned = bonusForPurchase(await slabs(tx, auth), credits, now);
  if (!earned || earned.credits.lte(0)) return null;
  return { credits: earned.credits, expiryDate: explicit.expiryDate ?? earned.expiryDate };
}
