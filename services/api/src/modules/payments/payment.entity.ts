import { defineEntity, p } from '@mikro-orm/core';
import { environmentRecord, inEnvironment } from '../../db/base-properties.ts';
import type { PaymentStatus } from '../../billing/invoicing/index.ts';

export const paymentMethodTypes = ['CARD', 'ACH', 'OFFLINE', 'CREDITS', 'PAYMENT_LINK', 'UPI'] as const;
export type PaymentMethodType = (typeof paymentMethodTypes)[number];
export type PaymentDestinationType = 'INVOICE';

/**
 * A payment of an invoice (`destinationId`). `amount` is an exact decimal (PostgreSQL `numeric`,
 * read back as a string). `idempotencyKey` is given or derived (payment-idempotency.ts); the partial
 * unique index `payments_idempotency_key_uq` over live payments is what makes two creates of the
 * same payment, even at once, record one.
 */
export const PaymentSchema = defineEntity(environmentRecord('Payment', 'payments', {
  idempotencyKey: p.string().length(255),
  destinationType: p.string().length(20).$type<PaymentDestinationType>(),
  destinationId: p.string().length(64),
  paymentMethodType: p.string().length(20).$type<PaymentMethodType>(),
  paymentMethodId: p.string().length(255).nullable(),
  paymentGateway: p.string().length(20).nullable(),
  gatewayPaymentId: p.string().length(255).nullable(),
  gatewayTrackingId: p.string().length(255).nullable(),
  gatewayMetadata: p.json<Record<string, string>>().nullable(),
  amount: p.decimal('string').columnType('numeric'),
  currency: p.string().length(3),
  paymentStatus: p.string().length(20).$type<PaymentStatus>(),
  trackAttempts: p.boolean().default(false),
  metadata: p.json<Record<string, string>>().default('{}'),
  succeededAt: p.datetime().nullable(),
  failedAt: p.datetime().nullable(),
  refundedAt: p.datetime().nullable(),
  voidedAt: p.datetime().nullable(),
  errorMessage: p.text().nullable(),
  paymentUrl: p.text().nullable(),
  saveCardAndMakeDefault: p.boolean().default(false),
}, {
  uniques: [inEnvironment('payments_idempotency_key_uq', ['idempotencyKey'], "status = 'published'")],
  indexes: [inEnvironment('payments_destination_idx', ['destinationId'])],
}));
export class Payment extends PaymentSchema.class {}
PaymentSchema.setClass(Payment);
