import type { MeteredEntitlement, UsageResetPeriod } from '../../billing/invoicing/index.ts';

/** One enabled metered entitlement that counts for a subscription (plan's or the subscription's override), with its feature's meter. */
export type MeteredSource = { meterId: string; usageLimit: string | null; usageResetPeriod: UsageResetPeriod | null };

/**
 * The subscription's included usage per meter, as FlexPrice aggregates a feature's entitlements
 * (docs/flexprice-compatibility.md#included-usage): the limits of its sources summed, or unlimited
 * (null) when any source is; the reset period the most sources share (the first one seen on a tie).
 */
export function aggregateMeteredEntitlements(sources: readonly MeteredSource[]): Map<string, MeteredEntitlement> {
  const byMeter = new Map<string, MeteredSource[]>();
  for (const s of sources) byMeter.set(s.meterId, [...(byMeter.get(s.meterId) ?? []), s]);
  const result = new Map<string, MeteredEntitlement>();
  for (const [meterId, list] of byMeter) {
    const unlimited = list.some((s) => s.usageLimit === null);
    const limit = unlimited ? null : list.reduce((sum, s) => sum + BigInt(s.usageLimit as string), 0n).toString();
    const counts = new Map<UsageResetPeriod | null, number>();
    for (const s of list) counts.set(s.usageResetPeriod, (counts.get(s.usageResetPeriod) ?? 0) + 1);
    let reset: UsageResetPeriod | null = list[0]!.usageResetPeriod;
    for (const [period, n] of counts) if (n > (counts.get(reset) ?? 0)) reset = period;
    result.set(meterId, { usageLimit: limit, usageResetPeriod: reset });
  }
  return result;
}
