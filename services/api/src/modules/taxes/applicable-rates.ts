/**
 * Which tax rates tax an invoice, as pure rules over the associations and overrides already read
 * (docs/api/taxes.md, "Which rates tax an invoice"). No I/O: the service reads, these decide.
 */
import type { TaxEntityType } from './tax-association.entity.ts';

/** What the rules need of an association. */
export type AssociationTerms = {
  id: string;
  taxRateId: string;
  entityType: TaxEntityType;
  entityId: string;
  priority: number;
  autoApply: boolean;
  currency?: string | null;
  startDate: Date;
  endDate?: Date | null;
};

/** The levels an invoice inherits from, most specific first. */
export const inheritanceLevels = ['subscription', 'customer', 'tenant'] as const;
export type InheritanceLevel = (typeof inheritanceLevels)[number];

/**
 * Whether an association bears on an invoice in `currency` at `at`: it is in effect
 * (start_date ≤ at < end_date, no end date meaning for ever) and names no currency or that one
 * (compared case-insensitively).
 */
export function bearsOn(a: AssociationTerms, at: Date, currency: string): boolean {
  const inEffect = a.startDate.getTime() <= at.getTime() && (!a.endDate || at.getTime() < a.endDate.getTime());
  return inEffect && (!a.currency || a.currency.toLowerCase() === currency.toLowerCase());
}

/** Lower priority first; then the one that started earlier; then the older (ids are time-sortable). */
function byPriority(a: AssociationTerms, b: AssociationTerms): number {
  return a.priority - b.priority || a.startDate.getTime() - b.startDate.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Each rate once: the first of `items` (in their order) that carries it. */
function oncePerRate<T>(items: readonly T[], rateOf: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(rateOf(item)) && seen.add(rateOf(item)));
}

export type Inherited<A extends AssociationTerms = AssociationTerms> = { level: InheritanceLevel | null; associations: A[] };

/**
 * The associations that tax an invoice, by inheritance: the most specific level (the subscription,
 * then the customer, then the tenant) with at least one association bearing on the invoice decides
 * alone — a level with associations of its own replaces the levels above it, even when none of them
 * is auto-applied (that is how an entity is exempted). Of the deciding level's associations, the
 * auto-applied ones tax the invoice, lower priority first, each rate once. `level` is null when no
 * level has any.
 */
export function inheritedAssociations<A extends AssociationTerms>(levels: Partial<Record<InheritanceLevel, readonly A[]>>, at: Date, currency: string): Inherited<A> {
  for (const level of inheritanceLevels) {
    const bearing = (levels[level] ?? []).filter((a) => bearsOn(a, at, currency));
    if (bearing.length === 0) continue;
    const applied = bearing.filter((a) => a.autoApply).sort(byPriority);
    return { level, associations: oncePerRate(applied, (a) => a.taxRateId) };
  }
  return { level: null, associations: [] };
}

/** What the rules need of an override. */
export type OverrideTerms = { taxRateCode: string; autoApply: boolean; priority: number };

/**
 * The overrides that tax an invoice given its own `tax_rate_overrides`: the auto-applied ones
 * (`auto_apply` defaults to true), lower priority first and otherwise in the order given, each code once.
 */
export function appliedOverrides<O extends OverrideTerms>(overrides: readonly O[]): O[] {
  const ordered = overrides
    .map((o, index) => ({ o, index }))
    .filter(({ o }) => o.autoApply)
    .sort((a, b) => a.o.priority - b.o.priority || a.index - b.index)
    .map(({ o }) => o);
  return oncePerRate(ordered, (o) => o.taxRateCode);
}

/**
 * The associations to copy to a new customer (from the tenant) or subscription (from its customer),
 * as FlexPrice copies them: the auto-applied ones still in effect at `now` or later, each starting no
 * earlier than `now` and keeping its end date (FlexPrice drops it, so an expiring rate would be copied
 * for ever). In the source's priority order.
 */
export function associationsToCopy<A extends AssociationTerms>(source: readonly A[], now: Date): { from: A; startDate: Date; endDate: Date | null }[] {
  return source
    .filter((a) => a.autoApply && (!a.endDate || a.endDate.getTime() > now.getTime()))
    .sort(byPriority)
    .map((from) => ({ from, startDate: from.startDate.getTime() > now.getTime() ? from.startDate : now, endDate: from.endDate ?? null }));
}
