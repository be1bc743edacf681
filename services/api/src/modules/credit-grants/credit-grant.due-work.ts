import type { AuthContext } from '../../auth-context.ts';
import { claimEach } from '../../jobs/claim-each.ts';
import type { DueScope, DueWork } from '../../jobs/due-work.ts';
import type { ServiceContext } from '../../service-context.ts';
import type { SubscriptionReader } from '../subscriptions/index.ts';
import { CreditGrantApplicationRepo } from './credit-grant-application.repo.ts';
import type { GrantApplications } from './credit-grant-applications.ts';
import { CreditGrantRepo } from './credit-grant.repo.ts';

/** Who does due work: the system, in the application's environment. */
const systemActor = (tenantId: string, environmentId: string): AuthContext => ({ tenantId, environmentId, secretId: 'system' });

/**
 * Due work: credit grant applications whose `scheduled_for` has come, each claimed in its own
 * transaction with SKIP LOCKED and done there — the wallet deposit (keyed by the application's id),
 * the application's new status and the grant's next application commit together, and the next one is
 * unique per (grant, period start). Applications of subscriptions that are drafts, incomplete or
 * paused are not due until the subscription is active (docs/api/credit-grants.md).
 */
export class CreditGrantDueWork implements DueWork {
  readonly name = 'credit-grant-applications';
  readonly #ctx: ServiceContext;
  readonly #applier: GrantApplications;
  readonly #subscriptions: SubscriptionReader;
  readonly #onError: (err: unknown, item: string) => void;
  readonly #applications = new CreditGrantApplicationRepo();
  readonly #grants = new CreditGrantRepo();

  constructor(ctx: ServiceContext, faces: { applier: GrantApplications; subscriptions: SubscriptionReader; onError: (err: unknown, item: string) => void }) {
    this.#ctx = ctx;
    this.#applier = faces.applier;
    this.#subscriptions = faces.subscriptions;
    this.#onError = faces.onError;
  }

  nextDue(scope: DueScope, until: Date): Promise<Date | null> {
    return this.#ctx.db.read((tx) => this.#applications.nextDue(tx, scope, until));
  }

  async runDue(scope: DueScope, at: Date): Promise<number> {
    // Most instants of an advance have no application due: one read, rather than a claiming transaction per loop.
    if (!(await this.nextDue(scope, at))) return 0;
    return claimEach(this.#ctx.db, {
      claim: (tx, except) => this.#applications.claimDue(tx, scope, at, except),
      work: async (tx, claim) => {
        const auth = systemActor(claim.tenantId, claim.environmentId);
        const app = claim.application;
        const grant = await this.#grants.get(tx, auth, app.creditGrantId);
        const sub = await this.#subscriptions.get(tx, auth, app.subscriptionId);
        await this.#applier.apply(tx, auth, app, grant, sub, at);
      },
      onError: this.#onError,
    });
  }
}
