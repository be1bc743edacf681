import type { AuthContext } from '../../auth-context.ts';
import type { Tx } from '../../db/transactions.ts';
import { AppError, invalidFields, notFound } from '../../errors/app-error.ts';
import { newId } from '../../ids.ts';
import { newRecord, touch } from '../../records.ts';
import { bearsOn } from './applicable-rates.ts';
import type { TaxAssociation } from './tax-association.entity.ts';
import { TaxAssociationRepo } from './tax-association.repo.ts';
import { TaxRateRepo } from './tax-rate.repo.ts';
import { usable } from './usable-rate.ts';

/** A subscription's tax rate link to make (`modify` `type: tax`, action `add`). */
export type NewSubscriptionTaxLink = { subscriptionId: string; currency: string; taxRateId: string; at: Date; now: Date };

/** A subscription's tax rate link to end (`modify` `type: tax`, action `remove`). */
export type EndedSubscriptionTaxLink = { subscriptionId: string; associationId: string; at: Date; now: Date };

const rateField = 'tax_params.tax_rate_id';
const associationField = 'tax_params.tax_association_id';

/**
 * A subscription's tax rate links changed after its creation (docs/api/subscriptions.md#modifications),
 * in the caller's unit of work, as FlexPrice's subscription modification makes them: a link is an
 * auto-applied association at priority 100 in the subscription's currency; ending one sets its
 * `end_date`, keeping the row. An invoice is taxed by the links in effect at its finalization.
 */
export class SubscriptionTaxLinks {
  readonly #associations = new TaxAssociationRepo();
  readonly #rates = new TaxRateRepo();

  /** Links the ACTIVE rate from `at`; refused while it is linked to the subscription and in effect then. */
  async link(tx: Tx, auth: AuthContext, req: NewSubscriptionTaxLink): Promise<TaxAssociation> {
    const rate = await this.#rates.get(tx, auth, req.taxRateId);
    if (!rate) throw invalidFields({ [rateField]: `names no tax rate ('${req.taxRateId}')` });
    usable(rate, rateField, req.taxRateId);
    const live = await this.#associations.liveOf(tx, auth, [{ entityType: 'subscription', entityId: req.subscriptionId }]);
    const clash = live.find((a) => a.taxRateId === rate.id && bearsOn(a, req.at, req.currency));
    if (clash) {
      throw new AppError('invalid_operation', `tax rate ${rate.id} is already linked to subscription ${req.subscriptionId} at ${req.at.toISOString()} (tax association ${clash.id}); remove that link first or give another effective_date`, {
        [rateField]: req.taxRateId,
      });
    }
    return this.#associations.add(tx, {
      id: newId('taxAssociation'),
      taxRateId: rate.id,
      entityType: 'subscription',
      entityId: req.subscriptionId,
      priority: 100,
      autoApply: true,
      currency: req.currency.toLowerCase(),
      metadata: {},
      startDate: req.at,
      endDate: null,
      ...newRecord(auth, req.now),
    });
  }

  /** Ends the subscription's link at `at`: it must be the subscription's, started by then and not ended. */
  async end(tx: Tx, auth: AuthContext, req: EndedSubscriptionTaxLink): Promise<TaxAssociation> {
    const a = await this.#associations.get(tx, auth, req.associationId);
    if (!a || a.status !== 'published') throw notFound('Tax association', associationField, req.associationId);
    if (a.entityType !== 'subscription' || a.entityId !== req.subscriptionId) {
      throw invalidFields({ [associationField]: `names tax association ${a.id}, which is not subscription ${req.subscriptionId}'s` });
    }
    if (a.endDate && a.endDate <= req.at) {
      throw new AppError('invalid_operation', `tax association ${a.id} has already ended (${a.endDate.toISOString()})`, { [associationField]: a.id });
    }
    if (req.at < a.startDate) throw invalidFields({ 'tax_params.effective_date': `must not be before the association's start_date (${a.startDate.toISOString()})` });
    a.endDate = req.at;
    touch(a, auth, req.now);
    return a;
  }
}
