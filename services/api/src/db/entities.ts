import { Secret } from '../modules/api-keys/secret.entity.ts';
import { Customer } from '../modules/customers/customer.entity.ts';
import { Environment } from '../modules/environments/environment.entity.ts';
import { Event } from '../modules/events/event.entity.ts';
import { Feature } from '../modules/features/feature.entity.ts';
import { Meter } from '../modules/meters/meter.entity.ts';
import { IdempotencyRecord } from '../modules/idempotency/idempotency-record.entity.ts';
import { Tenant } from '../modules/tenancy/tenant.entity.ts';
import { Addon } from '../modules/addons/addon.entity.ts';
import { Coupon } from '../modules/coupons/coupon.entity.ts';
import { Entitlement } from '../modules/entitlements/entitlement.entity.ts';
import { Plan } from '../modules/plans/plan.entity.ts';
import { PriceUnit } from '../modules/price-units/price-unit.entity.ts';
import { Price } from '../modules/prices/price.entity.ts';
import { WebhookDelivery, WebhookDeliveryAttempt } from '../modules/webhooks/webhook-delivery.entity.ts';
import { WebhookEndpoint } from '../modules/webhooks/webhook-endpoint.entity.ts';
import { WebhookEvent } from '../modules/webhooks/webhook-event.entity.ts';
import { Subscription } from '../modules/subscriptions/subscription.entity.ts';
import { SubscriptionLineItem } from '../modules/subscriptions/subscription-line-item.entity.ts';
import { CouponAssociation } from '../modules/subscriptions/coupon-association.entity.ts';
import { Invoice } from '../modules/invoices/invoice.entity.ts';
import { InvoiceLineItem } from '../modules/invoices/invoice-line-item.entity.ts';
import { CouponApplication } from '../modules/invoices/coupon-application.entity.ts';
import { InvoiceSequence } from '../modules/invoices/invoice-sequence.entity.ts';
import { Payment } from '../modules/payments/payment.entity.ts';

/** Every entity the ORM knows; migrations are generated from this list. */
export const entities = [Tenant, Environment, Secret, Customer, IdempotencyRecord, Meter, Feature, Event, Plan, PriceUnit, Price, Addon, Entitlement, Coupon, WebhookEndpoint, WebhookEvent, WebhookDelivery, WebhookDeliveryAttempt, Subscription, SubscriptionLineItem, CouponAssociation, Invoice, InvoiceLineItem, CouponApplication, InvoiceSequence, Payment];
