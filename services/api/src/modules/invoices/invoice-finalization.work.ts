import type { AuthContext } from '../../auth-context.ts';
import { claimEach } from '../../jobs/claim-each.ts';
import type { DueScope, DueWork } from '../../jobs/due-work.ts';
import { RunMemo } from '../../jobs/run-memo.ts';
import type { ServiceContext } from '../../service-context.ts';
import type { InvoiceService } from './invoice.service.ts';

/** Who the bill run acts as: the environment of the item, no API key. */
export const systemActor = (tenantId: string, environmentId: string): AuthContext => ({ tenantId, environmentId, secretId: 'system' });

/**
 * Due work: finalizes the period-end drafts the bill run made once their finalization delay has passed,
 * each in its own transaction, claimed with SKIP LOCKED. A subscription draft is first computed again,
 * so usage that arrived during the delay is billed. An item that fails is reported and left for the
 * next run; the others go on.
 */
export class InvoiceFinalizationWork implements DueWork {
  readonly name = 'invoice-finalization';
  readonly #ctx: ServiceContext;
  readonly #invoices: InvoiceService;
  readonly #onError: (err: unknown, item: string) => void;

  constructor(ctx: ServiceContext, invoices: InvoiceService, onError: (err: unknown, item: string) => void) {
    this.#ctx = ctx;
    this.#invoices = invoices;
    this.#onError = onError;
  }

  nextDue(scope: DueScope, until: Date): Promise<Date | null> {
    return this.#ctx.db.read((tx) => this.#invoices.repo.nextFinalization(tx, scope, until));
  }

  runDue(scope: DueScope, at: Date): Promise<number> {
    // Drafts of one plan recompute from the same catalogue: read once for the run.
    const memo = new RunMemo();
    return claimEach(this.#ctx.db, {
      claim: (tx, except) => this.#invoices.repo.claimDueDraft(tx, scope, at, except),
      work: async (tx, claim) => {
        const auth = systemActor(claim.tenantId, claim.environmentId);
        const invoice = claim.invoice;
        const contents = invoice.subscriptionId && !invoice.isManuallyEdited ? await this.#invoices.recompute(tx, auth, invoice, at, memo) : undefined;
        if (invoice.invoiceStatus === 'DRAFT') await this.#invoices.finalizer.finalize(tx, auth, invoice, at, contents);
      },
      onError: this.#onError,
    });
  }
}
