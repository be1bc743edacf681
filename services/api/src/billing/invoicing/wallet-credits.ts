import { ExactDecimal, formatDecimal, zero } from '../money/index.ts';
import { nonNegativeOf } from './decimal-text.ts';
import { applyPrepaidCredits, type CreditableLine } from './prepaid-credits.ts';

/** A PRE_PAID wallet as prepaid credits see it: what its unexpired credits are worth in the invoice currency, and the price types it may pay. */
export type CreditWallet = { id: string; value: string; allowedPriceTypes: readonly string[] };

export type WalletCredits = {
  /** Per line, in order: `prepaid_credits_applied` (the sum over the wallets). */
  lines: { id: string; prepaidCreditsApplied: string }[];
  /** `total_prepaid_credits_applied`. */
  totalPrepaidCreditsApplied: string;
  /** What each wallet pays, in the currency (whole minor units), in the order they paid; wallets that pay nothing are left out. */
  byWallet: { walletId: string; amount: string }[];
};

/** Whether a wallet whose `allowed_price_types` is `allowed` may pay usage (an empty list does not restrict). */
const paysUsage = (allowed: readonly string[]) => allowed.length === 0 || allowed.includes('ALL') || allowed.includes('USAGE');

/**
 * The customer's PRE_PAID wallets paying a subscription invoice at finalization
 * (docs/api/wallet-invoices.md#prepaid-credits-at-finalization): the wallets pool in order of value, the largest
 * first (then by id), and each pays the USAGE lines, in line order, up to what each line still has to
 * pay after its discounts and the wallets before it. A wallet whose `allowed_price_types` excludes
 * usage pays nothing; FIXED lines are never paid by prepaid credits. What a wallet pays is whole
 * minor units of what it holds: credits apply up to what is available, never beyond.
 */
export function applyWalletCredits(lines: readonly CreditableLine[], wallets: readonly CreditWallet[], currency: string): WalletCredits {
  const left = lines.map((l) => new ExactDecimal(l.amountAfterDiscounts));
  const applied = lines.map(() => zero);
  const byWallet: WalletCredits['byWallet'] = [];
  const ordered = [...wallets].sort((a, b) => nonNegativeOf(b.value, 'value').comparedTo(nonNegativeOf(a.value, 'value')) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const wallet of ordered) {
    if (!paysUsage(wallet.allowedPriceTypes)) continue;
    const paid = applyPrepaidCredits(
      lines.map((l, i) => ({ id: l.id, priceType: l.priceType, amountAfterDiscounts: formatDecimal(left[i]!) })),
      wallet.value,
      currency,
    );
    if (new ExactDecimal(paid.totalPrepaidCreditsApplied).isZero()) continue;
    paid.lines.forEach((p, i) => {
      left[i] = left[i]!.minus(p.prepaidCreditsApplied);
      applied[i] = applied[i]!.plus(p.prepaidCreditsApplied);
    });
    byWallet.push({ walletId: wallet.id, amount: paid.totalPrepaidCreditsApplied });
  }
  const total = applied.reduce((s, a) => s.plus(a), zero);
  return {
    lines: lines.map((l, i) => ({ id: l.id, prepaidCreditsApplied: formatDecimal(applied[i]!) })),
    totalPrepaidCreditsApplied: formatDecimal(total),
    byWallet,
  };
}
