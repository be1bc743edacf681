import type { AuthContext } from '../../auth-context.ts';
import type { Tx } from '../../db/transactions.ts';
import { orNotFound } from '../../errors/not-found.ts';
import type { ServiceContext } from '../../service-context.ts';
import type { CouponService } from '../coupons/index.ts';
import type { CustomerTime, InvoiceService } from '../invoices/index.ts';
import type { PriceReader } from '../prices/index.ts';
import type { SubscriptionTaxLinks } from '../taxes/index.ts';
import { fullEmbeds } from './subscription.convert.ts';
import type { ModifyOutcome, ModifyRequest, ModifyResult } from './subscription-modify.convert.ts';
import { modifyCoupon } from './subscription-modify-coupon.ts';
import { modifyQuantities } from './subscription-modify-quantity.ts';
import { modifyTax } from './subscription-modify-tax.ts';
import { modifyTrialEnd } from './subscription-modify-trial-end.ts';
import type { ProrationSettlement } from './line-item-proration.ts';
import type { Subscription } from './subscription.entity.ts';
import type { SubscriptionReads } from './subscription-reads.ts';
import type { SubscriptionRepo } from './subscription.repo.ts';

export type ModifyFaces = {
  repo: SubscriptionRepo;
  reads: SubscriptionReads;
  priceReader: PriceReader;
  time: CustomerTime;
  settlement: ProrationSettlement;
  invoices: InvoiceService;
  coupons: CouponService;
  taxLinks: SubscriptionTaxLinks;
};

/**
 * `POST /subscriptions/{id}/modify/preview|execute` (docs/api/subscriptions.md#modifications). A
 * preview is the execution itself in a unit of work that is rolled back, so it answers exactly what
 * the execution would do at the same instant, and keeps nothing (no line item, invoice, number,
 * wallet credit, association or event). Each type is one use case in its own file.
 */
export class SubscriptionModifications {
  readonly #ctx: ServiceContext;
  readonly #faces: ModifyFaces;

  constructor(ctx: ServiceContext, faces: ModifyFaces) {
    this.#ctx = ctx;
    this.#faces = faces;
  }

  execute(auth: AuthContext, id: string, req: ModifyRequest): Promise<ModifyResult> {
    return this.#ctx.db.run((tx) => this.#modify(tx, auth, id, req, false));
  }

  preview(auth: AuthContext, id: string, req: ModifyRequest): Promise<ModifyResult> {
    return this.#ctx.db.preview((tx) => this.#modify(tx, auth, id, req, true));
  }

  async #modify(tx: Tx, auth: AuthContext, id: string, req: ModifyRequest, preview: boolean): Promise<ModifyResult> {
    const sub = orNotFound(await this.#faces.repo.locked(tx, auth, id), 'Subscription', 'id', id);
    const now = await this.#faces.time.nowFor(tx, auth, sub.customerId);
    const outcome = await this.#dispatch(tx, auth, sub, req, now);
    await this.#faces.repo.flush(tx);
    const [view] = await this.#faces.reads.views(tx, auth, [sub], fullEmbeds);
    return { ...outcome, subscription: view!, preview };
  }

  #dispatch(tx: Tx, auth: AuthContext, sub: Subscription, req: ModifyRequest, now: Date): Promise<ModifyOutcome> {
    switch (req.type) {
      case 'quantity_change':
        return modifyQuantities(tx, auth, sub, req.changes, now, this.#faces);
      case 'trial_end':
        return modifyTrialEnd(tx, auth, sub, req.change, now, this.#faces);
      case 'coupon':
        return modifyCoupon(tx, auth, sub, req.change, now, this.#faces);
      case 'tax':
        return modifyTax(tx, auth, sub, req.change, now, this.#faces);
    }
  }
}
