import type { AuthContext } from '../../auth-context.ts';
import { claimEach } from '../../jobs/claim-each.ts';
import type { DueScope, DueWork } from '../../jobs/due-work.ts';
import type { ServiceContext } from '../../service-context.ts';
import { WalletDueRepo } from './wallet-due.repo.ts';
import type { WalletService } from './wallet.service.ts';

const systemActor = (tenantId: string, environmentId: string): AuthContext => ({ tenantId, environmentId, secretId: 'system' });

/**
 * Due work: credits past their expiry with credits left (FlexPrice's deferral aside, see
 * wallet-due.repo.ts) get a CREDIT_EXPIRED debit of what is left, at their expiry instant or when
 * the deferral ends. One wallet per unit of work, claimed with SKIP LOCKED (the wallet's row, the
 * ledger's lock); each debit is keyed `expiry:<credit id>`, unique per wallet, so it happens once
 * however many runners look.
 */
export class WalletExpiryWork implements DueWork {
  readonly name = 'wallet-credit-expiry';
  readonly #ctx: ServiceContext;
  readonly #wallets: WalletService;
  readonly #onError: (err: unknown, item: string) => void;
  readonly #repo = new WalletDueRepo();

  constructor(ctx: ServiceContext, faces: { wallets: WalletService; onError: (err: unknown, item: string) => void }) {
    this.#ctx = ctx;
    this.#wallets = faces.wallets;
    this.#onError = faces.onError;
  }

  nextDue(scope: DueScope, until: Date): Promise<Date | null> {
    return this.#ctx.db.read((tx) => this.#repo.nextExpiry(tx, scope, until));
  }

  async runDue(scope: DueScope, at: Date): Promise<number> {
    if (!(await this.nextDue(scope, at))) return 0;
    return claimEach(this.#ctx.db, {
      claim: (tx, except) => this.#repo.claimExpiring(tx, scope, at, except),
      work: async (tx, claim) => {
        const auth = systemActor(claim.tenantId, claim.environmentId);
        for (const creditId of await this.#repo.expiringCredits(tx, claim.wallet, at)) {
          await this.#wallets.expireCredit(tx, auth, claim.id, creditId, at);
        }
      },
      onError: this.#onError,
    });
  }
}
