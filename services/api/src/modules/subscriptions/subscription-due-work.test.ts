import { describe, expect, it } from 'vitest';
import type { Transactions, Tx } from '../../db/transactions.ts';
import type { InvoiceService } from '../invoices/index.ts';
import { isDue, SubscriptionDueWork, type DueWorkFaces } from './subscription-due-work.ts';
import type { SubscriptionReads } from './subscription-reads.ts';
import type { Subscription } from './subscription.entity.ts';
import type { SubscriptionRepo } from './subscription.repo.ts';

const at = new Date('2025-02-01T00:00:00Z');
const d = (iso: string) => new Date(iso);

const subscription = (fields: Partial<Subscription>): Subscription =>
  ({
    id: 'subs_1',
    tenantId: 't',
    environmentId: 'e',
    status: 'published',
    subscriptionStatus: 'active',
    currentPeriodStart: d('2025-01-01T00:00:00Z'),
    currentPeriodEnd: d('2025-02-01T00:00:00Z'),
    billingAnchor: d('2025-01-01T00:00:00Z'),
    billingPeriod: 'MONTHLY',
    billingPeriodCount: 1,
    timezone: 'UTC',
    version: 1,
    ...fields,
  }) as Subscription;

/** A renewal run over one claimed row, as the claim returns it in the unit of work; what it billed. */
async function renew(row: Subscription): Promise<{ processed: number; billed: { start: Date; end: Date }[]; runAt: (Date | undefined)[] }> {
  const billed: { start: Date; end: Date }[] = [];
  const runAt: (Date | undefined)[] = [];
  let claimed = false;
  const db = { parallelism: 1, run: <T>(work: (tx: Tx) => Promise<T>) => work({} as Tx) } as unknown as Transactions;
  const faces = {
    repo: {
      claimDue: async () => (claimed ? null : ((claimed = true), { id: row.id, tenantId: 't', environmentId: 'e', subscription: row })),
    } as unknown as SubscriptionRepo,
    reads: { billableOf: async () => ({}) } as unknown as SubscriptionReads,
    invoices: {
      billPeriod: async (_tx: Tx, _auth: unknown, req: { period: { start: Date; end: Date }; runAt?: Date }) => {
        billed.push(req.period);
        runAt.push(req.runAt);
      },
    } as unknown as InvoiceService,
    onError: (err: unknown) => {
      throw err;
    },
  } satisfies DueWorkFaces;
  const processed = await new SubscriptionDueWork('renewal', { db, clock: { now: () => at } }, faces).runDue({ testClockId: null }, at);
  return { processed, billed, runAt };
}

describe('SubscriptionDueWork', () => {
  it('renews a claimed subscription whose period has ended: that period is billed and the next one starts', async () => {
    const row = subscription({});
    const renewed = await renew(row);
    expect(renewed.billed).toEqual([{ start: d('2025-01-01T00:00:00Z'), end: d('2025-02-01T00:00:00Z') }]);
    // The run's instant goes with it: a draft whose finalization is due by then is finalized at once.
    expect(renewed.runAt).toEqual([at]);
    expect([row.currentPeriodStart, row.currentPeriodEnd]).toEqual([d('2025-02-01T00:00:00Z'), d('2025-03-01T00:00:00Z')]);
  });

  it('bills nothing when the row read in the unit of work is no longer due (another run moved it on): the next period has not ended', async () => {
    const row = subscription({ currentPeriodStart: d('2025-02-01T00:00:00Z'), currentPeriodEnd: d('2025-03-01T00:00:00Z') });
    expect((await renew(row)).billed).toEqual([]);
    expect([row.currentPeriodStart, row.currentPeriodEnd, row.version]).toEqual([d('2025-02-01T00:00:00Z'), d('2025-03-01T00:00:00Z'), 1]);
  });
});

describe('isDue agrees with the claims', () => {
  it.each([
    ['renewal', {}, true],
    ['renewal', { currentPeriodEnd: d('2025-02-01T00:00:01Z') }, false],
    ['renewal', { subscriptionStatus: 'incomplete' }, false],
    ['renewal', { status: 'archived' }, false],
    ['trialEnd', { subscriptionStatus: 'trialing', trialEnd: at }, true],
    ['trialEnd', { subscriptionStatus: 'trialing', trialEnd: d('2025-02-02T00:00:00Z') }, false],
    ['trialEnd', { subscriptionStatus: 'active', trialEnd: at }, false],
    ['cancellation', { cancelAt: d('2025-01-20T00:00:00Z') }, true], // inside the current period
    ['cancellation', { cancelAt: d('2025-02-01T00:00:00Z') }, false], // at the period's end: the renewal cancels
    ['cancellation', { subscriptionStatus: 'incomplete', cancelAt: d('2025-02-01T00:00:00Z') }, true],
    ['cancellation', { subscriptionStatus: 'cancelled', cancelAt: d('2025-01-20T00:00:00Z') }, false],
    ['cancellation', { cancelAt: d('2025-02-01T00:00:01Z'), currentPeriodEnd: d('2025-03-01T00:00:00Z') }, false],
  ] as const)('%s of %j: %s', (kind, fields, due) => {
    expect(isDue(kind, subscription(fields as Partial<Subscription>), at)).toBe(due);
  });
});
