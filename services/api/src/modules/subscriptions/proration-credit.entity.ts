import { defineEntity, p } from '@mikro-orm/core';
import { environmentRecord, inEnvironment } from '../../db/base-properties.ts';

export const prorationCreditCauses = ['quantity_change', 'line_item_deleted', 'addon_removed'] as const;
export type ProrationCreditCause = (typeof prorationCreditCauses)[number];

/**
 * A proration credit one line item received for the unused part of its current period's ADVANCE
 * charge (its share of a wallet top-up): what later credits of the same line in the same period are
 * capped by (docs/api/subscriptions.md#proration-caps). Never on the wire; written in the unit of work
 * that gives the credit, so a rolled-back preview leaves none.
 */
export const ProrationCreditSchema = defineEntity(environmentRecord('ProrationCredit', 'subscription_proration_credits', {
  subscriptionId: p.string().length(64),
  subscriptionLineItemId: p.string().length(64),
  periodStart: p.datetime(),
  periodEnd: p.datetime(),
  effectiveDate: p.datetime(),
  amount: p.decimal('string').columnType('numeric'),
  cause: p.string().length(30).$type<ProrationCreditCause>(),
}, { indexes: [inEnvironment('subscription_proration_credits_subscription_idx', ['subscriptionId', 'periodStart'])] }));
export class ProrationCredit extends ProrationCreditSchema.class {}
ProrationCreditSchema.setClass(ProrationCredit);
